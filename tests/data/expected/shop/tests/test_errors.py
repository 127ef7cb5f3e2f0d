"""Bad input and failed writes answer 4xx (or 503) with a reason in valid JSON, never 500.

Hostile values go to every write route; database failures go through PATCH /auth/me, with
a session whose commit fails the way the database would (a race with another request, a
value it cannot hold, a lost server).
"""

import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, NamedTuple, NoReturn

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from config import settings
from database import engine, get_session
from errors import MAX_ECHO_BYTES
from main import app
from tests.conftest import Caller
from tests.factories import customer_payload
from tests.resources import with_endpoint

USERNAME = "login"
USER_DATETIMES = ()
# JSON that Python's parser accepts but JSON cannot answer with: non-finite numbers and
# lone surrogates.
HOSTILE = ["NaN", "Infinity", "-Infinity", "1e999", '"\\ud800"', '"a\\udfffb"']
PLACEHOLDER = "__hostile__"


def valid_json(response: Response) -> Any:
    """The body, parsed strictly: UTF-8, no NaN or Infinity, no lone surrogate."""

    def refuse(constant: str) -> NoReturn:
        raise ValueError(f"{constant} is not JSON")

    body = json.loads(response.content.decode("utf-8"), parse_constant=refuse)
    json.dumps(body, ensure_ascii=False).encode("utf-8")  # fails on a lone surrogate
    return body


class WriteRoute(NamedTuple):
    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]  # valid
    datetimes: tuple[str, ...]


def write_routes(session: Session, user: Caller, admin: Caller) -> list[WriteRoute]:
    """Every route that takes a JSON body."""
    # Records first, payloads after: a model whose unique fields allow few rows (a unique
    # bool) then has its rows' values distinct.
    updated = {r.name: r.make(session).id for r in with_endpoint("update")}
    own = customer_payload(session)
    routes = [WriteRoute("PATCH", "/auth/me", user.headers, own, USER_DATETIMES)]
    new = customer_payload(session)
    routes.append(WriteRoute("POST", "/auth/register", {}, new, USER_DATETIMES))
    for r in with_endpoint("create"):
        routes.append(
            WriteRoute("POST", r.url, admin.headers, r.payload(session), r.datetimes)
        )
    for r in with_endpoint("update"):
        url = f"{r.url}/{updated[r.name]}"
        routes.append(
            WriteRoute("PATCH", url, admin.headers, r.payload(session), r.datetimes)
        )
    return routes


def with_value(body: dict[str, Any], field: str, literal: str) -> str:
    """`body` as JSON text, with `literal` (JSON text) as the value of `field`."""
    return json.dumps({**body, field: PLACEHOLDER}).replace(f'"{PLACEHOLDER}"', literal)


@pytest.mark.parametrize("literal", HOSTILE)
def test_non_finite_numbers_and_lone_surrogates_are_422_in_valid_json(
    client: TestClient, session: Session, user: Caller, admin: Caller, literal: str
) -> None:
    for route in write_routes(session, user, admin):
        for field in route.body:
            response = client.request(
                route.method,
                route.url,
                content=with_value(route.body, field, literal),
                headers={**route.headers, "Content-Type": "application/json"},
            )
            assert response.status_code == 422, (route.url, field, response.text)
            assert valid_json(response)["detail"]


@pytest.mark.parametrize("depth", [10, 900, 5_000, 100_000])
def test_deeply_nested_bodies_are_refused_in_valid_json(
    client: TestClient, user: Caller, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    response = client.patch(
        "/auth/me",
        content=with_value({}, USERNAME, nested),
        headers={**user.headers, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert valid_json(response)["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"y" * 200_000: "unknown field"},
        {USERNAME: ["y" * 200_000]},
        {USERNAME: {"nested": ["y" * 1000] * 200}},
    ],
    ids=["huge-key", "huge-value", "huge-object"],
)
def test_an_error_echoes_at_most_1_kib_of_any_value(
    client: TestClient, user: Caller, body: dict[str, Any]
) -> None:
    response = client.patch("/auth/me", json=body, headers=user.headers)
    assert response.status_code == 422
    for error in valid_json(response)["detail"]:
        shown = [
            *error["loc"],
            error["msg"],
            error.get("input"),
            *error.get("ctx", {}).values(),
        ]
        for value in shown:
            text = (
                value
                if isinstance(value, str)
                else json.dumps(value, ensure_ascii=False)
            )
            assert len(text.encode()) <= MAX_ECHO_BYTES


def test_a_body_over_the_limit_is_413(client: TestClient, user: Caller) -> None:
    too_big = b"x" * (settings.max_body_bytes + 1)
    json_headers = {**user.headers, "Content-Type": "application/json"}
    response = client.patch("/auth/me", content=too_big, headers=json_headers)
    assert response.status_code == 413
    assert valid_json(response)["detail"]

    def chunks() -> (
        Iterator[bytes]
    ):  # no Content-Length: sent chunked, counted as it comes
        for start in range(0, len(too_big), 64 * 1024):
            yield too_big[start : start + 64 * 1024]

    response = client.patch("/auth/me", content=chunks(), headers=json_headers)
    assert response.status_code == 413
    assert valid_json(response)["detail"]
    form = {"username": "x" * (settings.max_body_bytes + 1), "password": "x"}
    assert client.post("/auth/token", data=form).status_code == 413
    assert client.patch("/auth/me", json={}, headers=user.headers).status_code == 200


# An offset that moves them past the last (or before the first) year Python can hold.
EXTREME_DATETIMES = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"]


@pytest.mark.parametrize("value", EXTREME_DATETIMES)
def test_datetimes_out_of_range_in_utc_are_422(
    client: TestClient, session: Session, user: Caller, admin: Caller, value: str
) -> None:
    for route in write_routes(session, user, admin):
        for field in set(route.body) & set(route.datetimes):
            body = {**route.body, field: value}
            response = client.request(
                route.method, route.url, json=body, headers=route.headers
            )
            assert response.status_code == 422, (route.url, field, response.text)
    for resource in with_endpoint("list"):
        for field in resource.datetimes:
            response = client.get(
                resource.url, params={field: value}, headers=admin.headers
            )
            assert response.status_code == 422, (resource.url, field, response.text)


@pytest.mark.parametrize(
    "sort",
    ["id,id", "id,-id", "-id,id", ",".join(["id"] * 5_000), ",".join(["-id"] * 50)],
)
def test_a_sort_naming_a_field_twice_or_too_many_fields_is_422(
    client: TestClient, admin: Caller, sort: str
) -> None:
    for resource in with_endpoint("list"):
        response = client.get(
            resource.url, params={"sort": sort}, headers=admin.headers
        )
        assert response.status_code == 422, resource.url
        assert response.json()["detail"][0]["loc"] == ["query", "sort"]


def test_a_taken_username_is_409_naming_the_field(
    client: TestClient, user: Caller, other_user: Caller
) -> None:
    assert other_user.user is not None
    taken = {USERNAME: getattr(other_user.user, USERNAME)}
    response = client.patch("/auth/me", json=taken, headers=user.headers)
    assert response.status_code == 409
    assert USERNAME in response.json()["detail"]


def failing_commit(error: Exception) -> Callable[[], Iterator[Session]]:
    """A session dependency whose commit raises `error`."""

    class FailingSession(Session):
        def commit(self) -> None:
            raise error

    def get_failing_session() -> Iterator[Session]:
        with FailingSession(engine, expire_on_commit=False) as session:
            yield session

    return get_failing_session


def failed_patch(client: TestClient, user: Caller, error: Exception) -> Response:
    app.dependency_overrides[get_session] = failing_commit(error)
    try:
        return client.patch("/auth/me", json={}, headers=user.headers)
    finally:
        app.dependency_overrides.clear()


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
    response = failed_patch(client, user, error)
    assert response.status_code == status
    assert response.json()["detail"]


def postgresql_error(detail: str | None) -> Exception:
    """What psycopg raises for a unique violation: its SQLSTATE, and the server's detail."""
    error = Exception("duplicate key value violates unique constraint")
    error.sqlstate = "23505"  # type: ignore[attr-defined]
    error.diag = SimpleNamespace(message_detail=detail)  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    ("orig", "named"),
    [
        (Exception("UNIQUE constraint failed: users.email"), "email"),
        (
            Exception("UNIQUE constraint failed: tracks.album_id, tracks.position"),
            "album_id, position",
        ),
        (postgresql_error("Key (email)=(ann@x.io) already exists."), "email"),
        (
            postgresql_error("Key (album_id, position)=(1, 2) already exists."),
            "album_id, position",
        ),
        (postgresql_error(None), None),
        (Exception("UNIQUE constraint failed"), None),
    ],
    ids=[
        "sqlite",
        "sqlite-together",
        "postgresql",
        "postgresql-together",
        "no-detail",
        "other",
    ],
)
def test_a_unique_violation_names_the_fields_but_never_the_value(
    client: TestClient, user: Caller, orig: Exception, named: str | None
) -> None:
    response = failed_patch(client, user, IntegrityError("UPDATE", {}, orig))
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert named is None or named in detail, detail
    assert "ann@x.io" not in detail
