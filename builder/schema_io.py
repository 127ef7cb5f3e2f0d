"""Schemas coming in over HTTP: strict JSON parsing, checking through `schema/`, a preview.

The checking is `schema.check`, the very function the template's extension runs at
`copier copy` time, so the builder accepts exactly what Copier accepts.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import yaml
from fastapi.exceptions import RequestValidationError

import schema

log = logging.getLogger(__name__)

MAX_DEPTH = 64
OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "A project schema (what `copier copy --data-file` takes).",
    }
}
HTTP_PATHS = schema.ROUTES


def parse_json(raw: bytes) -> Any:
    """A request body as JSON: no duplicate keys, no NaN or Infinity, nesting kept shallow.

    Anything else is a 422 in FastAPI's usual shape.
    """
    try:
        data = json.loads(raw, object_pairs_hook=_unique_pairs, parse_constant=_refuse_constant)
    except _BadJSON as error:
        _refuse(str(error))
    except (ValueError, RecursionError) as error:
        _refuse(f"the body is not valid JSON: {error}")
    depth = _depth(data)
    if depth > MAX_DEPTH:
        _refuse(f"the body is nested {depth} levels deep; at most {MAX_DEPTH} are accepted")
    return data


class _BadJSON(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise _BadJSON(f"duplicate key {key!r}")
        mapping[key] = value
    return mapping


def _refuse_constant(name: str) -> float:
    raise _BadJSON(f"{name} is not a JSON number")


def _refuse(msg: str) -> None:
    raise RequestValidationError([{"loc": ["body"], "msg": msg, "type": "json_invalid"}])


def _depth(data: Any) -> int:
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return deepest


def problems(data: Any) -> list[dict[str, Any]]:
    """Every problem of a schema as `{"loc", "msg"}`; empty when Copier would accept it."""
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        return [{"loc": [], "msg": f"a schema is a JSON object with 'models', not {kind}"}]
    if not _finite(data):
        return [{"loc": [], "msg": "numbers must be finite"}]
    try:
        found = schema.check(data)
    except RecursionError:
        return [{"loc": [], "msg": "the schema is nested too deeply"}]
    except Exception as error:  # a checker bug must not become a 500, nor an accepted schema
        log.exception("schema.check failed")
        return [{"loc": [], "msg": f"the schema could not be checked: {error}"}]
    return [problem.as_dict() for problem in found]


def _finite(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return True


def preview(data: dict[str, Any]) -> dict[str, Any]:
    """What the template will generate for a valid schema: models, relations, endpoints.

    The page draws its ER diagram and endpoint table from this, so names, paths and
    levels come from `schema/`'s normalisation and never from a second copy in JavaScript.
    """
    project = schema.normalize(data)
    models = []
    endpoints = []
    for model in project.models:
        models.append(
            {
                "name": model.name,
                "table": model.table,
                "path": model.path,
                "builtin": model.builtin,
                "is_user_model": model.is_user_model,
                "timestamps": model.timestamps,
                "owner": model.owner_field,
                # The parent a record is owned through (None: owned directly, or no owner).
                "owner_parent": getattr(model, "owner_parent", None),
                "levels": {action: level.value for action, level in model.levels.items()},
                "fields": [
                    {
                        "name": field.name,
                        "type": field.type.value,
                        "primary_key": field.primary_key,
                        "nullable": field.nullable,
                        "unique": field.unique,
                        "secret": field.secret or field.is_password,
                        "references": field.relation.parent if field.relation else None,
                    }
                    for field in model.fields
                ],
                "relations": [
                    {
                        "fk": relation.fk,
                        "parent": relation.parent,
                        "on_delete": relation.on_delete.value,
                        "attribute": relation.attribute,
                        "back_populates": relation.back_populates,
                    }
                    for relation in model.relations
                ],
            }
        )
        for action, (method, suffix) in HTTP_PATHS.items():
            endpoints.append(
                {
                    "model": model.name,
                    "action": action,
                    "method": method,
                    "path": f"/{model.path.strip('/')}{suffix}",
                    "level": model.levels[action].value,
                }
            )
    auth = project.auth
    return {
        "models": models,
        "endpoints": endpoints,
        "auth": {
            "user_model": auth.user_model,
            "username_field": auth.username_field,
            "password_field": auth.password_field,
            "token_expire_minutes": auth.token_expire_minutes,
            "registration": "open" if auth.registration else "off",
        },
    }


def to_yaml(data: Any) -> str:
    """A schema as YAML, keys in their saved order (what `--data-file` reads the same)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
