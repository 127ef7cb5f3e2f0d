"""Settings and startup: production refusals, the admin made at startup, a lost database."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

import auth.admin
from auth.admin import ensure_admin
from config import Settings, load_settings
from database import get_session
from main import app
from models.customer import Customer, Role
from tests.factories import customer_payload, make_customer

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
    username = customer_payload(session)["login"]
    monkeypatch.setattr(auth.admin.settings, "admin_email", username)
    monkeypatch.setattr(auth.admin.settings, "admin_password", "an admin passphrase")
    yield username


def count_admins(session: Session, username: str) -> int | None:
    return session.scalar(
        select(func.count()).select_from(Customer).filter_by(login=username)
    )


def test_the_admin_is_made_once(session: Session, admin_settings: str) -> None:
    ensure_admin(session)
    ensure_admin(session)
    assert count_admins(session, admin_settings) == 1


def test_an_existing_user_becomes_the_admin(
    session: Session, admin_settings: str
) -> None:
    user = make_customer(session, login=admin_settings)
    ensure_admin(session)
    session.refresh(user)
    assert user.role == Role.admin


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
