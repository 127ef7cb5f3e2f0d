"""Bad input: 413 for oversized bodies, and no request ever answers 500."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.builder.conftest import BLOG, new_project, save

MiB = 1024 * 1024


def test_a_declared_body_over_1_mib_is_413(client: TestClient, alice: dict) -> None:
    big = {"models": {"A": {"fields": {"x": {"type": "string", "description": "x" * MiB}}}}}
    for method, path in [
        ("POST", "/api/validate"),
        ("POST", "/api/projects"),
        ("PUT", "/api/projects/1/schema"),
    ]:
        response = client.request(method, path, json=big, headers=alice)
        assert response.status_code == 413, (path, response.status_code)


def test_a_streamed_body_over_1_mib_is_413(client: TestClient) -> None:
    def chunks():
        for _ in range(20):
            yield b"x" * (64 * 1024)

    response = client.post("/api/validate", content=chunks())  # chunked: no Content-Length
    assert response.status_code == 413


def test_a_body_of_exactly_1_mib_is_read(client: TestClient) -> None:
    padding = MiB - len(json.dumps({"models": {}, "p": ""}))
    body = json.dumps({"models": {}, "p": "x" * padding}).encode()
    assert len(body) == MiB
    response = client.post(
        "/api/validate", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["problems"]  # 'p' is not a schema key


def test_a_bad_content_length_is_400(client: TestClient) -> None:
    response = client.post("/api/validate", content=b"{}", headers={"Content-Length": "abc"})
    assert response.status_code in (400, 413)


WEIRD_VALUES = [
    None,
    True,
    0,
    -1,
    2**64,
    1.5,
    "",
    "x" * 5000,
    "\u0000",
    "'; DROP TABLE users; --",
    "{{ 7 * 7 }}",
    "../../etc/passwd",
    [],
    [1, [2, [3]]],
    {},
    {"__proto__": {"x": 1}},
]


def weird_schemas():
    yield from WEIRD_VALUES
    for value in WEIRD_VALUES:
        yield {"models": value}
        yield {"models": {"Post": value}}
        yield {"models": {"Post": {"fields": value}}}
        yield {"models": {"Post": {"fields": {"title": value}}}}
        yield {"models": {"Post": {"fields": {"title": {"type": "string", "default": value}}}}}
        yield {"models": {"Post": {"fields": {"n": {"type": "int", "ge": value, "le": value}}}}}
        yield {"models": {"Post": {"fields": {"d": {"type": "date", "default": value}}}}}
        yield {"models": {"Post": {"relations": {"user_id": value}}}}
        yield {"models": {"Post": {"owner": value, "table": value, "path": value}}}
        yield {**BLOG, "apis": value}
        yield {**BLOG, "apis": {"Post": value}}
        yield {**BLOG, "apis": {"Post": {"create": value}}}
        yield {**BLOG, "auth": value}
        yield {**BLOG, "auth": {"user_model": value, "token_expire_minutes": value}}
        yield {**BLOG, "project_name": value}


def test_no_schema_makes_a_500(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    headers = {**alice, "Content-Type": "application/json"}
    for schema in weird_schemas():
        body = json.dumps(schema)
        validated = client.post("/api/validate", content=body, headers=headers)
        assert validated.status_code == 200, (schema, validated.text)
        saved = client.put(f"/api/projects/{project}/schema", content=body, headers=headers)
        assert saved.status_code in (200, 422), (schema, saved.text)
        assert (saved.status_code == 200) == (validated.json()["problems"] == [])


def test_no_request_body_makes_a_500(client: TestClient, alice: dict) -> None:
    project = new_project(client, alice)
    save(client, alice, project, BLOG)
    bodies = [b"", b"{}", b"[]", b"null", b'"x"', b'{"name": {}}', b"\x00\xff", b"{" * 1000]
    routes = [
        ("POST", "/api/auth/register"),
        ("POST", "/api/auth/token"),
        ("POST", "/api/projects"),
        ("POST", "/api/validate"),
        ("PUT", f"/api/projects/{project}/schema"),
        ("POST", f"/api/projects/{project}/schemas/1/restore"),
    ]
    for method, path in routes:
        for body in bodies:
            for content_type in (
                "application/json",
                "application/x-www-form-urlencoded",
                "text/plain",
            ):
                response = client.request(
                    method, path, content=body, headers={**alice, "Content-Type": content_type}
                )
                assert response.status_code < 500, (method, path, body, response.text)


def test_unknown_paths_are_404_not_500(client: TestClient) -> None:
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/static/../builder.db").status_code == 404
    assert client.get("/static/%2e%2e/settings.py").status_code == 404
