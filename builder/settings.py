"""The builder's settings, read from BUILDER_* environment variables."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BUILDER_", extra="ignore")

    # The platform database; the default is a SQLite file in the working directory.
    database_url: str = "sqlite:///builder.db"
    # Where built ZIPs are kept (relative paths resolve against the working directory).
    data_dir: Path = Path("builder-data")
    # Signs the builder's own login tokens; without one, each process makes its own
    # (so a restart logs everyone out).
    secret_key: str | None = None
    token_expire_minutes: int = 60 * 12
    # The template rendered by builds: this repository, unless told otherwise.
    template_path: Path = REPO_ROOT
    # The template's public source, written into each ZIP's .copier-answers.yml.
    template_src: str | None = None
    # The git ref of the template to render; unset: its HEAD plus uncommitted changes.
    template_ref: str | None = None
    build_timeout_seconds: float = 300.0
    max_concurrent_builds: int = 4
    max_body_bytes: int = MiB

    def public_template_src(self) -> str:
        """The template as the downloaded project's answers file names it."""
        if self.template_src:
            return self.template_src
        return _origin_url(self.template_path) or str(self.template_path)


@lru_cache
def _origin_url(repo: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    url = result.stdout.strip()
    return url if result.returncode == 0 and url else None
