from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str


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


class PostListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(PostRead.model_fields)

    title: Str | None = None
    content: Str | None = None
    user_id: Int64 | None = None
