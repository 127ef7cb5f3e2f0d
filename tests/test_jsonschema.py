"""The JSON Schema shipped in schema/ (for editors): up to date, and agreeing with the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import schema

jsonschema = pytest.importorskip("jsonschema", reason="pip install jsonschema (requirements-dev)")

EXAMPLES = sorted(p for p in schema.EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def test_shipped_json_schema_is_up_to_date() -> None:
    shipped = json.loads(schema.JSON_SCHEMA_PATH.read_text())
    assert shipped == schema.json_schema(), (
        f"{schema.JSON_SCHEMA_PATH} is out of date with schema/spec.py: "
        "run `python -m schema jsonschema --write` and commit the result"
    )


def test_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    document = schema.json_schema()
    assert document.get("$schema", "").endswith("2020-12/schema")
    jsonschema.Draft202012Validator.check_schema(document)


def test_there_are_examples() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"brief.json", "blog.yaml", "shop.yaml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_validates_against_json_schema(path: Path) -> None:
    data = schema.load_file(path)
    validator = jsonschema.Draft202012Validator(schema.json_schema())
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]
    assert errors == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_passes_check(path: Path) -> None:
    assert schema.check(schema.load_file(path)) == []


@pytest.mark.parametrize(
    "data",
    [
        {"models": {"Post": {"fields": {"title": "strin"}}}},
        {"models": {"Post": {"fields": {"title": {"type": "string", "maxlength": 3}}}}},
        {"models": {"Post": {"tabel": "posts"}}},
        {"models": {"Post": {}}, "apis": {"Post": {"read": "everyone"}}},
        {"models": {"Post": {}}, "apis": {"Post": {"patch": "public"}}},
        {"models": {"Post": {"relations": {"a_id": {"model": "A", "on_delete": "nullify"}}}}},
        {"apis": {}},
        {"models": {"Post": {}}, "extra": 1},
    ],
    ids=[
        "type",
        "field-option",
        "model-option",
        "level",
        "action",
        "on_delete",
        "no-models",
        "top",
    ],
)
def test_json_schema_refuses_what_check_refuses(data: dict) -> None:
    """Shape errors are caught by editors too, not only by `python -m schema check`."""
    validator = jsonschema.Draft202012Validator(schema.json_schema())
    assert list(validator.iter_errors(data)), "the JSON Schema accepted it"
    assert schema.check(data), "schema.check accepted it"


@pytest.mark.parametrize(
    "data",
    [
        {"models": {"Post": {"fields": {"title": "STRING", "n": "Integer", "ok": " bool "}}}},
        {"models": {"Post": {}}, "apis": {"Post": {"read": False, "create": "off"}}},
        {"models": {"Post": {"fields": {"n": {"type": "int", "default": 3, "ge": 0}}}}},
    ],
    ids=["type-aliases", "off-false", "options"],
)
def test_json_schema_accepts_what_check_accepts(data: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema.json_schema())
    assert [e.message for e in validator.iter_errors(data)] == []
    assert schema.check(data) == []
