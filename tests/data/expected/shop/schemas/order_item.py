from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str, fixed_places
from schemas.queries import CommaList, embedded

if TYPE_CHECKING:
    from schemas.order import OrderRead
    from schemas.product import ProductRead


class OrderItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=1000)
    unit_price: Decimal = Field(max_digits=10, decimal_places=2, ge=0.0)
    order_id: Int64
    product_id: Int64


class OrderItemUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (
        "quantity",
        "unit_price",
        "order_id",
        "product_id",
    )

    quantity: int | None = Field(None, ge=1, le=1000)
    unit_price: Decimal | None = Field(None, max_digits=10, decimal_places=2, ge=0.0)
    order_id: Int64 | None = None
    product_id: Int64 | None = None


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    quantity: int
    unit_price: Annotated[Decimal, fixed_places(2)]
    order_id: int
    product_id: int
    order: "OrderRead | None" = embedded()
    product: "ProductRead | None" = embedded()


class OrderItemListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = (
        "id",
        "quantity",
        "unit_price",
        "order_id",
        "product_id",
    )

    quantity: Int64 | None = None
    quantity__gt: Int64 | None = None
    quantity__gte: Int64 | None = None
    quantity__lt: Int64 | None = None
    quantity__lte: Int64 | None = None
    quantity__in: CommaList[Int64] | None = None
    unit_price: Decimal | None = None
    unit_price__gt: Decimal | None = None
    unit_price__gte: Decimal | None = None
    unit_price__lt: Decimal | None = None
    unit_price__lte: Decimal | None = None
    order_id: Int64 | None = None
    order_id__in: CommaList[Int64] | None = None
    product_id: Int64 | None = None
    product_id__in: CommaList[Int64] | None = None
    expand: Str | None = Field(
        None,
        description="Related records to embed, comma separated: order, product; a dotted path goes up to 3 levels deep (order.customer)",
    )


class OrderItemDetailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expand: Str | None = Field(
        None,
        description="Related records to embed, comma separated: order, product; a dotted path goes up to 3 levels deep (order.customer)",
    )
