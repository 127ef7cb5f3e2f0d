"""SQLAlchemy models, one module per model; importing this package registers them all."""

from models.address import Address
from models.customer import Customer
from models.order import Order
from models.order_item import OrderItem
from models.product import Product

__all__ = ["Address", "Customer", "Order", "OrderItem", "Product"]
