"""BUILDER_DATABASE_URL switches the platform database to PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from builder.app import create_app
from tests import postgres
from tests.builder.conftest import BLOG, make_settings, new_project, save, sign_up

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_the_platform_runs_on_postgresql(tmp_path: Path, fake_template: Path) -> None:
    reason = postgres.skip_reason()
    if reason:
        pytest.skip(reason)
    url = postgres.postgres_server().create_database("builder")
    settings = make_settings(tmp_path, fake_template, database_url=url)
    with TestClient(create_app(settings)) as client:
        alice = sign_up(client, "alice@example.com")
        bob = sign_up(client, "bob@example.com")
        project = new_project(client, alice)
        assert save(client, alice, project, BLOG) == 1
        assert save(client, alice, project, {**BLOG, "apis": {}}) == 2
        versions = client.get(f"/api/projects/{project}/schemas", headers=alice).json()
        assert [v["version"] for v in versions] == [1, 2]
        restored = client.post(f"/api/projects/{project}/schemas/1/restore", headers=alice)
        assert restored.status_code in (200, 201), restored.text
        assert client.get(f"/api/projects/{project}/schema", headers=alice).json() == BLOG
        assert client.get(f"/api/projects/{project}/schema", headers=bob).status_code == 404
