"""Pydantic models of request and response bodies, one module per model."""

from schemas.address import AddressRead
from schemas.customer import CustomerRead
from schemas.order import OrderRead
from schemas.order_item import OrderItemRead
from schemas.product import ProductRead

__all__ = ["AddressRead", "CustomerRead", "OrderRead", "OrderItemRead", "ProductRead"]

# Read shapes embed one another (?expand=): their annotations name shapes defined in other
# modules, resolved here once every one is.
AddressRead.model_rebuild()
OrderRead.model_rebuild()
OrderItemRead.model_rebuild()
