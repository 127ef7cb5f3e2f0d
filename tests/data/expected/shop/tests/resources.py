"""What the tests know of each model with routes: where it lives, who may call what,
and how to make valid (and invalid) records of it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.factories import (
    address_payload,
    customer_payload,
    make_address,
    make_customer,
    make_order,
    make_order_item,
    make_product,
    order_item_payload,
    order_payload,
    product_payload,
)


@dataclass(frozen=True)
class Resource:
    name: str
    url: str
    levels: dict[str, str]  # the generated endpoints and their permission levels
    owner_field: str | None  # "id" on the user model; a parent's FK when owned_through
    make: Callable[..., Any]
    payload: Callable[..., dict[str, Any]]
    required: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    invalid: tuple[tuple[str, Any], ...] = ()
    secret: tuple[str, ...] = ()
    datetimes: tuple[str, ...] = ()
    update_field: str | None = None
    filter_field: str | None = None
    # children whose foreign key refuses the deletion of a record they refer to
    restricting: tuple[tuple[Callable[..., Any], str], ...] = ()
    self_references: tuple[str, ...] = ()  # foreign keys to the same model
    unique_together: tuple[tuple[str, ...], ...] = ()  # fields unique as a group
    admin_only: tuple[
        tuple[str, Any], ...
    ] = ()  # fields only an admin sets, a valid value
    emails: tuple[str, ...] = ()  # e-mail fields: stored trimmed and lower-cased
    decimals: tuple[tuple[str, int], ...] = ()  # decimal fields and their places
    owned_through: bool = False  # owned by the owner of the parent `owner_field` names
    # foreign keys to owned models: a non-admin may name only their own records
    owned_references: tuple[tuple[str, Callable[..., Any]], ...] = ()
    capacity: int = 3  # rows a test may make (unique fields with few values limit it)
    # list operators beside equality: (field, kind of value, operators)
    operators: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    search: tuple[str, ...] = ()  # the fields ?q= searches
    # ?expand=: (relation, foreign key, target model, the target's detail level)
    expandable: tuple[tuple[str, str, str, str], ...] = ()

    def __str__(self) -> str:
        # Test ids name the model: the same in every pytest-xdist worker.
        return self.name


RESOURCES = {
    "Address": Resource(
        name="Address",
        url="/addresses",
        levels={
            "create": "owner",
            "list": "owner",
            "detail": "owner",
            "update": "owner",
            "delete": "owner",
        },
        owner_field="customer_id",
        make=make_address,
        payload=address_payload,
        required=("line1", "city"),
        not_null=("line1", "city", "customer_id"),
        references=("customer_id",),
        invalid=(("line1", "x" * 256), ("city", "x" * 256)),
        update_field="line1",
        filter_field="line1",
        operators=(
            ("line1", "text", ("in", "icontains")),
            ("city", "text", ("in", "icontains")),
            ("customer_id", "int", ("in",)),
        ),
        expandable=(("customer", "customer_id", "Customer", "owner"),),
    ),
    "Customer": Resource(
        name="Customer",
        url="/customers",
        levels={
            "create": "admin",
            "list": "owner",
            "detail": "owner",
            "update": "owner",
            "delete": "admin",
        },
        owner_field="id",
        make=make_customer,
        payload=customer_payload,
        required=("login", "secret_hash", "full_name"),
        not_null=("login", "secret_hash", "full_name", "loyalty_points"),
        unique=("login",),
        secret=("secret_hash", "api_token"),
        emails=("contact_email",),
        invalid=(
            ("login", "x" * 41),
            ("secret_hash", "nul \x00 byte"),
            ("full_name", "x" * 256),
            ("birthday", "not a date"),
            ("loyalty_points", 9223372036854775808),
            ("contact_email", "not an address"),
            ("api_token", "x" * 256),
        ),
        update_field="login",
        filter_field="login",
        restricting=((make_order, "customer_id"),),
        admin_only=(("loyalty_points", 0),),
        operators=(
            ("login", "text", ("in", "icontains")),
            ("full_name", "text", ("in", "icontains")),
            ("birthday", "date", ("gt", "gte", "lt", "lte", "in", "isnull")),
            ("loyalty_points", "int", ("gt", "gte", "lt", "lte", "in")),
            ("contact_email", "text", ("in", "icontains", "isnull")),
        ),
    ),
    "Order": Resource(
        name="Order",
        url="/orders",
        levels={
            "create": "owner",
            "list": "owner",
            "detail": "owner",
            "update": "admin",
            "delete": "admin",
        },
        owner_field="customer_id",
        make=make_order,
        payload=order_payload,
        owned_references=(("shipping_address_id", make_address),),
        not_null=("status", "customer_id"),
        references=("customer_id", "referrer_id", "shipping_address_id"),
        datetimes=("shipped_at", "created_at", "updated_at"),
        invalid=(
            ("status", "not one of the values"),
            ("note", "nul \x00 byte"),
            ("shipped_at", "not a date"),
        ),
        update_field="note",
        filter_field="status",
        admin_only=(("status", "new"),),
        operators=(
            ("status", "text", ("in",)),
            ("note", "text", ("icontains", "isnull")),
            ("shipped_at", "datetime", ("gt", "gte", "lt", "lte", "isnull")),
            ("created_at", "datetime", ("gt", "gte", "lt", "lte")),
            ("updated_at", "datetime", ("gt", "gte", "lt", "lte")),
            ("customer_id", "int", ("in",)),
            ("referrer_id", "int", ("in", "isnull")),
            ("shipping_address_id", "int", ("in", "isnull")),
        ),
        expandable=(
            ("customer", "customer_id", "Customer", "owner"),
            ("referrer", "referrer_id", "Customer", "owner"),
            ("shipping_address", "shipping_address_id", "Address", "owner"),
        ),
    ),
    "OrderItem": Resource(
        name="OrderItem",
        url="/order-items",
        levels={
            "create": "auth",
            "list": "auth",
            "detail": "auth",
            "update": "admin",
            "delete": "admin",
        },
        owner_field="order_id",
        make=make_order_item,
        payload=order_item_payload,
        owned_through=True,
        owned_references=(("order_id", make_order),),
        required=("quantity", "unit_price", "order_id", "product_id"),
        not_null=("quantity", "unit_price", "order_id", "product_id"),
        references=("order_id", "product_id"),
        invalid=(("quantity", 1001), ("unit_price", "0.111")),
        update_field="quantity",
        filter_field="quantity",
        unique_together=(("order_id", "product_id"),),
        decimals=(("unit_price", 2),),
        operators=(
            ("quantity", "int", ("gt", "gte", "lt", "lte", "in")),
            ("unit_price", "decimal", ("gt", "gte", "lt", "lte")),
            ("order_id", "int", ("in",)),
            ("product_id", "int", ("in",)),
        ),
        expandable=(
            ("order", "order_id", "Order", "owner"),
            ("product", "product_id", "Product", "public"),
        ),
    ),
    "Product": Resource(
        name="Product",
        url="/products",
        levels={
            "create": "admin",
            "list": "public",
            "detail": "public",
            "update": "admin",
        },
        owner_field=None,
        make=make_product,
        payload=product_payload,
        required=("sku", "name", "price"),
        not_null=("sku", "name", "price", "in_stock", "released_on"),
        unique=("sku",),
        invalid=(
            ("sku", "x" * 33),
            ("name", "x" * 256),
            ("price", "0.111"),
            ("in_stock", "maybe"),
            ("released_on", "not a date"),
        ),
        update_field="sku",
        filter_field="sku",
        restricting=((make_order_item, "product_id"),),
        decimals=(("price", 2),),
        operators=(
            ("sku", "text", ("in", "icontains")),
            ("name", "text", ("in", "icontains")),
            ("price", "decimal", ("gt", "gte", "lt", "lte")),
            ("released_on", "date", ("gt", "gte", "lt", "lte", "in")),
        ),
        search=("name", "sku"),
    ),
}


def with_endpoint(action: str) -> list[Resource]:
    return [r for r in RESOURCES.values() if action in r.levels]
