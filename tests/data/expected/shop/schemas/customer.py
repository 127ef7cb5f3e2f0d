import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from database import INT64_MAX
from models.customer import Role
from schemas.common import Changes, Int64, ListParams, Str


class CustomerRegister(BaseModel):
    """A new account: its role is always `user`."""

    model_config = ConfigDict(extra="forbid")

    login: Str = Field(min_length=3, max_length=40)
    secret_hash: Str
    full_name: Str = Field(max_length=255)
    birthday: dt.date | None = None
    loyalty_points: int = Field(0, ge=0, le=INT64_MAX)
    api_token: Str | None = Field(None, max_length=255)


class CustomerCreate(CustomerRegister):
    role: Role | None = None


class CustomerMeUpdate(Changes):
    """Send only the fields to change; one's own role is not among them."""

    _not_null: ClassVar[tuple[str, ...]] = (
        "login",
        "secret_hash",
        "full_name",
        "loyalty_points",
    )

    login: Str | None = Field(None, min_length=3, max_length=40)
    secret_hash: Str | None = None
    full_name: Str | None = Field(None, max_length=255)
    birthday: dt.date | None = None
    loyalty_points: int | None = Field(None, ge=0, le=INT64_MAX)
    api_token: Str | None = Field(None, max_length=255)


class CustomerUpdate(CustomerMeUpdate):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (*CustomerMeUpdate._not_null, "role")

    role: Role | None = None


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    login: str
    full_name: str
    birthday: dt.date | None
    loyalty_points: int
    role: Role


class CustomerListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(CustomerRead.model_fields)

    login: Str | None = None
    full_name: Str | None = None
    birthday: dt.date | None = None
    loyalty_points: Int64 | None = None
    role: Role | None = None
