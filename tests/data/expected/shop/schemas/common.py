"""Value types and list parameters shared by every model's schemas."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from database import INT64_MAX, INT64_MIN

Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]

# PostgreSQL refuses the NUL character in text, so no string may hold one.
Str = Annotated[str, Field(pattern=r"^[^\x00]*$")]


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (
        OverflowError
    ):  # 9999-12-31T23:59:59-01:00 is past the last year Python knows
        raise ValueError("is out of range once converted to UTC") from None


# Input without an offset is UTC; output always carries one: 2024-05-01T12:00:00+00:00.
UTCDateTime = Annotated[
    datetime,
    AfterValidator(_as_utc),
    PlainSerializer(datetime.isoformat, when_used="json"),
]


def fixed_places(places: int) -> PlainSerializer:
    """A decimal written as a JSON string with exactly `places` places: "9.90"."""
    quantum = Decimal(1).scaleb(-places)
    return PlainSerializer(
        lambda value: str(value.quantize(quantum)), return_type=str, when_used="json"
    )


def _as_email(value: str) -> str:
    address = value.strip().lower()
    if not EMAIL_ADDRESS.fullmatch(address):
        raise ValueError("is not an e-mail address")
    return address


# One @, a dot in the domain, no spaces or control characters.
EMAIL_ADDRESS = re.compile(r"[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f.]+")
# An e-mail address, stored trimmed and lower-cased: " Ann@X.io" is "ann@x.io".
Email = Annotated[str, AfterValidator(_as_email)]


def normalize_username(username: str) -> str:
    """Usernames are compared trimmed and lower-cased: ` Ann@X.io` and `ann@x.io` are one."""
    return username.strip().lower()


def _normalize_if_text(value: object) -> object:
    return normalize_username(value) if isinstance(value, str) else value


# The username field's annotation: stored normalised, so the unique constraint sees one
# account; no control characters.
Username = Annotated[
    str, BeforeValidator(_normalize_if_text), Field(pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
]


def _without_null(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The JSON Schema of a Changes class: null only where null is accepted."""
    for name in getattr(model, "_not_null", ()):
        field = schema["properties"][name]
        kinds = [kind for kind in field.pop("anyOf") if kind != {"type": "null"}]
        field.update(kinds[0])


class Changes(BaseModel):
    """A PATCH body: the fields sent change, the others are kept.

    A field left out reads as None. Fields named in `_not_null` may be left out but not
    set to null (422); the OpenAPI document shows them without null.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_without_null)
    _not_null: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in cls._not_null:
            raise ValueError("cannot be null; leave the field out to keep its value")
        return value


class ListParams(BaseModel):
    """`limit`, `offset` and `sort` of a list endpoint; subclasses add the filters."""

    # A mistyped parameter (?artist_idd=3) is a 422 naming it, never the whole table.
    model_config = ConfigDict(extra="forbid")

    # What `sort` accepts, set by each subclass; underscored, as no field's name can be.
    _sortable: ClassVar[tuple[str, ...]] = ()

    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=INT64_MAX)
    sort: str | None = Field(
        None,
        description="Fields to sort by, comma separated; prefix with - for descending",
    )

    @field_validator("sort")
    @classmethod
    def _check_sort(cls, value: str | None) -> str | None:
        if value is None:
            return None
        names = [name.strip().removeprefix("-") for name in value.split(",")]
        # Counted first, so thousands of keys cost no more than a few.
        if len(names) > len(cls._sortable):
            raise ValueError(f"at most {len(cls._sortable)} fields, each named once")
        for name in names:
            if name not in cls._sortable:
                raise ValueError(
                    f"cannot sort by {name[:64]!r}; sortable: {', '.join(cls._sortable)}"
                )
        if len(set(names)) < len(names):
            raise ValueError("a field is named twice")
        return value
