from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from models.user import Role
from schemas.common import Changes, ListParams, Str, Username
from schemas.queries import CommaList


class UserRegister(BaseModel):
    """A new account: its role is always `user`."""

    model_config = ConfigDict(extra="forbid")

    email: Username = Field(max_length=255)
    password: Str = Field(min_length=8)


class UserCreate(UserRegister):
    role: Role | None = None


class UserChanges(Changes):
    """What PATCH /users/{id} and PATCH /auth/me may both change."""

    _not_null: ClassVar[tuple[str, ...]] = ("email", "password")

    email: Username | None = Field(None, max_length=255)
    password: Str | None = Field(None, min_length=8)


class UserUpdate(UserChanges):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (*UserChanges._not_null, "role")

    role: Role | None = None


class UserMeUpdate(UserChanges):
    """Change one's own record; the role is not among the fields."""

    current_password: Str | None = Field(
        None, exclude=True, description="Your password now: needed to change it"
    )


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    role: Role


class UserListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = ("id", "email", "role")

    email: Username | None = None
    email__in: CommaList[Username] | None = None
    email__icontains: Str | None = None
    role: Role | None = None
