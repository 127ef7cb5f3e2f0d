"""Version 2 of the builder's API (SPEC §9.5): unchanged saves, version diffs, code preview,
the plugin's features, /health and the favicon."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from builder import features, preview
from builder.generate import BuildError, copier_data, link_readme_to
from tests.builder.conftest import BLOG, PUBLIC_SRC, new_project, save


def versions(client: TestClient, headers: dict, project: int) -> list[int]:
    found = client.get(f"/api/projects/{project}/schemas", headers=headers).json()
    return [v["version"] for v in found]


def test_saving_an_unchanged_schema_makes_no_new_version(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    first = client.put(f"/api/projects/{project}/schema", json=BLOG, headers=alice)
    assert first.status_code == 200 and first.json()["version"] == 1
    assert first.json()["unchanged"] is False
    again = client.put(f"/api/projects/{project}/schema", json=copy.deepcopy(BLOG), headers=alice)
    assert again.status_code == 200
    assert again.json()["version"] == 1 and again.json()["unchanged"] is True
    assert again.json()["updated_at"] == first.json()["updated_at"]
    assert versions(client, alice, project) == [1]

    changed = copy.deepcopy(BLOG)
    changed["models"]["Post"]["timestamps"] = True
    assert save(client, alice, project, changed) == 2
    # Same content as version 1 is still a change from the latest (version 2).
    assert save(client, alice, project, BLOG) == 3
    # Restoring the version that is already the newest's twin adds nothing either.
    restored = client.post(f"/api/projects/{project}/schemas/1/restore", headers=alice)
    assert restored.status_code == 201 and restored.json() == {**restored.json(), "version": 3}
    assert restored.json()["unchanged"] is True
    assert versions(client, alice, project) == [1, 2, 3]


def test_key_order_and_value_kinds_count_as_changes(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, {"models": {"Tag": {"fields": {"n": {"type": "float", "ge": 1}}}}})
    assert (
        save(
            client,
            alice,
            project,
            {"models": {"Tag": {"fields": {"n": {"type": "float", "ge": 1.0}}}}},
        )
        == 2
    )


def test_two_versions_compare_as_a_yaml_diff(client: TestClient, alice: dict, bob: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    changed = copy.deepcopy(BLOG)
    changed["models"]["Post"]["fields"]["summary"] = {"type": "text", "nullable": True}
    changed["apis"]["Post"]["read"] = "auth"
    save(client, alice, project, changed)

    response = client.get(f"/api/projects/{project}/schemas/1/diff/2", headers=alice)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["a"] == 1 and body["b"] == 2
    diff = body["diff"]
    assert diff.startswith("--- v1\n+++ v2\n")
    assert "+      summary:\n" in diff and "+        type: text\n" in diff
    assert "-    read: public\n" in diff and "+    read: auth\n" in diff
    backwards = client.get(f"/api/projects/{project}/schemas/2/diff/1", headers=alice).json()
    assert "-      summary:\n" in backwards["diff"]
    same = client.get(f"/api/projects/{project}/schemas/2/diff/2", headers=alice).json()
    assert same["diff"] == ""

    assert client.get(f"/api/projects/{project}/schemas/1/diff/9", headers=alice).status_code == 404
    assert client.get(f"/api/projects/{project}/schemas/1/diff/2", headers=bob).status_code == 404


@pytest.fixture(autouse=True)
def fresh_preview_cache() -> None:
    preview.clear_cache()


def test_preview_lists_the_files_the_draft_generates(client: TestClient, alice: dict) -> None:
    response = client.post("/api/preview?name=My%20Blog", json=BLOG, headers=alice)
    assert response.status_code == 200, response.text
    body = response.json()
    files = {f["path"]: f for f in body["files"]}
    assert sorted(files) == [".copier-answers.yml", "README.md", "main.py"]
    assert files["main.py"]["content"] == "MODELS = ['User', 'Post']\nPROJECT = \"My Blog\"\n"
    assert files["main.py"]["size"] == len(files["main.py"]["content"])
    # The answers name the public source, as in a ZIP.
    assert f"_src_path: {PUBLIC_SRC}" in files[".copier-answers.yml"]["content"]

    changed = copy.deepcopy(BLOG)
    changed["models"]["Comment"] = {"fields": {"body": "text"}}
    other = client.post("/api/preview?name=My%20Blog", json=changed, headers=alice).json()
    assert other["hash"] != body["hash"]
    main = next(f for f in other["files"] if f["path"] == "main.py")
    assert "'Comment'" in main["content"]


def test_preview_is_cached_per_schema(
    client: TestClient, alice: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    real = preview._render_files
    monkeypatch.setattr(
        preview, "_render_files", lambda *args: renders.append("render") or real(*args)
    )
    first = client.post("/api/preview", json=BLOG, headers=alice).json()
    started = time.perf_counter()
    second = client.post("/api/preview", json=copy.deepcopy(BLOG), headers=alice).json()
    assert time.perf_counter() - started < 1.0
    assert first == second and renders == ["render"]
    client.post("/api/preview?name=Other", json=BLOG, headers=alice)
    assert renders == ["render", "render"]


def test_preview_refuses_invalid_schemas_and_strangers(client: TestClient, alice: dict) -> None:
    bad = {"models": {"Post": {"fields": {"title": "strin"}}}}
    response = client.post("/api/preview", json=bad, headers=alice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:4] == ["models", "Post", "fields", "title"]
    assert client.post("/api/preview", json=BLOG).status_code == 401


def test_a_build_is_named_after_its_project(client: TestClient, alice: dict) -> None:
    assert copier_data(BLOG, "Task Tracker")["project_name"] == "Task Tracker"
    assert copier_data({**BLOG, "project_name": "Own"}, "Task Tracker")["project_name"] == "Own"
    assert "project_name" not in copier_data(BLOG, "  ")


@pytest.mark.parametrize(
    ("source", "link"),
    [
        (
            "https://git.example.com/acme/backend-builder.git",
            "https://git.example.com/acme/backend-builder",
        ),
        ("git@github.com:acme/bb.git", "https://github.com/acme/bb"),
        ("/srv/templates/backend-builder", None),
    ],
)
def test_the_readme_links_to_the_public_template(tmp_path: Path, source: str, link: str) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\nA backend generated by [Backend Builder](https://github.com/) here.\n"
    )
    link_readme_to(readme, source)
    text = readme.read_text()
    assert "https://github.com/)" not in text
    expected = f"[Backend Builder]({link})" if link else "generated by Backend Builder here"
    assert expected in text


def test_features_report_what_the_plugin_accepts(client: TestClient) -> None:
    body = client.get("/api/features").json()
    assert set(body) == {"types", "field_options", "model_options", "owner"}
    assert set(body["types"]) <= {"decimal", "enum", "email"}
    # Each reported feature really validates, and each missing one really is refused.
    assert features._field({"type": "decimal"}) == ("decimal" in body["types"])
    assert body["owner"]["none"] == features._accepts(
        {"N": {"fields": {"b": "text"}, "owner": False}}
    )


def test_health_and_favicon(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_a_failed_or_slow_render_answers_with_its_reason(
    client: TestClient, alice: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> list:
        raise BuildError("Copier could not render the project: boom")

    monkeypatch.setattr(preview, "_render_files", refuse)
    response = client.post("/api/preview", json=BLOG, headers=alice)
    assert response.status_code == 422
    assert response.json()["detail"] == "Copier could not render the project: boom"

    def too_slow(*_args: object) -> list:
        raise BuildError("Generation took longer than 1 s and was stopped", timed_out=True)

    monkeypatch.setattr(preview, "_render_files", too_slow)
    assert client.post("/api/preview", json=BLOG, headers=alice).status_code == 503
    assert preview._key_locks == {}


def test_the_validation_preview_names_each_models_owner(client: TestClient) -> None:
    data = {
        "models": {
            "User": {"fields": {"email": "string", "password": "string"}},
            "Invoice": {"fields": {"total": "float"}, "relations": {"user_id": "User"}},
            "Line": {
                "fields": {"qty": "int"},
                "relations": {"invoice_id": "Invoice"},
                "owner": "invoice_id",
            },
            "Tag": {"fields": {"name": "string"}},
        },
        "apis": {"Line": {"read": "owner"}},
    }
    if not features.features()["owner"]["through_parent"]:
        pytest.skip("the schema plugin does not accept owners through a parent yet")
    body = client.post("/api/validate", json=data).json()
    assert body["problems"] == []
    models = {m["name"]: m for m in body["preview"]["models"]}
    assert (models["User"]["owner"], models["User"]["owner_parent"]) == ("id", None)
    assert (models["Invoice"]["owner"], models["Invoice"]["owner_parent"]) == ("user_id", None)
    assert (models["Line"]["owner"], models["Line"]["owner_parent"]) == ("invoice_id", "Invoice")
    assert models["Tag"]["owner"] is None
    assert (
        models["Line"]["levels"]["list"] == "owner"
        and models["Line"]["levels"]["create"] == "admin"
    )
