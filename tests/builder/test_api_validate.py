"""POST /api/validate: the schema plugin's verdict, with a preview; nothing saved."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

import schema
from tests.builder.conftest import BLOG


def test_a_valid_schema_has_no_problems_and_a_preview(client: TestClient) -> None:
    response = client.post("/api/validate", json=BLOG)
    assert response.status_code == 200
    body = response.json()
    assert body["problems"] == []
    endpoints = {(e["model"], e["action"]): e for e in body["preview"]["endpoints"]}
    assert endpoints["Post", "create"] == {
        "model": "Post",
        "action": "create",
        "method": "POST",
        "path": "/posts",
        "level": "auth",
    }
    assert endpoints["Post", "list"]["level"] == "public"
    assert endpoints["Post", "detail"]["path"] == "/posts/{id}"
    assert endpoints["User", "delete"]["level"] == "admin"
    post = next(m for m in body["preview"]["models"] if m["name"] == "Post")
    assert post["relations"][0]["parent"] == "User"
    assert body["preview"]["auth"]["user_model"] == "User"


def test_the_default_schema_is_valid(client: TestClient) -> None:
    assert client.post("/api/validate", json=schema.DEFAULT_SCHEMA).json()["problems"] == []


def test_problems_carry_their_paths(client: TestClient) -> None:
    bad = {"models": {"Post": {"fields": {"titel": "strin"}}}, "apis": {"Post": {"read": "nobody"}}}
    body = client.post("/api/validate", json=bad).json()
    assert body["preview"] is None
    paths = {".".join(map(str, p["loc"])): p["msg"] for p in body["problems"]}
    assert "strin" in paths["models.Post.fields.titel.type"]
    assert "apis.Post.read" in paths
    # the same problems as the schema plugin's own check
    assert body["problems"] == [p.as_dict() for p in schema.check(bad)]


@pytest.mark.parametrize("body", [[], "x", 3, None, True])
def test_a_non_mapping_is_a_problem(client: TestClient, body: object) -> None:
    response = client.post("/api/validate", content=json.dumps(body))
    assert response.status_code == 200
    assert response.json()["problems"][0]["loc"] == []


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b'{"models": NaN}',
        b'{"models": {"A": {"fields": {"x": {"type": "float", "default": Infinity}}}}}',
        b'{"a": 1, "a": 2}',
        b"[" * 5000 + b"]" * 5000,
        b'{"models": ' + b'{"a": ' * 100 + b"1" + b"}" * 101,
        b'{"models": "\\ud800"}',
        b"\xff\xfe",
    ],
)
def test_bodies_that_are_not_json_are_422(client: TestClient, raw: bytes) -> None:
    response = client.post(
        "/api/validate", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["detail"][0]["loc"] == ["body"]


def test_validate_saves_nothing_and_needs_no_account(client: TestClient, alice: dict) -> None:
    assert client.post("/api/validate", json=BLOG).status_code == 200
    assert client.get("/api/projects", headers=alice).json() == []


def two_hundred_models() -> dict:
    models = {}
    for n in range(200):
        models[f"Thing{n}"] = {
            "fields": {
                "name": {"type": "string", "max_length": 120, "description": "The name " * 4},
                "count": {"type": "int", "default": 0, "ge": 0},
                "price": "float",
                "active": {"type": "bool", "default": True},
                "notes": {"type": "text", "nullable": True},
                "seen_on": "date",
            },
            "relations": {"user_id": "User"} if n % 2 else {},
            "timestamps": True,
        }
    apis = {
        name: {"create": "auth", "read": "public", "update": "owner" if n % 2 else "auth"}
        for n, name in enumerate(models)
    }
    return {
        "models": {"User": {"fields": {"email": "string", "password": "string"}}, **models},
        "apis": apis,
    }


def test_a_200_model_schema_fits_and_validates(client: TestClient, alice: dict) -> None:
    big = two_hundred_models()
    assert len(json.dumps(big)) < 1024 * 1024
    started = time.perf_counter()
    body = client.post("/api/validate", json=big).json()
    elapsed = time.perf_counter() - started
    assert body["problems"] == []
    assert len(body["preview"]["models"]) == 201
    assert elapsed < 5
    project = client.post("/api/projects", json={"name": "Big"}, headers=alice).json()["id"]
    assert client.put(f"/api/projects/{project}/schema", json=big, headers=alice).status_code == 200
