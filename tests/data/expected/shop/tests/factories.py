"""Valid records and request bodies for every model, each one distinct."""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from auth.security import hash_password
from models.address import Address
from models.customer import Customer, Role
from models.order import Order
from models.order_item import OrderItem
from models.product import Product
from schemas.address import AddressCreate
from schemas.customer import CustomerCreate
from schemas.order import OrderCreate
from schemas.order_item import OrderItemCreate
from schemas.product import ProductCreate

# Each model numbers its own records: a unique field with few values (a bool) takes them in
# turn, even when making a record makes its parents first.
_numbers: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
# Hashing with argon2 is slow by design: test users share one hash of PASSWORD.
PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)
FIRST_DAY = dt.date(2024, 1, 1)
FIRST_MINUTE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def text_value(name: str, n: int, shortest: int, longest: int) -> str:
    value = f"{name}-{n}"[-longest:]
    return value.ljust(shortest, "x")


def customer_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /customers; `owner` owns what it refers to."""
    n = next(_numbers["Customer"])
    payload: dict[str, Any] = {
        "login": text_value("login", n, 3, 40),
        "secret_hash": text_value("secret_hash", n, 8, 60),
        "full_name": text_value("full_name", n, 1, 255),
        "birthday": (FIRST_DAY + dt.timedelta(days=n % 3000)).isoformat(),
        "contact_email": f"user{n}@example.com",
        "api_token": text_value("api_token", n, 1, 255),
    }
    return {**payload, **overrides}


def make_customer(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> Customer:
    """A customer in the database; `owner` owns it and what it refers to."""
    data = CustomerCreate(**customer_payload(session, owner, **overrides))
    values = {
        **data.model_dump(),
        "secret_hash": PASSWORD_HASH,
        "role": data.role or Role.user,
    }
    customer = Customer(**values)
    session.add(customer)
    session.commit()
    return customer


def product_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /products; `owner` owns what it refers to."""
    n = next(_numbers["Product"])
    payload: dict[str, Any] = {
        "sku": text_value("sku", n, 1, 32),
        "name": text_value("name", n, 1, 255),
        "price": str(1 + n % 99999999) + ".00",
        "in_stock": n % 2 == 0,
        "released_on": (FIRST_DAY + dt.timedelta(days=n % 3000)).isoformat(),
    }
    return {**payload, **overrides}


def make_product(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> Product:
    """A product in the database; `owner` owns it and what it refers to."""
    data = ProductCreate(**product_payload(session, owner, **overrides))
    product = Product(**data.model_dump())
    session.add(product)
    session.commit()
    return product


def address_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /addresses; `owner` owns what it refers to."""
    n = next(_numbers["Address"])
    payload: dict[str, Any] = {
        "line1": text_value("line1", n, 1, 255),
        "city": text_value("city", n, 1, 255),
    }
    if "customer_id" not in overrides:
        payload["customer_id"] = make_customer(session).id if owner is None else owner
    return {**payload, **overrides}


def make_address(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> Address:
    """A address in the database; `owner` owns it and what it refers to."""
    data = AddressCreate(**address_payload(session, owner, **overrides))
    address = Address(**data.model_dump())
    session.add(address)
    session.commit()
    return address


def order_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /orders; `owner` owns what it refers to."""
    n = next(_numbers["Order"])
    payload: dict[str, Any] = {
        "note": text_value("note", n, 1, 60),
        "shipped_at": (FIRST_MINUTE + dt.timedelta(minutes=n)).isoformat(),
    }
    if "customer_id" not in overrides:
        payload["customer_id"] = make_customer(session).id if owner is None else owner
    return {**payload, **overrides}


def make_order(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> Order:
    """A order in the database; `owner` owns it and what it refers to."""
    data = OrderCreate(**order_payload(session, owner, **overrides))
    order = Order(**data.model_dump())
    session.add(order)
    session.commit()
    return order


def order_item_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /order-items; `owner` owns what it refers to."""
    n = next(_numbers["OrderItem"])
    payload: dict[str, Any] = {
        "quantity": 1 + n % 1000,
        "unit_price": str(1 + n % 99999999) + ".00",
    }
    if "order_id" not in overrides:
        payload["order_id"] = make_order(session, owner).id
    if "product_id" not in overrides:
        payload["product_id"] = make_product(session).id
    return {**payload, **overrides}


def make_order_item(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> OrderItem:
    """A order item in the database; `owner` owns it and what it refers to."""
    data = OrderItemCreate(**order_item_payload(session, owner, **overrides))
    order_item = OrderItem(**data.model_dump())
    session.add(order_item)
    session.commit()
    return order_item
