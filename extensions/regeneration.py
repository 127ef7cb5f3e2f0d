"""A guard for `copier update`: never silently ignore an edited schema.yaml.

Without `--data-file`, `copier update` reuses the answers recorded in
`.copier-answers.yml`, so an edit to the project's `schema.yaml` would be ignored.
copier.yml calls `check_schema_file()` from a hidden question; Copier evaluates it
before any file is written, so a refusal leaves the project untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from copier.errors import UserMessageError
from jinja2 import Environment
from jinja2.ext import Extension

SCHEMA_FILE = "schema.yaml"
SECTIONS = ("models", "apis", "auth")
REGENERATE = "copier update --trust --defaults --vcs-ref=:current: --data-file schema.yaml"


class SchemaFileIgnored(UserMessageError):
    """schema.yaml was edited but the update would use the recorded answers."""


def _section(value: Any) -> Any:
    return value if value not in (None, "") else {}


def check_schema_file(
    dst_path: Any, data: Any, models: Any, apis: Any, auth: Any, project_name: Any = None
) -> str:
    """Refuse when the project's schema.yaml differs from the answers about to be used.

    Only when no data was given for the schema (`--data-file` gives `models`): with a
    data file, the answers come from it and nothing is ignored.
    """
    if isinstance(data, dict) and any(key in data for key in SECTIONS):
        return "ok"
    path = Path(str(dst_path)) / SCHEMA_FILE
    if not path.is_file():
        return "ok"
    try:
        edited = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        edited = None
    if not isinstance(edited, dict):
        edited = {}
    recorded = {"models": models, "apis": apis, "auth": auth}
    changed = [key for key in SECTIONS if _section(edited.get(key)) != _section(recorded[key])]
    if "project_name" in edited and edited["project_name"] != project_name:
        changed.append("project_name")
    if not changed:
        return "ok"
    raise SchemaFileIgnored(
        f"{SCHEMA_FILE} differs from the schema this code was generated from "
        f"(.copier-answers.yml; changed: {', '.join(changed)}), and no --data-file was "
        f"given, so your edits would be ignored. Nothing was changed.\n"
        f"Regenerate from it:   {REGENERATE}\n"
        f"Also pull the latest template:   "
        f"copier update --trust --defaults --data-file schema.yaml"
    )


class RegenerationTools(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["check_schema_file"] = check_schema_file
