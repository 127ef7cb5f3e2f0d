import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, ListParams, Str, fixed_places
from schemas.queries import CommaList


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Str = Field(max_length=32)
    name: Str = Field(max_length=255)
    price: Decimal = Field(max_digits=10, decimal_places=2, ge=0.0)
    in_stock: bool = True
    released_on: dt.date = dt.date(2024, 1, 1)


class ProductUpdate(Changes):
    """Send only the fields to change."""

    _not_null: ClassVar[tuple[str, ...]] = (
        "sku",
        "name",
        "price",
        "in_stock",
        "released_on",
    )

    sku: Str | None = Field(None, max_length=32)
    name: Str | None = Field(None, max_length=255)
    price: Decimal | None = Field(None, max_digits=10, decimal_places=2, ge=0.0)
    in_stock: bool | None = None
    released_on: dt.date | None = None


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    price: Annotated[Decimal, fixed_places(2)]
    in_stock: bool
    released_on: dt.date


class ProductListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = (
        "id",
        "sku",
        "name",
        "price",
        "in_stock",
        "released_on",
    )

    sku: Str | None = None
    sku__in: CommaList[Str] | None = None
    sku__icontains: Str | None = None
    name: Str | None = None
    name__in: CommaList[Str] | None = None
    name__icontains: Str | None = None
    price: Decimal | None = None
    price__gt: Decimal | None = None
    price__gte: Decimal | None = None
    price__lt: Decimal | None = None
    price__lte: Decimal | None = None
    in_stock: bool | None = None
    released_on: dt.date | None = None
    released_on__gt: dt.date | None = None
    released_on__gte: dt.date | None = None
    released_on__lt: dt.date | None = None
    released_on__lte: dt.date | None = None
    released_on__in: CommaList[dt.date] | None = None
    q: Str | None = Field(
        None, description="Text to find, ignoring case, in name or sku"
    )
