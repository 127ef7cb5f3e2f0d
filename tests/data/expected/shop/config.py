"""Settings, read from the environment or the project's `.env` file."""

import logging
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent
MIN_SECRET_KEY_LENGTH = 32
MIN_ADMIN_PASSWORD_LENGTH = 12

logger = logging.getLogger(__name__)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=BASE_DIR / ".env", extra="ignore")

    environment: Literal["local", "production"] = "local"
    database_url: str = f"sqlite:///{BASE_DIR / 'app.db'}"
    secret_key: str = ""
    access_token_expire_minutes: int = 30
    admin_email: str | None = None
    admin_password: str | None = None
    cors_origins: list[str] = []
    migrate_on_startup: bool | None = None
    docs_enabled: bool = True
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    # Brute-force protection of /auth/token and /auth/register ("limits" notation).
    # memory:// counts per process; give several workers one redis://host:6379 store.
    rate_limit_storage: str = "memory://"
    auth_rate_limit: str | None = None  # attempts per client address
    failed_login_limit: str = (
        "10 per 15 minutes"  # failed logins per client and username
    )
    # A request body larger than this answers 413 before it is read whole.
    max_body_bytes: int = Field(1024 * 1024, ge=1)

    @model_validator(mode="after")
    def _check_secrets(self) -> "Settings":
        production = self.environment == "production"
        if len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            if production:
                raise ValueError(
                    f"SECRET_KEY must hold at least {MIN_SECRET_KEY_LENGTH} random characters"
                    " in production"
                )
            self.secret_key = secrets.token_urlsafe(MIN_SECRET_KEY_LENGTH)
            logger.warning(
                "SECRET_KEY is not set: a random key is used, tokens end with the process"
            )
        if (
            production
            and self.admin_password
            and (
                len(self.admin_password) < MIN_ADMIN_PASSWORD_LENGTH
                or self.admin_password.lower()
                in {"admin", "password", "changeme", "change-me"}
            )
        ):
            raise ValueError(
                f"ADMIN_PASSWORD must hold at least {MIN_ADMIN_PASSWORD_LENGTH} characters and"
                " not be a default in production"
            )
        return self

    @model_validator(mode="after")
    def _check_cors(self) -> "Settings":
        if self.environment == "production" and any(
            "*" in o for o in self.cors_origins
        ):
            raise ValueError(
                "CORS_ORIGINS may not contain '*' in production: list the origins allowed"
            )
        return self

    @property
    def client_rate_limit(self) -> str:
        if self.auth_rate_limit is not None:
            return self.auth_rate_limit
        return (
            "30 per minute" if self.environment == "production" else "1000 per minute"
        )

    @property
    def run_migrations(self) -> bool:
        if self.migrate_on_startup is None:
            return self.environment == "local"
        return self.migrate_on_startup


def load_settings() -> Settings:
    """The settings, or one clear line and an exit, rather than a traceback."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            " ".join(
                [
                    ".".join(map(str, e["loc"])).upper(),
                    e["msg"].removeprefix("Value error, "),
                ]
            ).strip()
            for e in error.errors()
        )
        raise SystemExit(f"Invalid settings: {problems}") from None


settings = load_settings()
