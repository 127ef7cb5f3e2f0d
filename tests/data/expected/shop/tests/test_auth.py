"""Auth: registration, tokens, one's own record, attacks on tokens, roles."""

from datetime import timedelta

import jwt
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from auth.security import ALGORITHM, create_access_token
from config import settings
from tests.conftest import Caller
from tests.factories import PASSWORD, customer_payload, make_customer

USERNAME = "login"
PASSWORD_FIELD = "secret_hash"


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post(
        "/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_register_then_log_in(client: TestClient, session: Session) -> None:
    payload = customer_payload(session)
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["role"] == "user"
    assert PASSWORD_FIELD not in record
    headers = login(client, payload[USERNAME], payload[PASSWORD_FIELD])
    assert client.get("/auth/me", headers=headers).json() == record


def test_register_cannot_choose_a_role(client: TestClient, session: Session) -> None:
    payload = customer_payload(session, role="admin")
    assert client.post("/auth/register", json=payload).status_code in (403, 422)


def test_register_a_taken_username_is_409(client: TestClient, session: Session) -> None:
    payload = customer_payload(session)
    assert client.post("/auth/register", json=payload).status_code == 201
    again = customer_payload(session, **{USERNAME: payload[USERNAME]})
    assert client.post("/auth/register", json=again).status_code == 409


def test_wrong_password_or_unknown_user_is_401(
    client: TestClient, session: Session
) -> None:
    record = make_customer(session)
    for username, password in [
        (getattr(record, USERNAME), "wrong password"),
        ("nobody-" + getattr(record, USERNAME), PASSWORD),
    ]:
        response = client.post(
            "/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_needs_a_token(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_changes_own_fields_and_password(
    client: TestClient, session: Session, user: Caller
) -> None:
    assert user.user is not None
    new_password = customer_payload(session)[PASSWORD_FIELD]  # within its length limits
    response = client.patch(
        "/auth/me", json={PASSWORD_FIELD: new_password}, headers=user.headers
    )
    assert response.status_code == 200, response.text
    assert PASSWORD_FIELD not in response.json()
    login(client, getattr(user.user, USERNAME), new_password)


def test_me_cannot_change_own_role(client: TestClient, user: Caller) -> None:
    response = client.patch("/auth/me", json={"role": "admin"}, headers=user.headers)
    assert response.status_code in (403, 422)
    assert client.get("/auth/me", headers=user.headers).json()["role"] == "user"


def test_bad_tokens_are_401(client: TestClient, session: Session, user: Caller) -> None:
    assert user.user is not None
    user_id = str(user.user.id)
    in_an_hour = {"sub": user_id, "exp": 4_102_444_800}
    tokens = [
        "not-a-jwt",
        jwt.encode(
            in_an_hour, "some other key, long enough to be a key", algorithm=ALGORITHM
        ),
        jwt.encode(in_an_hour, None, algorithm="none"),  # type: ignore[arg-type]
        create_access_token(user.user.id, expires_in=timedelta(seconds=-1)),
        jwt.encode(
            {"sub": user_id}, settings.secret_key, algorithm=ALGORITHM
        ),  # no exp
        jwt.encode(
            {"sub": "x", "exp": 4_102_444_800}, settings.secret_key, algorithm=ALGORITHM
        ),
    ]
    for token in tokens:
        response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deleted_users_token_stops_working(
    client: TestClient, session: Session, user: Caller
) -> None:
    assert client.get("/auth/me", headers=user.headers).status_code == 200
    session.delete(user.user)
    session.commit()
    assert client.get("/auth/me", headers=user.headers).status_code == 401


def test_only_an_admin_changes_a_role(
    client: TestClient, user: Caller, admin: Caller
) -> None:
    url = "/customers" + f"/{user.id}"
    response = client.patch(url, json={"role": "admin"}, headers=user.headers)
    assert response.status_code == 403
    assert client.get("/auth/me", headers=user.headers).json()["role"] == "user"
    response = client.patch(url, json={"role": "admin"}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert client.get("/auth/me", headers=user.headers).json()["role"] == "admin"
