from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from models.user import Role
from schemas.common import ListParams, Str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Str = Field(max_length=255)
    password: Str
    role: Role | None = None


class UserUpdate(BaseModel):
    """Send only the fields to change."""

    model_config = ConfigDict(extra="forbid")

    email: Str = Field(None, max_length=255)
    password: Str = None
    role: Role = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role


class UserListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(UserRead.model_fields)

    email: Str | None = None
    role: Role | None = None


class UserRegister(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Str = Field(max_length=255)
    password: Str


class UserMeUpdate(BaseModel):
    """Change one's own record; the role is not among the fields."""

    model_config = ConfigDict(extra="forbid")

    email: Str = Field(None, max_length=255)
    password: Str = None
