"""Fixtures for the builder's tests: an app on a temporary database, users, templates."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from builder.app import create_app  # noqa: E402
from builder.settings import Settings  # noqa: E402

PUBLIC_SRC = "https://git.example.com/acme/backend-builder.git"
PASSWORD = "correct horse battery"

BLOG = {
    "models": {
        "User": {"fields": {"id": "int", "email": "string", "password": "string"}},
        "Post": {
            "fields": {"id": "int", "title": "string", "content": "string", "user_id": "int"},
            "relations": {"user_id": "User"},
        },
    },
    "apis": {"Post": {"create": "auth", "read": "public", "update": "auth", "delete": "admin"}},
}


def write_template(root: Path, extra_copier_yml: str = "") -> Path:
    """A small Copier template with the real one's questions, committed to git."""
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text(textwrap.dedent("""\
            _subdirectory: template
            project_name:
              type: str
              default: "{{ _folder_name }}"
            models:
              type: yaml
              default: "{}"
            apis:
              type: yaml
              default: "{}"
            auth:
              type: yaml
              default: "{}"
            """) + extra_copier_yml)
    (root / "template" / "main.py.jinja").write_text(
        "MODELS = {{ models | list }}\nPROJECT = {{ project_name | tojson }}\n"
    )
    (root / "template" / "README.md.jinja").write_text("# {{ project_name }}\n")
    (root / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(
        "# Changes here will be overwritten by Copier\n{{ _copier_answers|to_nice_yaml -}}\n"
    )
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "template"], check=True)
    subprocess.run([*git, "tag", "v1.0.0"], check=True)
    return root


@pytest.fixture(scope="session")
def fake_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("fake-template"))


def make_settings(tmp_path: Path, template: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'builder.db'}",
        "data_dir": tmp_path / "data",
        "template_path": template,
        "template_src": PUBLIC_SRC,
        "secret_key": "test-secret-key-that-is-long-enough-for-hs256",
        "build_timeout_seconds": 120,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, fake_template: Path) -> Settings:
    return make_settings(tmp_path, fake_template)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def sign_up(client: TestClient, email: str) -> dict[str, str]:
    """Register `email` and return the Authorization header of its token."""
    response = client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
def alice(client: TestClient) -> dict[str, str]:
    return sign_up(client, "alice@example.com")


@pytest.fixture
def bob(client: TestClient) -> dict[str, str]:
    return sign_up(client, "bob@example.com")


def new_project(client: TestClient, headers: dict[str, str], name: str = "Blog") -> int:
    response = client.post("/api/projects", json={"name": name}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def save(client: TestClient, headers: dict[str, str], project: int, schema: dict) -> int:
    response = client.put(f"/api/projects/{project}/schema", json=schema, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["version"]


def real_template_problem() -> str | None:
    """Why the repository's template cannot be used yet, or None when it renders."""
    if not (REPO_ROOT / "copier.yml").is_file():
        return "the template (copier.yml) is not in the repository yet"
    answers = list((REPO_ROOT / "template").glob("*copier_conf.answers_file*"))
    if not answers:
        return "the template writes no .copier-answers.yml yet"
    return None


# The browser tests' fixtures (`server`: the builder in a subprocess; `browser`: Chromium).
# Imported last: e2e_support reads this module's constants.
from tests.builder.e2e_support import browser, server  # noqa: E402, F401
