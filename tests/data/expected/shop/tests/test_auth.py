"""Auth: registration, tokens, one's own record, attacks on tokens and logins, roles."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from auth.rate_limit import FAILED_LOGINS, failed_login_keys
from auth.security import ALGORITHM, create_access_token, password_hash, password_stamp
from config import settings
from main import app
from tests.conftest import Caller
from tests.factories import PASSWORD, customer_payload, make_customer

USERNAME = "login"
PASSWORD_FIELD = "secret_hash"
WRONG_PASSWORD = "not the password"


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post(
        "/auth/token", data={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def from_address(host: str) -> TestClient:
    """A client whose requests come from `host` (the ASGI scope's client address)."""

    async def app_seen_from_host(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "client": (host, 50000)}, receive, send)

    return TestClient(app_seen_from_host)


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


def test_register_cannot_set_loyalty_points(
    client: TestClient, session: Session
) -> None:
    # Only an admin sets it (admin_only), on register and PATCH /auth/me too.
    payload = {**customer_payload(session), "loyalty_points": 0}
    response = client.post("/auth/register", json=payload)
    assert response.status_code == 403, response.text
    assert "loyalty_points" in response.json()["detail"]


def test_register_a_taken_username_is_409(client: TestClient, session: Session) -> None:
    payload = customer_payload(session)
    assert client.post("/auth/register", json=payload).status_code == 201
    again = customer_payload(session, **{USERNAME: payload[USERNAME]})
    response = client.post("/auth/register", json=again)
    assert response.status_code == 409
    assert USERNAME in response.json()["detail"]


def test_usernames_are_compared_trimmed_and_case_insensitively(
    client: TestClient, session: Session
) -> None:
    username = getattr(make_customer(session), USERNAME)
    login(client, f"  {username.upper()} ", PASSWORD)
    taken = customer_payload(session, **{USERNAME: f" {username.upper()}"})
    assert client.post("/auth/register", json=taken).status_code == 409
    fresh = customer_payload(session)
    response = client.post(
        "/auth/register", json={**fresh, USERNAME: f" {fresh[USERNAME].upper()}  "}
    )
    assert response.status_code == 201, response.text
    assert response.json()[USERNAME] == fresh[USERNAME]


def test_the_user_routes_compare_usernames_the_same_way(
    client: TestClient, session: Session, admin: Caller
) -> None:
    username = getattr(make_customer(session), USERNAME)
    payload = customer_payload(session, **{USERNAME: f" {username.upper()}"})
    response = client.post("/customers", json=payload, headers=admin.headers)
    assert response.status_code == 409
    assert USERNAME in response.json()["detail"]


@pytest.mark.parametrize(
    "username", ["tab\there", "new\nline", "nul\x00", "bell\x07", "del\x7f"]
)
def test_control_characters_in_a_username_are_refused(
    client: TestClient, session: Session, user: Caller, username: str
) -> None:
    payload = customer_payload(session, **{USERNAME: username})
    assert client.post("/auth/register", json=payload).status_code == 422
    response = client.patch("/auth/me", json={USERNAME: username}, headers=user.headers)
    assert response.status_code == 422
    form = {"username": username, "password": PASSWORD}
    assert client.post("/auth/token", data=form).status_code == 422


def test_a_short_password_is_refused(
    client: TestClient, session: Session, user: Caller
) -> None:
    short = "p" * (8 - 1)  # the password field's min_length, less one
    payload = customer_payload(session, **{PASSWORD_FIELD: short})
    assert client.post("/auth/register", json=payload).status_code == 422
    change = {PASSWORD_FIELD: short, "current_password": PASSWORD}
    assert (
        client.patch("/auth/me", json=change, headers=user.headers).status_code == 422
    )


def test_wrong_password_or_unknown_user_is_401(
    client: TestClient, session: Session
) -> None:
    record = make_customer(session)
    for username, password in [
        (getattr(record, USERNAME), WRONG_PASSWORD),
        ("nobody-" + getattr(record, USERNAME), PASSWORD),
    ]:
        response = client.post(
            "/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_login_checks_a_hash_even_for_an_unknown_username(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same work either way: no answer comes faster for a username that does not exist.
    known = getattr(make_customer(session), USERNAME)
    checked: list[str | bytes] = []
    verify = password_hash.verify

    def counted_verify(password: str | bytes, hashed: str | bytes) -> bool:
        checked.append(hashed)
        return verify(password, hashed)

    monkeypatch.setattr(password_hash, "verify", counted_verify)
    for username in (known, "nobody-" + known):
        form = {"username": username, "password": WRONG_PASSWORD}
        assert client.post("/auth/token", data=form).status_code == 401
    assert len(checked) == 2
    assert checked[0] != checked[1]  # the user's hash, then the dummy one


def test_failed_logins_lock_out_only_the_client_that_made_them(
    session: Session,
) -> None:
    username = getattr(make_customer(session), USERNAME)
    attacker, owner = from_address("203.0.113.7"), from_address("198.51.100.2")
    wrong = {"username": username, "password": WRONG_PASSWORD}
    for _ in range(FAILED_LOGINS.amount):
        assert attacker.post("/auth/token", data=wrong).status_code == 401
    right = {"username": username, "password": PASSWORD}
    locked = attacker.post("/auth/token", data=right)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) >= 1
    assert owner.post("/auth/token", data=right).status_code == 200


def test_a_huge_username_costs_the_limiter_a_small_key(client: TestClient) -> None:
    huge = "x" * 500_000
    form = {"username": huge, "password": WRONG_PASSWORD}
    assert client.post("/auth/token", data=form).status_code == 401
    request = Request({"type": "http", "client": ("203.0.113.7", 50000), "headers": []})
    assert sum(map(len, failed_login_keys(request, huge))) < 100


def test_me_needs_a_token(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_me_changes_own_fields_and_password(
    client: TestClient, session: Session, user: Caller
) -> None:
    assert user.user is not None
    username = getattr(user.user, USERNAME)
    assert client.patch("/auth/me", json={}, headers=user.headers).status_code == 200
    assert client.get("/auth/me", headers=user.headers).status_code == 200
    new_password = customer_payload(session)[PASSWORD_FIELD]  # within its length limits
    change = {PASSWORD_FIELD: new_password, "current_password": PASSWORD}
    response = client.patch("/auth/me", json=change, headers=user.headers)
    assert response.status_code == 200, response.text
    assert PASSWORD_FIELD not in response.json()
    assert "current_password" not in response.json()
    # Tokens issued before the new password stop working, this one included.
    assert client.get("/auth/me", headers=user.headers).status_code == 401
    headers = login(client, username, new_password)
    assert client.get("/auth/me", headers=headers).status_code == 200


def test_changing_the_password_needs_the_current_one(
    client: TestClient, session: Session, user: Caller
) -> None:
    assert user.user is not None
    new_password = customer_payload(session)[PASSWORD_FIELD]
    for current in (
        {},
        {"current_password": None},
        {"current_password": WRONG_PASSWORD},
    ):
        change = {PASSWORD_FIELD: new_password, **current}
        response = client.patch("/auth/me", json=change, headers=user.headers)
        assert response.status_code == 403, response.text
    assert client.get("/auth/me", headers=user.headers).status_code == 200
    login(client, getattr(user.user, USERNAME), PASSWORD)


def test_an_admin_resetting_a_password_ends_that_users_tokens(
    client: TestClient, session: Session, user: Caller, admin: Caller
) -> None:
    new_password = customer_payload(session)[PASSWORD_FIELD]
    url = "/customers" + f"/{user.id}"
    response = client.patch(
        url, json={PASSWORD_FIELD: new_password}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert client.get("/auth/me", headers=user.headers).status_code == 401
    assert client.get("/auth/me", headers=admin.headers).status_code == 200


def test_only_an_admin_sets_a_password_through_the_user_routes(
    client: TestClient, session: Session, user: Caller
) -> None:
    # Users change their own through PATCH /auth/me, which asks for current_password.
    new_password = customer_payload(session)[PASSWORD_FIELD]
    url = "/customers" + f"/{user.id}"
    for headers in (user.headers, {}):
        response = client.patch(
            url, json={PASSWORD_FIELD: new_password}, headers=headers
        )
        assert response.status_code in (401, 403), response.text
    assert client.get("/auth/me", headers=user.headers).status_code == 200


def test_me_cannot_set_loyalty_points(
    client: TestClient, user: Caller, admin: Caller
) -> None:
    response = client.patch(
        "/auth/me", json={"loyalty_points": 0}, headers=user.headers
    )
    assert response.status_code == 403, response.text
    response = client.patch(
        "/auth/me", json={"loyalty_points": 0}, headers=admin.headers
    )
    assert response.status_code == 200, response.text


def test_me_cannot_change_own_role(client: TestClient, user: Caller) -> None:
    response = client.patch("/auth/me", json={"role": "admin"}, headers=user.headers)
    assert response.status_code in (403, 422)
    assert client.get("/auth/me", headers=user.headers).json()["role"] == "user"


def test_bad_tokens_are_401(client: TestClient, session: Session, user: Caller) -> None:
    assert user.user is not None
    user_id = str(user.user.id)
    stamp = password_stamp(getattr(user.user, PASSWORD_FIELD))

    def signed(**claims: Any) -> str:
        payload = {"sub": user_id, "pwd": stamp, "exp": 4_102_444_800, **claims}
        return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)

    good = client.get("/auth/me", headers={"Authorization": f"Bearer {signed()}"})
    assert good.status_code == 200  # so each token below fails for its own flaw
    in_an_hour = {"sub": user_id, "pwd": stamp, "exp": 4_102_444_800}
    tokens = [
        "not-a-jwt",
        jwt.encode(
            in_an_hour, "some other key, long enough to be a key", algorithm=ALGORITHM
        ),
        jwt.encode(in_an_hour, None, algorithm="none"),  # type: ignore[arg-type]
        create_access_token(user.user, expires_in=timedelta(seconds=-1)),
        jwt.encode(
            {"sub": user_id, "pwd": stamp}, settings.secret_key, algorithm=ALGORITHM
        ),
        jwt.encode(
            {"sub": user_id, "exp": 4_102_444_800},
            settings.secret_key,
            algorithm=ALGORITHM,
        ),
        signed(pwd="a stamp of another password"),
        signed(pwd=7),
        signed(pwd="été"),
        signed(pwd="\ud800"),
        signed(sub="x"),
        signed(sub="-1"),
        signed(sub=f"{user_id}.0"),
        signed(sub=str(2**63)),  # past the 64-bit range
        signed(sub="9" * 40),
        signed(sub=int(user_id)),
        signed(sub=[user_id]),
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
