"""Value types and list parameters shared by every model's schemas."""

from datetime import UTC, datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, Field, PlainSerializer, field_validator

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
