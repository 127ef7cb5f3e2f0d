"""Whose records are whose: for each owned model, the rows a user owns."""

from collections.abc import Callable

from sqlalchemy import ColumnElement, select

from database import Base
from models.address import Address
from models.customer import Customer
from models.order import Order
from models.order_item import OrderItem

# Ids start at 1: the owner id of a caller without a token, who owns nothing.
NOBODY = 0


def customer_owned_by(user_id: int) -> ColumnElement[bool]:
    # Each user owns their own record.
    return Customer.id == user_id


def address_owned_by(user_id: int) -> ColumnElement[bool]:
    return Address.customer_id == user_id


def order_owned_by(user_id: int) -> ColumnElement[bool]:
    return Order.customer_id == user_id


def order_item_owned_by(user_id: int) -> ColumnElement[bool]:
    # Owned through its order.
    return OrderItem.order_id.in_(select(Order.id).where(order_owned_by(user_id)))


# The owned models whose records a body's foreign key may name only when they are the
# caller's (the user model aside: pointing at another user is allowed).
OWNED_BY: dict[type[Base], Callable[[int], ColumnElement[bool]]] = {
    Address: address_owned_by,
    Order: order_owned_by,
    OrderItem: order_item_owned_by,
}
