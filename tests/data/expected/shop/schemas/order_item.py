from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from schemas.common import Changes, Int64, ListParams


class OrderItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=1000)
    unit_price: FiniteFloat = Field(ge=0.0)
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
    unit_price: FiniteFloat | None = Field(None, ge=0.0)
    order_id: Int64 | None = None
    product_id: Int64 | None = None


class OrderItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    quantity: int
    unit_price: float
    order_id: int
    product_id: int


class OrderItemListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = tuple(OrderItemRead.model_fields)

    quantity: Int64 | None = None
    unit_price: FiniteFloat | None = None
    order_id: Int64 | None = None
    product_id: Int64 | None = None
