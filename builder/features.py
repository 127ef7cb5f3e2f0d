"""What the schema plugin accepts today, found by asking it (`schema.check`) about probes.

The page keeps one table of field types and options (SPEC §3, §9.1) and shows only
the entries this reports as accepted, so a type or option appears in the builder
the day the plugin accepts it, and never before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import schema

USER = {"fields": {"email": "string", "password": "string"}}


def _accepts(models: dict[str, Any], apis: dict[str, Any] | None = None) -> bool:
    try:
        return not schema.check({"models": {"User": USER, **models}, "apis": apis or {}})
    except Exception:  # noqa: BLE001 - a probe the plugin cannot even check is not accepted
        return False


def _field(spec: Any) -> bool:
    return _accepts({"Probe": {"fields": {"probe": spec}}})


def _model(options: dict[str, Any]) -> bool:
    fields = {"title": "string", "code": "string"}
    return _accepts({"Probe": {"fields": fields, **options}})


@lru_cache
def features() -> dict[str, Any]:
    types = {
        "decimal": _field({"type": "decimal", "max_digits": 10, "decimal_places": 2}),
        "enum": _field({"type": "enum", "values": ["draft", "published"]}),
        "email": _field({"type": "email", "max_length": 200}),
    }
    parent = {"Invoice": {"fields": {"total": "float"}, "relations": {"user_id": "User"}}}
    line = {"fields": {"qty": "int"}, "relations": {"invoice_id": "Invoice"}}
    return {
        "types": [name for name, accepted in types.items() if accepted],
        "field_options": {
            "admin_only": _field({"type": "string", "admin_only": True}),
        },
        "model_options": {
            "unique_together": _model({"unique_together": [["title", "code"]]}),
            "search": _model({"search": ["title"]}),
        },
        "owner": {
            "none": _accepts({"Note": {"fields": {"body": "text"}, "owner": False}}),
            "through_parent": _accepts(
                {**parent, "Line": {**line, "owner": "invoice_id"}}, {"Line": {"read": "owner"}}
            ),
        },
    }
