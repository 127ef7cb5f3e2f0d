"""Settings and startup: production refusals, the admin made at startup, a lost database."""

import asyncio
import logging
from collections.abc import Iterator
from typing import NoReturn

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import auth.admin
import main
from auth.admin import AdminUsernameTaken, ensure_admin
from config import Settings, load_settings
from database import get_session
from main import app
from models.user import Role, User
from tests.factories import PASSWORD, make_user, user_payload

USERNAME = "email"
PASSWORD_FIELD = "password"
STRONG_KEY = "k" * 40


def test_production_refuses_a_weak_secret_key() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production", secret_key="short", _env_file=None)


def test_production_refuses_a_default_admin_password() -> None:
    with pytest.raises(ValueError, match="ADMIN_PASSWORD"):
        Settings(
            environment="production",
            secret_key=STRONG_KEY,
            admin_password="admin",
            _env_file=None,
        )


@pytest.mark.parametrize(
    "origins", [["*"], ["https://app.example", "https://*.example"]]
)
def test_production_refuses_cors_for_any_origin(origins: list[str]) -> None:
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        Settings(
            environment="production",
            secret_key=STRONG_KEY,
            cors_origins=origins,
            _env_file=None,
        )
    assert (
        Settings(cors_origins=origins, _env_file=None).cors_origins == origins
    )  # local


def test_request_bodies_are_limited_to_one_mebibyte_by_default() -> None:
    assert Settings(_env_file=None).max_body_bytes == 1024 * 1024


def test_local_makes_up_a_secret_key_and_migrates_at_startup() -> None:
    settings = Settings(secret_key="", migrate_on_startup=None, _env_file=None)
    assert len(settings.secret_key) >= 32
    assert settings.run_migrations
    production = Settings(
        environment="production",
        secret_key=STRONG_KEY,
        migrate_on_startup=None,
        _env_file=None,
    )
    assert not production.run_migrations


def test_a_bad_setting_exits_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "soon")
    with pytest.raises(SystemExit) as exit_info:
        load_settings()
    message = str(exit_info.value)
    assert "ACCESS_TOKEN_EXPIRE_MINUTES" in message
    assert "\n" not in message


@pytest.fixture
def admin_settings(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    username = user_payload(session)["email"]
    monkeypatch.setattr(auth.admin.settings, "admin_email", username)
    monkeypatch.setattr(auth.admin.settings, "admin_password", "an admin passphrase")
    yield username


def count_admins(session: Session, username: str) -> int | None:
    return session.scalar(
        select(func.count())
        .select_from(User)
        .filter_by(email=username, role=Role.admin)
    )


def test_the_admin_is_made_once(
    session: Session, admin_settings: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_admin(session)
    # The same username however it is spelled: trimmed and compared case-insensitively.
    monkeypatch.setattr(
        auth.admin.settings, "admin_email", f" {admin_settings.upper()} "
    )
    ensure_admin(session)
    assert count_admins(session, admin_settings) == 1


def test_a_user_holding_the_admin_username_is_never_promoted(
    session: Session, admin_settings: str
) -> None:
    user = make_user(session, **{USERNAME: admin_settings})
    password_hash = getattr(user, PASSWORD_FIELD)
    with pytest.raises(AdminUsernameTaken):
        ensure_admin(session)
    session.refresh(user)
    assert user.role == Role.user
    assert getattr(user, PASSWORD_FIELD) == password_hash


def test_startup_stops_in_one_line_when_a_user_holds_the_admin_username(
    session: Session,
    admin_settings: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    make_user(session, **{USERNAME: admin_settings})

    def exit_now(code: int) -> NoReturn:
        raise SystemExit(code)

    async def start() -> None:
        async with main.lifespan(app):
            pass

    monkeypatch.setattr(main.os, "_exit", exit_now)
    with caplog.at_level(logging.INFO), pytest.raises(SystemExit):
        asyncio.run(start())
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "ADMIN_EMAIL" in line.getMessage()
    assert line.exc_info is None  # one line, no traceback


def test_an_existing_admins_password_is_left_alone(
    client: TestClient, session: Session, admin_settings: str
) -> None:
    make_user(session, **{USERNAME: admin_settings}, role=Role.admin)
    ensure_admin(session)
    assert count_admins(session, admin_settings) == 1
    for password, status in ((PASSWORD, 200), ("an admin passphrase", 401)):
        form = {"username": admin_settings, "password": password}
        assert client.post("/auth/token", data=form).status_code == status


def test_a_lost_database_answers_503(client: TestClient) -> None:
    def unreachable() -> Iterator[Session]:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))
        yield  # a generator, like the real dependency

    app.dependency_overrides[get_session] = unreachable
    try:
        response = client.get("/health/ready")
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 503
    assert response.json()["detail"]
    assert response.headers["Retry-After"]
