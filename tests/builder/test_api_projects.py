"""Projects and schema versions, including other users' ids answering 404."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from tests.builder.conftest import BLOG, new_project, save


def test_projects_are_listed_per_user(client: TestClient, alice: dict, bob: dict) -> None:
    first = new_project(client, alice, "Blog")
    second = new_project(client, alice, "  Shop  ")
    new_project(client, bob, "Bob's")
    listed = client.get("/api/projects", headers=alice).json()
    assert [(p["id"], p["name"], p["latest_version"]) for p in listed] == [
        (first, "Blog", None),
        (second, "Shop", None),
    ]
    assert listed[0]["created_at"].endswith(("Z", "+00:00"))
    assert [p["name"] for p in client.get("/api/projects", headers=bob).json()] == ["Bob's"]


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 201}, {"name": 3}]
)
def test_a_project_needs_a_name(client: TestClient, alice: dict, body: dict) -> None:
    assert client.post("/api/projects", json=body, headers=alice).status_code == 422


def test_every_save_is_a_version(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    assert client.get(f"/api/projects/{project}/schema", headers=alice).status_code == 404
    assert client.get(f"/api/projects/{project}/schemas", headers=alice).json() == []

    assert save(client, alice, project, BLOG) == 1
    second = copy.deepcopy(BLOG)
    second["models"]["Post"]["timestamps"] = True
    assert save(client, alice, project, second) == 2

    assert client.get(f"/api/projects/{project}/schema", headers=alice).json() == second
    versions = client.get(f"/api/projects/{project}/schemas", headers=alice).json()
    assert [v["version"] for v in versions] == [1, 2]
    first = client.get(f"/api/projects/{project}/schemas/1", headers=alice).json()
    assert first["version"] == 1 and first["schema"] == BLOG
    assert client.get("/api/projects", headers=alice).json()[0]["latest_version"] == 2


def test_the_schema_comes_back_exactly_as_saved(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    schema = {
        "project_name": "Ünïcode blog",
        "models": {
            "Post": {
                "fields": {
                    "title": {"type": "String", "max_length": 120, "description": 'a "title"'},
                    "score": {"type": "float", "default": 0.5, "ge": 0, "le": 1},
                },
                "timestamps": True,
            },
            "User": {"fields": {"email": "str", "password": "string"}},
        },
        "apis": {"Post": {"read": "public", "delete": False}},
        "auth": {"token_expire_minutes": 30},
    }
    save(client, alice, project, schema)
    back = client.get(f"/api/projects/{project}/schema", headers=alice).json()
    assert back == schema
    assert list(back["models"]) == ["Post", "User"]  # order kept


def test_an_invalid_schema_is_422_listing_every_problem(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    bad = {
        "models": {
            "Post": {
                "fields": {"titel": "strin", "limit": "int"},
                "relations": {"user_id": "Nobody"},
            }
        },
        "apis": {"Ghost": {"create": "public"}},
    }
    response = client.put(f"/api/projects/{project}/schema", json=bad, headers=alice)
    assert response.status_code == 422
    detail = response.json()["detail"]
    paths = {".".join(map(str, item["loc"])) for item in detail}
    assert "models.Post.fields.titel.type" in paths
    assert "models.Post.fields.limit" in paths
    assert "apis.Ghost" in paths
    assert any(path.startswith("models.Post.relations.user_id") for path in paths)
    assert all(isinstance(item["msg"], str) and item["msg"] for item in detail)
    # nothing saved
    assert client.get(f"/api/projects/{project}/schemas", headers=alice).json() == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"null", b'{"models": {}, "models": {}}'])
def test_malformed_bodies_are_422(client: TestClient, alice: dict, body: bytes) -> None:
    project = new_project(client, alice)
    response = client.put(
        f"/api/projects/{project}/schema",
        content=body,
        headers={**alice, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_restore_saves_an_old_version_as_the_newest(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    changed = copy.deepcopy(BLOG)
    del changed["apis"]
    save(client, alice, project, changed)

    response = client.post(f"/api/projects/{project}/schemas/1/restore", headers=alice)
    assert response.status_code == 201
    assert response.json()["version"] == 3
    assert client.get(f"/api/projects/{project}/schema", headers=alice).json() == BLOG
    versions = client.get(f"/api/projects/{project}/schemas", headers=alice).json()
    assert [v["version"] for v in versions] == [1, 2, 3]


def test_unknown_versions_are_404(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    assert client.get(f"/api/projects/{project}/schemas/2", headers=alice).status_code == 404
    assert (
        client.post(f"/api/projects/{project}/schemas/9/restore", headers=alice).status_code == 404
    )


@pytest.mark.parametrize("bad_id", ["0", "-1", "abc", "99999999999999999999999", "1.5"])
def test_ids_out_of_range_are_422(client: TestClient, alice: dict, bad_id: str) -> None:
    assert client.get(f"/api/projects/{bad_id}/schema", headers=alice).status_code == 422
    assert client.get(f"/api/builds/{bad_id}/download", headers=alice).status_code == 422


def test_another_users_project_is_404_everywhere(
    client: TestClient, alice: dict, bob: dict
) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    build = client.post(f"/api/projects/{project}/builds", headers=alice)
    assert build.status_code == 201, build.text
    build_id = build.json()["id"]

    attempts = [
        ("GET", f"/api/projects/{project}/schema", None),
        ("PUT", f"/api/projects/{project}/schema", BLOG),
        ("GET", f"/api/projects/{project}/schemas", None),
        ("GET", f"/api/projects/{project}/schemas/1", None),
        ("POST", f"/api/projects/{project}/schemas/1/restore", None),
        ("POST", f"/api/projects/{project}/builds", None),
        ("GET", f"/api/builds/{build_id}/download", None),
    ]
    for method, path, body in attempts:
        response = client.request(method, path, headers=bob, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        # ... exactly like an id that does not exist at all
        missing = path.replace(f"/{project}/", "/999999/").replace(f"/{build_id}/", "/999999/")
        assert client.request(method, missing, headers=bob, json=body).json() == response.json()
    assert client.get("/api/projects", headers=bob).json() == []
    # nothing of Alice's changed
    assert len(client.get(f"/api/projects/{project}/schemas", headers=alice).json()) == 1
