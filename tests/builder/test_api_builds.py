"""Generate & download with a small stand-in template (the real one: test_real_template.py)."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from builder.app import create_app
from tests.builder.conftest import (
    BLOG,
    PUBLIC_SRC,
    make_settings,
    new_project,
    save,
    sign_up,
    write_template,
)


def build(client: TestClient, headers: dict, project: int) -> dict:
    response = client.post(f"/api/projects/{project}/builds", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def download(client: TestClient, headers: dict, build_id: int) -> zipfile.ZipFile:
    response = client.get(f"/api/builds/{build_id}/download", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_build_and_download(client: TestClient, alice: dict, tmp_path: Path) -> None:
    project = new_project(client, alice, "My Blog!")
    save(client, alice, project, BLOG)
    made = build(client, alice, project)
    assert made["schema_version"] == 1 and made["project_id"] == project
    assert made["download_url"] == f"/api/builds/{made['id']}/download"

    archive = download(client, alice, made["id"])
    names = archive.namelist()
    assert "my-blog/main.py" in names
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/") and "\\" not in name
        assert name.startswith("my-blog/")
    assert "MODELS = ['User', 'Post']" in archive.read("my-blog/main.py").decode()

    answers = yaml.safe_load(archive.read("my-blog/.copier-answers.yml"))
    assert answers["_src_path"] == PUBLIC_SRC
    assert answers["_commit"] == "v1.0.0"
    assert answers["models"] == BLOG["models"] and answers["apis"] == BLOG["apis"]
    assert answers["auth"] == {}
    for name in names:  # no path of the server anywhere
        text = archive.read(name).decode(errors="replace")
        assert "/tmp" not in text and str(tmp_path) not in text


def test_the_answers_name_the_origin_by_default(
    tmp_path: Path, fake_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    template = write_template(tmp_path / "with-origin")
    origin = "https://git.example.com/team/our-fork.git"
    subprocess.run(["git", "-C", str(template), "remote", "add", "origin", origin], check=True)
    monkeypatch.delenv("BUILDER_TEMPLATE_SRC", raising=False)
    settings = make_settings(tmp_path, template, template_src=None)
    assert settings.public_template_src() == origin
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "eve@example.com")
        project = new_project(client, headers)
        save(client, headers, project, BLOG)
        archive = download(client, headers, build(client, headers, project)["id"])
        answers = yaml.safe_load(archive.read("blog/.copier-answers.yml"))
        assert answers["_src_path"] == origin


def test_a_build_needs_a_saved_schema(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    response = client.post(f"/api/projects/{project}/builds", headers=alice)
    assert response.status_code == 409


def test_builds_render_the_latest_version(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    save(client, alice, project, {"models": {"Tag": {"fields": {"label": "string"}}}})
    made = build(client, alice, project)
    assert made["schema_version"] == 2
    main = download(client, alice, made["id"]).read("blog/main.py").decode()
    assert "MODELS = ['Tag']" in main


def test_two_users_building_at_once_get_their_own_projects(
    client: TestClient, alice: dict, bob: dict
) -> None:
    jobs = {}
    for who, headers in (("alice", alice), ("bob", bob)):
        project = new_project(client, headers, f"{who} shop")
        models = {f"{who.title()}Item{n}": {"fields": {"name": "string"}} for n in range(3)}
        save(client, headers, project, {"models": models})
        jobs[who] = (headers, project, sorted(models))

    results: dict[str, dict] = {}

    def run(who: str) -> None:
        headers, project, _ = jobs[who]
        results[who] = build(client, headers, project)

    threads = [threading.Thread(target=run, args=(who,)) for who in jobs for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for who, (headers, _, models) in jobs.items():
        archive = download(client, headers, results[who]["id"])
        main = archive.read(f"{who}-shop/main.py").decode()
        assert all(model in main for model in models)
        other = "Bob" if who == "alice" else "Alice"
        assert other not in main
        assert {name.split("/")[0] for name in archive.namelist()} == {f"{who}-shop"}


def test_a_render_over_the_time_limit_is_stopped(tmp_path: Path) -> None:
    slow = write_template(tmp_path / "slow", '_tasks:\n  - "sleep 30"\n')
    settings = make_settings(tmp_path, slow, build_timeout_seconds=2)
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "slow@example.com")
        project = new_project(client, headers)
        save(client, headers, project, BLOG)
        response = client.post(f"/api/projects/{project}/builds", headers=headers)
        assert response.status_code == 503
        assert "longer than 2 s" in response.json()["detail"]
    assert not list((tmp_path / "data").glob("builds/*.zip"))


def test_a_failing_render_is_a_clear_error(tmp_path: Path) -> None:
    broken = write_template(tmp_path / "broken", '_tasks:\n  - "exit 3"\n')
    settings = make_settings(tmp_path, broken)
    with TestClient(create_app(settings)) as client:
        headers = sign_up(client, "broken@example.com")
        project = new_project(client, headers)
        save(client, headers, project, BLOG)
        response = client.post(f"/api/projects/{project}/builds", headers=headers)
        assert response.status_code == 422
        assert "Copier could not render" in response.json()["detail"]


def test_the_data_folder_keeps_out_of_git(client: TestClient, alice: dict, settings) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    build(client, alice, project)
    assert (settings.data_dir / ".gitignore").read_text().strip().endswith("*")
