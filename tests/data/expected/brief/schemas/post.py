from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str
from schemas.queries import CommaList, embedded

if TYPE_CHECKING:
    from schemas.user import UserRead


class PostCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Str = Field(max_length=255)
    content: Str = Field(max_length=255)
    user_id: Int64 | None = None


class PostUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = ("title", "content", "user_id")

    title: Str | None = Field(None, max_length=255)
    content: Str | None = Field(None, max_length=255)
    user_id: Int64 | None = None


class PostRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    content: str
    user_id: int
    user: "UserRead | None" = embedded()


class PostListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = ("id", "title", "content", "user_id")

    title: Str | None = None
    title__in: CommaList[Str] | None = None
    title__icontains: Str | None = None
    content: Str | None = None
    content__in: CommaList[Str] | None = None
    content__icontains: Str | None = None
    user_id: Int64 | None = None
    user_id__in: CommaList[Int64] | None = None
    expand: Str | None = Field(
        None, description="Related records to embed, comma separated: user"
    )


class PostDetailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expand: Str | None = Field(
        None, description="Related records to embed, comma separated: user"
    )
