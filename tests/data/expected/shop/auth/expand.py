"""`?expand=`: the related records a caller may embed.

A relation is embedded when the caller may read its target at the target's detail level:
without a token where one is needed, 401; otherwise 403, naming the relation. At the owner
level a non-admin gets the records they own, and null for the others.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import RelationshipDirection, Session

from auth.deps import get_optional_user, oauth2_scheme
from crud.ownership import address_owned_by, customer_owned_by, order_owned_by
from crud.queries import Expansion
from database import Base
from models.address import Address
from models.customer import Customer
from models.order import Order
from models.order_item import OrderItem
from models.product import Product
from schemas.address import AddressRead
from schemas.customer import CustomerRead
from schemas.order import OrderRead
from schemas.order_item import OrderItemRead
from schemas.product import ProductRead

MAX_DEPTH = 3
# The bearer token of a public route, if any: its caller is loaded only to expand.
BearerToken = Annotated[str | None, Depends(oauth2_scheme)]
# "project.owner,assignee" → {"project": {"owner": {}}, "assignee": {}}
Paths = dict[str, "Paths"]


@dataclass(frozen=True)
class Readable:
    """How a model's records may be read (its detail endpoint): in which shape, by whom."""

    shape: type[BaseModel]
    level: str  # public, auth, owner or admin
    owned_by: Callable[[int], ColumnElement[bool]] | None = None  # at the owner level


# The models whose detail endpoint is on; the others are never embedded.
READABLE: dict[type[Base], Readable] = {
    Address: Readable(AddressRead, "owner", address_owned_by),
    Customer: Readable(CustomerRead, "owner", customer_owned_by),
    Order: Readable(OrderRead, "owner", order_owned_by),
    OrderItem: Readable(OrderItemRead, "auth"),
    Product: Readable(ProductRead, "public"),
}


def expansions(
    model: type[Base], expand: str | None, user: Customer | None
) -> list[Expansion]:
    """The relations `expand` names, each as far as the caller may read it.

    An unknown relation is a 422; one the caller may not read at all, a 401 or 403.
    """
    if expand is None:
        return []
    paths: Paths = {}
    for path in expand.split(","):
        names = path.split(".")
        if len(names) > MAX_DEPTH:
            raise _invalid(
                expand, f"{path[:100]!r} is more than {MAX_DEPTH} levels deep"
            )
        node = paths
        for name in names:
            node = node.setdefault(name, {})
    return _expansions(model, paths, user, expand, prefix="")


def expansions_for_token(
    model: type[Base], expand: str | None, session: Session, token: str | None
) -> list[Expansion]:
    """`expansions` on a public route: the caller is loaded only when something is to be
    expanded (a bad token is refused then, as on every route that reads the caller)."""
    if expand is None:
        return []
    return expansions(model, expand, get_optional_user(session, token))


def _expansions(
    model: type[Base], paths: Paths, user: Customer | None, expand: str, prefix: str
) -> list[Expansion]:
    relations = many_to_one(model)
    found = []
    for name, nested in paths.items():
        path = prefix + name
        if name not in relations:
            known = ", ".join(prefix + relation for relation in relations) or "none"
            raise _invalid(
                expand, f"unknown relation {path[:100]!r}; expandable: {known}"
            )
        foreign_key, target = relations[name]
        deeper = _expansions(target, nested, user, expand, prefix=path + ".")
        readable = READABLE.get(target)
        if readable is None:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"Cannot expand {path}: its records are not readable",
            )
        only = _only(readable, user, path)
        found.append(
            Expansion(name, foreign_key, target, readable.shape, only, tuple(deeper))
        )
    return found


def _only(
    readable: Readable, user: Customer | None, path: str
) -> ColumnElement[bool] | None:
    """The records of the target the caller may see (None: all of them), or why none."""
    if readable.level == "public":
        return None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"Expanding {path} needs a token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if user.is_admin:
        return None
    if readable.level == "admin":
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"Only an admin can expand {path}"
        )
    if readable.owned_by is not None:
        return readable.owned_by(user.id)
    return None


@cache
def many_to_one(model: type[Base]) -> dict[str, tuple[str, type[Base]]]:
    """The relations naming one record each, by attribute (task.project): their foreign
    key and target model."""
    return {
        name: (next(iter(relationship.local_columns)).name, relationship.mapper.class_)
        for name, relationship in inspect(model).relationships.items()
        if relationship.direction is RelationshipDirection.MANYTOONE
    }


def _invalid(expand: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "value_error",
                "loc": ("query", "expand"),
                "msg": message,
                "input": expand,
            }
        ]
    )
