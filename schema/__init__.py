"""The schema plugin: the project schema's format, its rules, and its normalised form.

from schema import normalize, check, load_file
project = normalize(load_file("schema.yaml"))   # raises SchemaError listing every problem
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import Problem, SchemaError
from .field_types import (
    INT64_MAX,
    INT64_MIN,
    SAMPLE_CONSTANTS,
    TYPES,
    FieldType,
    TypeInfo,
    zero_value,
)
from .loader import dump_yaml, join_surrogates, load_file, load_text
from .project import (
    ROUTES,
    AuthSettings,
    Model,
    ModelField,
    Project,
    Relation,
    check,
    enum_member,
    normalize,
)
from .python_code import Code, Import, literal, py
from .spec import Level, OnDelete, ProjectSpec

HERE = Path(__file__).parent
EXAMPLES = HERE / "examples"
JSON_SCHEMA_PATH = HERE / "schema.json"

# The embedded default: the brief's example, used when no schema is given at all.
DEFAULT_SCHEMA: dict[str, Any] = json.loads((EXAMPLES / "brief.json").read_text())


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the project schema format, for editors."""
    return ProjectSpec.model_json_schema()


__all__ = [
    "DEFAULT_SCHEMA",
    "EXAMPLES",
    "INT64_MAX",
    "INT64_MIN",
    "JSON_SCHEMA_PATH",
    "ROUTES",
    "SAMPLE_CONSTANTS",
    "TYPES",
    "AuthSettings",
    "Code",
    "Import",
    "TypeInfo",
    "FieldType",
    "Level",
    "Model",
    "ModelField",
    "OnDelete",
    "Problem",
    "Project",
    "Relation",
    "SchemaError",
    "check",
    "dump_yaml",
    "enum_member",
    "join_surrogates",
    "json_schema",
    "load_file",
    "literal",
    "load_text",
    "py",
    "normalize",
    "zero_value",
]
