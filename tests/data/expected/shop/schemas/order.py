from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from schemas.common import Changes, Int64, ListParams, Str, UTCDateTime


class OrderStatus(StrEnum):
    new = "new"
    paid = "paid"
    shipped = "shipped"
    cancelled = "cancelled"


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: OrderStatus = OrderStatus.new
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None


class OrderUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = ("status", "customer_id")

    status: OrderStatus | None = None
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: OrderStatus
    note: str | None
    shipped_at: UTCDateTime | None
    created_at: UTCDateTime
    updated_at: UTCDateTime
    customer_id: int
    referrer_id: int | None
    shipping_address_id: int | None


class OrderListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(OrderRead.model_fields)

    status: OrderStatus | None = None
    note: Str | None = None
    shipped_at: UTCDateTime | None = None
    created_at: UTCDateTime | None = None
    updated_at: UTCDateTime | None = None
    customer_id: Int64 | None = None
    referrer_id: Int64 | None = None
    shipping_address_id: Int64 | None = None
