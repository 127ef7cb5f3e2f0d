"""Operations: health checks, brute-force limits on the auth routes, the access log."""

import logging

import pytest
from fastapi.testclient import TestClient
from limits import parse
from sqlalchemy.orm import Session

import auth.rate_limit
from tests.factories import PASSWORD, make_customer

USERNAME = "login"


def test_health_answers_without_auth(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ok"}


def test_too_many_attempts_from_one_client_is_429(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth.rate_limit, "_per_client", parse("3 per minute"))
    answers = [
        client.post(
            "/auth/token", data={"username": "nobody", "password": "x"}
        ).status_code
        for _ in range(4)
    ]
    assert answers == [401, 401, 401, 429]
    response = client.post("/auth/token", data={"username": "nobody", "password": "x"})
    assert int(response.headers["Retry-After"]) >= 1


def test_failed_logins_lock_a_username_only(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth.rate_limit, "FAILED_LOGINS", parse("2 per minute"))
    target = getattr(make_customer(session), USERNAME)
    bystander = getattr(make_customer(session), USERNAME)
    for _ in range(2):
        client.post("/auth/token", data={"username": target, "password": "wrong"})
    locked = client.post("/auth/token", data={"username": target, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    fine = client.post(
        "/auth/token", data={"username": bystander, "password": PASSWORD}
    )
    assert fine.status_code == 200


def test_each_request_gets_one_access_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="access"):
        client.get("/health")
    lines = [r.getMessage() for r in caplog.records if r.name == "access"]
    assert len(lines) == 1
    method, path, status, duration = lines[0].split()
    assert (method, path, status) == ("GET", "/health", "200")
    assert duration.endswith("ms")
