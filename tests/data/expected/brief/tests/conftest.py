"""Fixtures: a migrated test database, a client, and callers with tokens.

Tests use DATABASE_URL from TEST_DATABASE_URL when set (PostgreSQL, say), else a
temporary SQLite file. The schema comes from the Alembic migrations, so the suite
fails when models and migrations disagree.
"""

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

_tmp = tempfile.mkdtemp(prefix="tests-")
os.environ["DATABASE_URL"] = os.environ.get(
    "TEST_DATABASE_URL", f"sqlite:///{_tmp}/test.db"
)
os.environ["SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-hs256"
os.environ["ENVIRONMENT"] = "local"
os.environ["MIGRATE_ON_STARTUP"] = "false"
os.environ["ADMIN_EMAIL"] = ""
os.environ["ADMIN_PASSWORD"] = ""

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from auth.rate_limit import reset_rate_limits  # noqa: E402
from auth.security import create_access_token  # noqa: E402
from database import (  # noqa: E402
    Base,
    SessionLocal,
    engine,
    migrate_database,
    set_sqlite_foreign_keys,
)
from main import app  # noqa: E402
from models.user import Role, User  # noqa: E402
from tests.factories import make_user  # noqa: E402


@dataclass
class Caller:
    """Someone calling the API: their record (None when anonymous) and headers."""

    name: str
    user: User | None
    headers: dict[str, str]

    @property
    def id(self) -> int | None:
        return self.user.id if self.user else None


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    migrate_database()
    yield
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _empty_tables(database: None) -> Iterator[None]:
    yield
    reset_rate_limits()
    tables = [table.name for table in Base.metadata.sorted_tables]
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            set_sqlite_foreign_keys(connection, enabled=False)
            for table in reversed(tables):
                connection.exec_driver_sql(f'DELETE FROM "{table}"')
            connection.commit()
            set_sqlite_foreign_keys(connection, enabled=True)
        connection.commit()


@pytest.fixture
def session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def token_headers(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_access_token(user)}"}


def _caller(session: Session, name: str, role: Role) -> Caller:
    user = make_user(session, role=role)
    return Caller(name, user, token_headers(user))


@pytest.fixture
def anonymous() -> Caller:
    return Caller("anonymous", None, {})


@pytest.fixture
def user(session: Session) -> Caller:
    return _caller(session, "user", Role.user)


@pytest.fixture
def other_user(session: Session) -> Caller:
    return _caller(session, "other_user", Role.user)


@pytest.fixture
def admin(session: Session) -> Caller:
    return _caller(session, "admin", Role.admin)
