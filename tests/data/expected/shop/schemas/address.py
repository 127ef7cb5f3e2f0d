from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Int64, ListParams, Str


class AddressCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: Str = Field(max_length=255)
    city: Str = Field(max_length=255)
    customer_id: Int64 | None = None


class AddressUpdate(BaseModel):
    """Send only the fields to change."""

    model_config = ConfigDict(extra="forbid")

    line1: Str = Field(None, max_length=255)
    city: Str = Field(None, max_length=255)
    customer_id: Int64 = None


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
