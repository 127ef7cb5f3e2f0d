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
        "users",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("password", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "user", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "posts",
        sa.Column("id", BIG_INTEGER, nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("content", sa.String(length=255), nullable=False),
        sa.Column("user_id", BIG_INTEGER, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_posts_user_id_users"),
            ondelete="RESTRICT",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_posts_user_id"), "posts", ["user_id"])


def downgrade() -> None:
    op.drop_table("posts")
    op.drop_table("users")
