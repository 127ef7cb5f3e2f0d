"""Value types and list parameters shared by every model's schemas."""

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
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
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Input without an offset is UTC; output always carries one: 2024-05-01T12:00:00+00:00.
UTCDateTime = Annotated[
    datetime,
    AfterValidator(_as_utc),
    PlainSerializer(datetime.isoformat, when_used="json"),
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
        for name in (value or "").split(","):
            if name.strip().removeprefix("-") not in cls._sortable:
                raise ValueError(
                    f"cannot sort by {name.strip()!r}; sortable: {', '.join(cls._sortable)}"
                )
        return value
