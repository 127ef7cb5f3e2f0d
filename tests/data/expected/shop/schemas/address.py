from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str


class AddressCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: Str = Field(max_length=255)
    city: Str = Field(max_length=255)
    customer_id: Int64 | None = None


class AddressUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = ("line1", "city", "customer_id")

    line1: Str | None = Field(None, max_length=255)
    city: Str | None = Field(None, max_length=255)
    customer_id: Int64 | None = None


class AddressRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    line1: str
    city: str
    customer_id: int


class AddressListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(AddressRead.model_fields)

    line1: Str | None = None
    city: Str | None = None
    customer_id: Int64 | None = None
