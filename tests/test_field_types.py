"""The type table (schema/field_types.py): one entry per type, and everything else follows it."""

from __future__ import annotations

import json
import re

import pytest

import schema
from extensions.views import ProjectView
from schema import TYPES, FieldType
from schema.field_types import ALIASES
from schema.project import CLASS_BODY_NAMES, ModelField
from tests.conftest import REPO


def test_every_type_has_one_entry() -> None:
    assert list(TYPES) == list(FieldType)
    assert all(info.type is type_ for type_, info in TYPES.items())
    for info in TYPES.values():  # what every type must say (the generated tests use them)
        assert info.migration_zero and info.migration_test and info.json_schema, info.type
    spellings = [s for info in TYPES.values() for s in info.spellings]
    assert len(spellings) == len(set(spellings)) == len(ALIASES)


def test_the_builder_offers_every_type() -> None:
    """builder/static/app.js keeps its own list (with labels and options): every type of the
    table is in it, and any other is gated by a feature the plugin does not accept yet."""
    app = (REPO / "builder" / "static" / "app.js").read_text(encoding="utf-8")
    listed = re.search(r"^const FIELD_TYPES = \[(.*?)^\];", app, re.MULTILINE | re.DOTALL)
    assert listed, "builder/static/app.js has no FIELD_TYPES list"
    entries = re.findall(r'\{ type: "(\w+)"(.*?)\}', listed[1])
    offered = {name for name, _ in entries}
    assert {t.value for t in FieldType} <= offered
    for name, rest in entries:
        assert name in {t.value for t in FieldType} or f'feature: "{name}"' in rest, name


def test_the_json_schema_accepts_every_spelling() -> None:
    document = json.loads(schema.JSON_SCHEMA_PATH.read_text(encoding="utf-8"))
    field_type = document["$defs"]["FieldSpec"]["properties"]["type"]
    assert field_type["anyOf"][0]["enum"] == sorted(ALIASES)


def test_the_names_type_annotations_use_are_reserved_field_names() -> None:
    for info in TYPES.values():
        for code in (info.python, info.input, info.output):
            assert re.match(r"\w+", code.text)[0] in CLASS_BODY_NAMES  # type: ignore[index]


@pytest.mark.parametrize("type_", list(FieldType))
def test_samples_are_distinct_and_zero_is_a_value_of_the_type(type_: FieldType) -> None:
    info = TYPES[type_]
    field = ModelField(name="f", type=type_, values=("a", "b"))  # values: an enum's
    zero = info.zero_of(field)
    if type_ is FieldType.EMAIL:
        # No address is every row's: a new required e-mail column holds "" in existing rows,
        # and the schema refuses it as a default.
        assert zero == ""
    else:
        assert info.coerce(zero) == zero
    namespace = {
        "dt": __import__("datetime"),
        "FIRST_DAY": __import__("datetime").date(2024, 1, 1),
        "FIRST_MINUTE": __import__("datetime").datetime(2024, 1, 1),
        "text_value": lambda name, n, shortest, longest: f"{name}-{n}"[-longest:],
    }
    values = {eval(info.sample(field, str(n)).text, namespace) for n in range(1, 3)}  # noqa: S307
    assert len(values) == min(2, info.capacity(field) or 2)
    assert info.invalid(field)


def test_shared_modules_print_what_the_table_says() -> None:
    project = ProjectView(schema.normalize(schema.DEFAULT_SCHEMA))
    assert ("int", 'BigInteger().with_variant(Integer(), "sqlite")') in project.type_map
    assert project.type_map_names("sqlalchemy") == ["BigInteger", "Double", "Integer"]
    assert ("sa.String", '""') in project.migration_zeros
    definitions = project.type_definitions
    assert len(definitions) == len(set(definitions))  # string and text share Str
    assert any(line.startswith("Int64 = ") for line in definitions)
