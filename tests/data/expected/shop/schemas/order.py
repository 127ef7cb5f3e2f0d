from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str, UTCDateTime


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Str = Field("new", max_length=20)
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None


class OrderUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = ("status", "customer_id")

    status: Str | None = Field(None, max_length=20)
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    note: str | None
    shipped_at: UTCDateTime | None
    created_at: UTCDateTime
    updated_at: UTCDateTime
    customer_id: int
    referrer_id: int | None
    shipping_address_id: int | None


class OrderListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(OrderRead.model_fields)

    status: Str | None = None
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    created_at: UTCDateTime | None = None
    updated_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None
