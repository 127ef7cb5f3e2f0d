"""Alembic's environment: the app's engine and models, SQLite-safe batch migrations."""

import logging
from datetime import UTC, datetime
from logging.config import fileConfig
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate import renderers
from alembic.autogenerate.api import AutogenContext
from alembic.autogenerate.render import _render_modify_table
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import models  # noqa: F401 - registers every model on Base.metadata
from database import Base, UTCDateTime, engine, set_sqlite_foreign_keys

config = context.config
if config.config_file_name is not None and config.attributes.get(
    "configure_logging", True
):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# One number for every app: workers starting together wait for each other here.
MIGRATION_LOCK_ID = 7_041_990


CHECK_CONSTRAINTS_COMPARED = [
    "alembic.autogenerate.*",
    "alembic.autogenerate.checkconstraint_byname",
]


def render_item(
    type_: str, obj: Any, autogen_context: AutogenContext
) -> str | Literal[False]:
    # Revisions stay plain SQLAlchemy: UTCDateTime is a timezone-aware DateTime column.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    # sa.false()/sa.true() stay expressions, so each database renders its own literal.
    if type_ == "server_default" and isinstance(obj, sa.DefaultClause):
        if isinstance(obj.arg, sa.sql.elements.False_):
            return "sa.false()"
        if isinstance(obj.arg, sa.sql.elements.True_):
            return "sa.true()"
    return False


@renderers.dispatch_for(ops.ModifyTableOps, replace=True)
def render_batch(autogen_context: AutogenContext, op_: ops.ModifyTableOps) -> list[str]:
    # SQLite does not report AUTOINCREMENT: a table that batch mode rebuilds gets it
    # back from here, so ids are never reused.
    lines = _render_modify_table(autogen_context, op_)
    metadata = autogen_context.metadata
    table = (
        metadata.tables.get(op_.table_name)
        if isinstance(metadata, sa.MetaData)
        else None
    )
    if lines and table is not None and table.dialect_options["sqlite"]["autoincrement"]:
        lines[0] = lines[0].replace(
            ") as batch_op:",
            ', table_kwargs={"sqlite_autoincrement": True}) as batch_op:',
        )
    return lines


def zero_value(column: sa.Column[Any], now: datetime) -> Any:
    """The value existing rows get for a new required column: its type's zero value."""
    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.Enum):
        return None  # no zero value: the revision needs a hand-written value
    if isinstance(column_type, sa.Integer | sa.Float | sa.Numeric):
        return text("0")
    if isinstance(column_type, sa.String):
        return ""
    if isinstance(column_type, sa.Boolean):
        return sa.false()
    if isinstance(column_type, sa.DateTime):
        return now.isoformat(sep=" ", timespec="seconds")
    if isinstance(column_type, sa.Date):
        return now.date().isoformat()
    return None


def fill_new_required_columns(
    context_: MigrationContext, revision: Any, directives: list[Any]
) -> None:
    """Give a new NOT NULL column a server default for the rows already there.

    Existing rows get the column type's zero value (false, 0, "", the migration's
    time); the next batch drops the default again, so models and database agree.
    """
    script = directives[0]
    if script.upgrade_ops is None:
        return
    now = datetime.now(UTC).replace(microsecond=0)
    upgrade: list[Any] = []
    for op_ in script.upgrade_ops.ops:
        upgrade.append(op_)
        if not isinstance(op_, ops.ModifyTableOps):
            continue
        filled: list[sa.Column[Any]] = []
        for index, change in enumerate(op_.ops):
            if not isinstance(change, ops.AddColumnOp):
                continue
            column = change.column
            if column.nullable or column.server_default is not None:
                continue
            value = None if column.foreign_keys else zero_value(column, now)
            if value is None:
                logger.warning(
                    "New required column %s.%s has no value for existing rows:"
                    " edit the revision before upgrading a database that has rows",
                    op_.table_name,
                    column.name,
                )
                continue
            column = column._copy()
            column.server_default = sa.DefaultClause(value)
            op_.ops[index] = ops.AddColumnOp(op_.table_name, column, schema=op_.schema)
            filled.append(column)
        if filled:
            upgrade.append(
                ops.ModifyTableOps(
                    op_.table_name,
                    [
                        ops.AlterColumnOp(
                            op_.table_name,
                            column.name,
                            schema=op_.schema,
                            existing_type=column.type,
                            existing_nullable=False,
                            existing_server_default=column.server_default,
                            modify_server_default=None,
                        )
                        for column in filled
                    ],
                    schema=op_.schema,
                )
            )
    script.upgrade_ops.ops[:] = upgrade


def sqlite_sequences(connection: sa.Connection) -> dict[str, int]:
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
    ).first()
    if exists is None:
        return {}
    rows = connection.exec_driver_sql("SELECT name, seq FROM sqlite_sequence")
    return {name: seq for name, seq in rows}


def restore_sqlite_sequences(connection: sa.Connection, before: dict[str, int]) -> None:
    """A rebuilt table starts counting from its largest id: keep the old high-water mark."""
    after = sqlite_sequences(connection)
    tables = set(sa.inspect(connection).get_table_names())
    for name, seq in before.items():
        if name not in tables or after.get(name, -1) >= seq:
            continue
        if name in after:
            statement = "UPDATE sqlite_sequence SET seq = :seq WHERE name = :name"
        else:
            statement = "INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"
        connection.execute(text(statement), {"name": name, "seq": seq})


def run_migrations() -> None:
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds tables by copy, drop, rename: with foreign keys on, the drop
            # would cascade to child rows. The pragma only works outside a transaction.
            set_sqlite_foreign_keys(connection, enabled=False)
            sequences = sqlite_sequences(connection)
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
            render_item=render_item,
            process_revision_directives=fill_new_required_columns,
            # Named CHECK constraints are compared too: a value added to an enum field
            # becomes a migration that replaces its constraint.
            autogenerate_plugins=CHECK_CONSTRAINTS_COMPARED,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                )
            context.run_migrations()
            if sqlite:
                restore_sqlite_sequences(connection, sequences)
        connection.commit()  # SQLite's DDL is not transactional: Alembic leaves it open
        if sqlite:
            set_sqlite_foreign_keys(connection, enabled=True)


if context.is_offline_mode():
    raise SystemExit(
        "Offline (--sql) migrations are not supported; run them against a database"
    )
try:
    run_migrations()
except sa.exc.OperationalError as error:
    if not config.attributes.get("configure_logging", True):
        raise  # run by the app at startup: main.lifespan reports it in one line
    reason = str(error.orig).splitlines()[0]
    raise SystemExit(
        f"Cannot migrate: the database at DATABASE_URL is unreachable: {reason}"
    ) from None
