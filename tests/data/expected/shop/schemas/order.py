from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str, UTCDateTime
from schemas.queries import CommaList, embedded

if TYPE_CHECKING:
    from schemas.address import AddressRead
    from schemas.customer import CustomerRead


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
    customer: "CustomerRead | None" = embedded()
    referrer: "CustomerRead | None" = embedded()
    shipping_address: "AddressRead | None" = embedded()


class OrderListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = (
        "id",
        "status",
        "note",
        "shipped_at",
        "created_at",
        "updated_at",
        "customer_id",
        "referrer_id",
        "shipping_address_id",
    )

    status: OrderStatus | None = None
    status__in: CommaList[OrderStatus] | None = None
    note: Str | None = None
    note__icontains: Str | None = None
    note__isnull: bool | None = None
    shipped_at: UTCDateTime | None = None
    shipped_at__gt: UTCDateTime | None = None
    shipped_at__gte: UTCDateTime | None = None
    shipped_at__lt: UTCDateTime | None = None
    shipped_at__lte: UTCDateTime | None = None
    shipped_at__isnull: bool | None = None
    created_at: UTCDateTime | None = None
    created_at__gt: UTCDateTime | None = None
    created_at__gte: UTCDateTime | None = None
    created_at__lt: UTCDateTime | None = None
    created_at__lte: UTCDateTime | None = None
    updated_at: UTCDateTime | None = None
    updated_at__gt: UTCDateTime | None = None
    updated_at__gte: UTCDateTime | None = None
    updated_at__lt: UTCDateTime | None = None
    updated_at__lte: UTCDateTime | None = None
    customer_id: Int64 | None = None
    customer_id__in: CommaList[Int64] | None = None
    referrer_id: Int64 | None = None
    referrer_id__in: CommaList[Int64] | None = None
    referrer_id__isnull: bool | None = None
    shipping_address_id: Int64 | None = None
    shipping_address_id__in: CommaList[Int64] | None = None
    shipping_address_id__isnull: bool | None = None
    expand: Str | None = Field(
        None,
        description="Related records to embed, comma separated: customer, referrer, shipping_address; a dotted path goes up to 3 levels deep (shipping_address.customer)",
    )


class OrderDetailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expand: Str | None = Field(
        None,
        description="Related records to embed, comma separated: customer, referrer, shipping_address; a dotted path goes up to 3 levels deep (shipping_address.customer)",
    )
