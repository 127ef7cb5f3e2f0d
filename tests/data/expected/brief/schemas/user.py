from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from models.user import Role
from schemas.common import Changes, ListParams, Str


class UserRegister(BaseModel):
    """A new account: its role is always `user`."""

    model_config = ConfigDict(extra="forbid")

    email: Str = Field(max_length=255)
    password: Str


class UserCreate(UserRegister):
    role: Role | None = None


class UserMeUpdate(Changes):
    """Send only the fields to change; one's own role is not among them."""

    _not_null: ClassVar[tuple[str, ...]] = ("email", "password")

    email: Str | None = Field(None, max_length=255)
    password: Str | None = None


class UserUpdate(UserMeUpdate):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (*UserMeUpdate._not_null, "role")

    role: Role | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role


class UserListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(UserRead.model_fields)

    email: Str | None = None
    role: Role | None = None
