import datetime as dt
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from database import INT64_MAX
from models.customer import Role
from schemas.common import Changes, Email, Int64, ListParams, Str, Username
from schemas.queries import CommaList


class CustomerRegister(BaseModel):
    """A new account: its role is always `user`."""

    model_config = ConfigDict(extra="forbid")

    login: Username = Field(min_length=3, max_length=40)
    secret_hash: Str = Field(min_length=8)
    full_name: Str = Field(max_length=255)
    birthday: dt.date | None = None
    loyalty_points: int = Field(0, ge=0, le=INT64_MAX)
    contact_email: Email | None = Field(None, max_length=254)
    api_token: Str | None = Field(None, max_length=255)


class CustomerCreate(CustomerRegister):
    role: Role | None = None


class CustomerChanges(Changes):
    """What PATCH /customers/{id} and PATCH /auth/me may both change."""

    _not_null: ClassVar[tuple[str, ...]] = (
        "login",
        "secret_hash",
        "full_name",
        "loyalty_points",
    )

    login: Username | None = Field(None, min_length=3, max_length=40)
    secret_hash: Str | None = Field(None, min_length=8)
    full_name: Str | None = Field(None, max_length=255)
    birthday: dt.date | None = None
    loyalty_points: int | None = Field(None, ge=0, le=INT64_MAX)
    contact_email: Email | None = Field(None, max_length=254)
    api_token: Str | None = Field(None, max_length=255)


class CustomerUpdate(CustomerChanges):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (*CustomerChanges._not_null, "role")

    role: Role | None = None


class CustomerMeUpdate(CustomerChanges):
    """Change one's own record; the role is not among the fields."""

    current_password: Str | None = Field(
        None, exclude=True, description="Your password now: needed to change it"
    )


class CustomerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    login: str
    full_name: str
    birthday: dt.date | None
    loyalty_points: int
    contact_email: str | None
    role: Role


class CustomerListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = (
        "id",
        "login",
        "full_name",
        "birthday",
        "loyalty_points",
        "contact_email",
        "role",
    )

    login: Username | None = None
    login__in: CommaList[Username] | None = None
    login__icontains: Str | None = None
    full_name: Str | None = None
    full_name__in: CommaList[Str] | None = None
    full_name__icontains: Str | None = None
    birthday: dt.date | None = None
    birthday__gt: dt.date | None = None
    birthday__gte: dt.date | None = None
    birthday__lt: dt.date | None = None
    birthday__lte: dt.date | None = None
    birthday__in: CommaList[dt.date] | None = None
    birthday__isnull: bool | None = None
    loyalty_points: Int64 | None = None
    loyalty_points__gt: Int64 | None = None
    loyalty_points__gte: Int64 | None = None
    loyalty_points__lt: Int64 | None = None
    loyalty_points__lte: Int64 | None = None
    loyalty_points__in: CommaList[Int64] | None = None
    contact_email: Email | None = None
    contact_email__in: CommaList[Email] | None = None
    contact_email__icontains: Str | None = None
    contact_email__isnull: bool | None = None
    role: Role | None = None
