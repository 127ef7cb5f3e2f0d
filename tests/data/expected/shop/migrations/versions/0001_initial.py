"""Initial tables, written when the project was generated.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 64-bit, except on SQLite: only an INTEGER PRIMARY KEY autoincrements there.
BIG_INTEGER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "shop_customers",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("login", sa.String(length=40), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("loyalty_points", BIG_INTEGER, nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("api_token", sa.String(length=255), nullable=True),
        sa.Column(
            "role",
            sa.Enum("admin", "user", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_customers")),
        sa.UniqueConstraint("login", name=op.f("uq_shop_customers_login")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "products",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("sku", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("in_stock", sa.Boolean(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "addresses",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("line1", sa.String(length=255), nullable=False),
        sa.Column("city", sa.String(length=255), nullable=False),
        sa.Column("customer_id", BIG_INTEGER, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.id"],
            name=op.f("fk_addresses_customer_id_shop_customers"),
            ondelete="CASCADE",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_addresses_customer_id"), "addresses", ["customer_id"])
    op.create_table(
        "orders",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("customer_id", BIG_INTEGER, nullable=False),
        sa.Column("referrer_id", BIG_INTEGER, nullable=True),
        sa.Column("shipping_address_id", BIG_INTEGER, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.CheckConstraint(
            sa.column("status").in_(["new", "paid", "shipped", "cancelled"]),
            name=op.f("ck_orders_status_values_c6d49315"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["shop_customers.id"],
            name=op.f("fk_orders_customer_id_shop_customers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referrer_id"],
            ["shop_customers.id"],
            name=op.f("fk_orders_referrer_id_shop_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shipping_address_id"],
            ["addresses.id"],
            name=op.f("fk_orders_shipping_address_id_addresses"),
            ondelete="SET NULL",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_orders_customer_id"), "orders", ["customer_id"])
    op.create_index(op.f("ix_orders_referrer_id"), "orders", ["referrer_id"])
    op.create_index(
        op.f("ix_orders_shipping_address_id"), "orders", ["shipping_address_id"]
    )
    op.create_table(
        "order_items",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("quantity", BIG_INTEGER, nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("order_id", BIG_INTEGER, nullable=False),
        sa.Column("product_id", BIG_INTEGER, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_items")),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_items_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_order_items_product_id_products"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "order_id", "product_id", name=op.f("uq_order_items_order_id_product_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_order_items_order_id"), "order_items", ["order_id"])
    op.create_index(op.f("ix_order_items_product_id"), "order_items", ["product_id"])


def downgrade() -> None:
    op.drop_table("order_items")
    op.drop_table("orders")
    op.drop_table("addresses")
    op.drop_table("products")
    op.drop_table("shop_customers")
