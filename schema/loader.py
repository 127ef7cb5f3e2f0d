"""Reading schema files strictly: YAML or JSON, one mapping, no duplicate keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SchemaError


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise SchemaError([Problem((), f"duplicate key {key!r} on line {line}")])
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_text(text: str, filename_hint: str = "schema.yaml") -> dict[str, Any]:
    """Parse schema text (JSON is YAML too); the document must be one mapping."""
    try:
        if filename_hint.endswith(".json"):
            data = json.loads(text, object_pairs_hook=_json_pairs)
        else:
            data = join_surrogates(yaml.load(text, Loader=_StrictLoader))  # noqa: S506
    except json.JSONDecodeError as error:
        raise SchemaError([Problem((), f"not valid JSON: {error}")]) from None
    except yaml.YAMLError as error:
        raise SchemaError([Problem((), f"not valid YAML: {error}")]) from None
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise SchemaError([Problem((), f"the document must be a mapping, not {kind}")])
    return data


def join_surrogates(value: Any) -> Any:
    """The data with JSON-style surrogate pairs in its strings joined into one character.

    PyYAML, which also reads Copier's --data-file, leaves `"\\ud83d\\udca5"` (how Python's
    json.dump writes 💥) as two surrogates, which no string check accepts.
    """
    if isinstance(value, str):
        try:
            return value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            return value  # a lone surrogate: the schema's checks report it
    if isinstance(value, dict):
        return {join_surrogates(k): join_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [join_surrogates(item) for item in value]
    return value


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise SchemaError([Problem((), f"duplicate key {key!r}")])
        mapping[key] = value
    return mapping


def load_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SchemaError([Problem((), f"cannot read {path}: {error.strerror}")]) from None
    return load_text(text, path.name)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
