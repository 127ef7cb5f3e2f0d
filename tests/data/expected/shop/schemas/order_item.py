from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, fixed_places


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


class OrderItemListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(OrderItemRead.model_fields)

    quantity: Int64 | None = None
    unit_price: Decimal | None = None
    order_id: Int64 | None = None
    product_id: Int64 | None = None
