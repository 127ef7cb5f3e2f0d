"""The database engine, sessions, and the declarative base every model extends."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from alembic import command
from alembic.config import Config
from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import (
    BigInteger,
    Connection,
    DateTime,
    Dialect,
    Double,
    Engine,
    Integer,
    MetaData,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from config import BASE_DIR, settings
from sqlite_writes import serialize_sqlite_writes

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# Stable constraint names, so migrations can alter and drop them later (SQLite too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; SQLite gives it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(
        self, value: datetime | None, dialect: Dialect
    ) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # The column type of each Python type, where SQLAlchemy's own is not the one wanted:
    # 64-bit integers (INTEGER on SQLite, the only primary key it autoincrements), doubles,
    # datetimes stored in UTC.
    type_annotation_map = {
        int: BigInteger().with_variant(Integer(), "sqlite"),
        float: Double(),
        datetime: UTCDateTime(),
    }
    # Ids are never reused, not even a deleted row's (SQLite: AUTOINCREMENT).
    # A model with constraints of its own lists them before this: (*constraints, Base's).
    __table_args__: Any = {"sqlite_autoincrement": True}


def _create_engine(url: str) -> Engine:
    try:
        if make_url(url).get_backend_name() != "sqlite":
            # Connections dropped while the database was away are replaced, not reused.
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
    except ArgumentError as error:  # a malformed URL, or an unknown database or driver
        raise SystemExit(f"Invalid DATABASE_URL: {error}") from None
    except ImportError as error:  # a known database whose driver is not installed
        raise SystemExit(
            f"Invalid DATABASE_URL: its driver is not installed ({error});"
            " for PostgreSQL use postgresql+psycopg://"
        ) from None

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, connection_record: Any) -> None:
        # Foreign keys are off by default and per connection; WAL lets readers and a
        # writer work at once. Transactions are begun by sqlite_writes.py, not by the
        # sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


engine = _create_engine(settings.database_url)


def set_sqlite_foreign_keys(connection: Connection, enabled: bool) -> None:
    """Switch SQLite's foreign keys for this connection, between transactions.

    The pragma does nothing inside a transaction, so it goes to the bare DBAPI connection
    (which this engine keeps in autocommit) rather than through SQLAlchemy's autobegin.
    """
    assert not connection.in_transaction(), "commit before switching foreign keys"
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None
    dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


SessionLocal = sessionmaker(engine, expire_on_commit=False)
# What a request's session is bound to: on SQLite, writing requests take the write lock
# from BEGIN (see sqlite_writes.py); elsewhere, the engine.
READ_BIND, WRITE_BIND = (
    serialize_sqlite_writes(engine)
    if engine.dialect.name == "sqlite"
    else (engine, engine)
)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session, used in the endpoint's worker thread.

    An async dependency saves two threadpool round trips per request: making a session does
    no I/O (it connects at its first query, in the endpoint), and closing one does none
    either unless a server must roll back an open transaction.
    """
    reads = request.method in ("GET", "HEAD", "OPTIONS")
    session = SessionLocal(bind=READ_BIND if reads else WRITE_BIND)
    try:
        yield session
    finally:
        if session.in_transaction() and engine.dialect.name != "sqlite":
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]
RecordId = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]


def alembic_config() -> Config:
    """The project's Alembic configuration, for running its commands from Python."""
    config = Config(BASE_DIR / "alembic.ini")
    config.attributes["configure_logging"] = False  # the app has set up logging already
    return config


def migrate_database() -> None:
    """Bring the database to the latest Alembic revision."""
    command.upgrade(alembic_config(), "head")
