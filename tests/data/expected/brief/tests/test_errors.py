"""Database errors on a write answer 4xx or 503 with a reason, never 500.

The write goes through PATCH /auth/me, with a session whose commit fails the way the
database would (a race with another request, a value it cannot hold, a lost server).
"""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from database import engine, get_session
from main import app
from tests.conftest import Caller


def failing_commit(error: Exception) -> Callable[[], Iterator[Session]]:
    """A session dependency whose commit raises `error`."""

    class FailingSession(Session):
        def commit(self) -> None:
            raise error

    def get_failing_session() -> Iterator[Session]:
        with FailingSession(engine, expire_on_commit=False) as session:
            yield session

    return get_failing_session


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (IntegrityError("UPDATE", {}, Exception("UNIQUE constraint failed: t.x")), 409),
        (IntegrityError("UPDATE", {}, Exception("FOREIGN KEY constraint failed")), 422),
        (IntegrityError("UPDATE", {}, Exception("CHECK constraint failed: x")), 422),
        (DataError("UPDATE", {}, Exception("value too long for type")), 422),
        (StaleDataError("UPDATE statement matched 0 rows"), 404),
        (
            OperationalError("UPDATE", {}, Exception("server closed the connection")),
            503,
        ),
    ],
    ids=["unique", "foreign-key", "check", "data", "deleted-meanwhile", "unreachable"],
)
def test_a_failed_write_answers_with_a_reason(
    client: TestClient, user: Caller, error: Exception, status: int
) -> None:
    app.dependency_overrides[get_session] = failing_commit(error)
    try:
        response = client.patch("/auth/me", json={}, headers=user.headers)
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == status
    assert response.json()["detail"]
