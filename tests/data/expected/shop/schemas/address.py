from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Changes, Int64, ListParams, Str
from schemas.queries import CommaList, embedded

if TYPE_CHECKING:
    from schemas.customer import CustomerRead


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
    customer: "CustomerRead | None" = embedded()


class AddressListParams(ListParams):
    _sortable: ClassVar[tuple[str, ...]] = ("id", "line1", "city", "customer_id")

    line1: Str | None = None
    line1__in: CommaList[Str] | None = None
    line1__icontains: Str | None = None
    city: Str | None = None
    city__in: CommaList[Str] | None = None
    city__icontains: Str | None = None
    customer_id: Int64 | None = None
    customer_id__in: CommaList[Int64] | None = None
    expand: Str | None = Field(
        None, description="Related records to embed, comma separated: customer"
    )


class AddressDetailParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expand: Str | None = Field(
        None, description="Related records to embed, comma separated: customer"
    )
