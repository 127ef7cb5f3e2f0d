"""Accounts: register, log in, tokens."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.builder.conftest import PASSWORD, sign_up


def test_register_then_log_in(client: TestClient) -> None:
    response = client.post(
        "/api/auth/register", json={"email": " Carol@Example.com ", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "email": "carol@example.com"}

    token = client.post(
        "/api/auth/token", data={"username": "carol@example.com", "password": PASSWORD}
    )
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get("/api/projects", headers=headers).json() == []


def test_an_e_mail_registers_once(client: TestClient) -> None:
    sign_up(client, "dave@example.com")
    again = client.post(
        "/api/auth/register", json={"email": "DAVE@example.com", "password": PASSWORD}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-address", "password": PASSWORD},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com"},
        {"email": "nul\u0000@example.com", "password": PASSWORD},
        {"email": "a@example.com", "password": "x" * 300},
        {"email": 5, "password": PASSWORD},
        [],
    ],
)
def test_bad_registrations_are_422(client: TestClient, body: object) -> None:
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


@pytest.mark.parametrize(
    "form",
    [
        {"username": "alice@example.com", "password": "wrong password"},
        {"username": "nobody@example.com", "password": PASSWORD},
        {"username": "nul\u0000", "password": PASSWORD},
    ],
)
def test_wrong_credentials_are_401(client: TestClient, alice: dict, form: dict) -> None:
    response = client.post("/api/auth/token", data=form)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_form_fields_are_required(client: TestClient) -> None:
    assert client.post("/api/auth/token", data={"username": "x"}).status_code == 422


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer nonsense", "Bearer " + "a.b.c", "Basic abc", "Bearer "],
)
def test_api_needs_a_valid_token(client: TestClient, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [
        ("GET", "/api/projects"),
        ("POST", "/api/projects"),
        ("GET", "/api/projects/1/schema"),
        ("PUT", "/api/projects/1/schema"),
        ("GET", "/api/projects/1/schemas"),
        ("GET", "/api/projects/1/schemas/1"),
        ("POST", "/api/projects/1/schemas/1/restore"),
        ("POST", "/api/projects/1/builds"),
        ("GET", "/api/builds/1/download"),
    ]:
        response = client.request(method, path, headers=headers, json={"name": "x"})
        assert response.status_code == 401, (method, path, response.text)


def test_a_token_of_another_key_is_refused(client: TestClient, alice: dict) -> None:
    import jwt

    forged = jwt.encode(
        {"sub": "1", "exp": 4102444800}, "another-key-of-32-bytes-or-longer", "HS256"
    )
    response = client.get("/api/projects", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_an_expired_token_is_refused(client: TestClient, alice: dict, settings) -> None:
    from builder.security import create_token

    expired = create_token(1, settings.secret_key, expire_minutes=-1)
    response = client.get("/api/projects", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
