"""Builds with this repository's template: the brief's example, a large schema, and
`copier update` on a downloaded project."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

import schema
from builder.app import create_app
from tests.builder.conftest import (
    PUBLIC_SRC,
    REPO_ROOT,
    make_settings,
    new_project,
    real_template_problem,
    save,
    sign_up,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        real_template_problem() is not None,
        reason=f"needs the real template: {real_template_problem()}",
    ),
]


def fifty_models() -> dict:
    models: dict = {
        "User": {"fields": {"email": {"type": "string", "unique": True}, "password": "string"}}
    }
    for n in range(49):
        fields = {"name": {"type": "string", "max_length": 80}, "amount": "float", "done": "bool"}
        relations = {"owner_id": "User"} if n % 3 == 0 else {}
        if n:
            relations[f"parent{n}_id"] = {"model": f"Item{n - 1}", "on_delete": "cascade"}
        models[f"Item{n}"] = {"fields": fields, "relations": relations}
    apis = {
        name: {"create": "auth", "read": "public", "update": "auth", "delete": "admin"}
        for name in models
    }
    return {"project_name": "Fifty", "models": models, "apis": apis}


def timed_build(
    client: TestClient, headers: dict, data: dict, name: str
) -> tuple[zipfile.ZipFile, float]:
    project = new_project(client, headers, name)
    save(client, headers, project, data)
    started = time.perf_counter()
    response = client.post(f"/api/projects/{project}/builds", headers=headers)
    assert response.status_code == 201, response.text
    zipped = client.get(response.json()["download_url"], headers=headers)
    elapsed = time.perf_counter() - started
    assert zipped.status_code == 200
    return zipfile.ZipFile(io.BytesIO(zipped.content)), elapsed


def test_the_brief_example_builds(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, REPO_ROOT)
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "builder@example.com")

        archive, seconds = timed_build(client, headers, schema.DEFAULT_SCHEMA, "Brief")
        names = archive.namelist()
        assert "brief/main.py" in names and "brief/requirements.txt" in names
        assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)
        answers = yaml.safe_load(archive.read("brief/.copier-answers.yml"))
        assert answers["_src_path"] == PUBLIC_SRC and answers["_commit"]
        assert answers["models"] == schema.DEFAULT_SCHEMA["models"]
        for name in names:
            assert str(REPO_ROOT) not in archive.read(name).decode(errors="replace"), name
        readme = archive.read("brief/README.md").decode()
        assert "git commit" in readme and "copier update" in readme
        print(f"\nbrief example: Generate → ZIP in {seconds:.1f} s")


@pytest.mark.skipif(not os.environ.get("BUILDER_BENCH"), reason="a timing run: set BUILDER_BENCH=1")
def test_a_fifty_model_schema_builds(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, REPO_ROOT)
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "bench@example.com")
        archive, seconds = timed_build(client, headers, fifty_models(), "Fifty")
        assert "fifty/models/item48.py" in archive.namelist()
        print(f"\n50 models: Generate → ZIP in {seconds:.1f} s")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(
    bool(
        subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True
        ).returncode
    ),
    reason="the template repository has no commit yet",
)
def test_a_downloaded_project_updates_with_copier(tmp_path: Path) -> None:
    """git init, commit, edit schema.yaml, `copier update`: the new field arrives."""
    head = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The template's "public source" here is the repository itself, at its last commit.
    settings = make_settings(tmp_path, REPO_ROOT, template_src=str(REPO_ROOT), template_ref=head)
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "updater@example.com")
        archive, _ = timed_build(client, headers, schema.DEFAULT_SCHEMA, "Updatable")
    archive.extractall(tmp_path / "out")
    project = tmp_path / "out" / "updatable"
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "generated", cwd=project)

    data = yaml.safe_load((project / "schema.yaml").read_text())
    data["models"]["Post"]["fields"]["summary"] = {"type": "string", "nullable": True}
    (project / "schema.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    git("commit", "-qam", "add a summary", cwd=project)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "update",
            "--trust",
            "--defaults",
            "--quiet",
            "--vcs-ref=:current:",
            "--data-file",
            "schema.yaml",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "summary" in (project / "models" / "post.py").read_text()
