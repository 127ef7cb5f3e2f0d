"""The Jinja extensions copier.yml loads (through copier-template-extensions).

- `BackendContext` puts `project` into every template's context: the normalised and
  checked schema as view objects (`views.ProjectView`) the templates print.
- `BackendTools` gives templates `check_schema()` (a hidden Copier question calls it,
  so a bad schema is refused before any file is written), `secret_key()`, the `py`
  filter (a Python literal), and formats every generated `.py` file with black.

This file is loaded by path, not as part of a package, so it loads `schema/` and
the rest of `extensions/` under a name unique to this template checkout: during
`copier update`, the old and the new template versions each use their own code.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import secrets
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from copier.errors import UserMessageError
from copier_template_extensions import ContextHook
from jinja2 import Environment, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context

ROOT = Path(__file__).resolve().parent.parent


def _load_package() -> str:
    name = "_backend_builder_" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    if name not in sys.modules:
        package = types.ModuleType(name)
        package.__path__ = [str(ROOT)]
        sys.modules[name] = package
    return name


_PACKAGE = _load_package()
views = importlib.import_module(f"{_PACKAGE}.extensions.views")
imports = importlib.import_module(f"{_PACKAGE}.extensions.imports")
formatting = importlib.import_module(f"{_PACKAGE}.extensions.formatting")
internals = importlib.import_module(f"{_PACKAGE}.extensions.copier_internals")
schema = importlib.import_module(f"{_PACKAGE}.schema")


class SchemaRefused(UserMessageError):
    """A project schema broke the format's rules; the message lists every problem."""


_cache: dict[str, Any] = {}
_last: tuple[tuple[Any, ...], Any] | None = None


def _schema_data(models: Any, apis: Any, auth: Any) -> dict[str, Any]:
    """The schema in Copier's answers, with what its YAML reading left undone (see loader)."""
    return schema.join_surrogates({"models": models, "apis": apis or {}, "auth": auth or {}})


def build_project(models: Any, apis: Any, auth: Any, project_name: Any = None) -> Any:
    """The checked, normalised project for these answers.

    Every rendered file asks: the same answer objects get the same project at once,
    other ones are looked up by their content.
    """
    global _last
    identity = (models, apis, auth, project_name)
    if _last is not None and all(a is b for a, b in zip(_last[0], identity, strict=True)):
        return _last[1]
    data = _schema_data(models, apis, auth)
    key = json.dumps([data, project_name], sort_keys=True, default=str)
    if key not in _cache:
        try:
            project = schema.normalize(data, project_name=schema.join_surrogates(project_name))
        except schema.SchemaError as error:
            raise SchemaRefused(str(error)) from None
        _cache[key] = views.ProjectView(project)
    _last = (identity, _cache[key])
    return _cache[key]


def check_schema(
    models: Any, apis: Any, auth: Any, project_name: Any = None, data: Any = None
) -> str:
    """Refuse a bad schema before any file is written, listing every problem.

    `data` is what the user passed (--data-file, -d): Copier would silently drop keys
    that are not questions, and fall back to the demo's models when a file has none.
    """
    problems = []
    given = data if isinstance(data, dict) else {}
    for key in given:
        # Copier passes its own keys (_src_path, _commit, ...) along on update.
        if not str(key).startswith("_") and key not in schema.project.TOP_LEVEL_KEYS:
            problems.append(schema.Problem((str(key),), "unknown key; expected models, apis, auth"))
    if "models" not in given and ("apis" in given or "auth" in given):
        problems.append(schema.Problem(("models",), "a schema file must have models"))
    try:
        build_project(models, apis, auth, project_name)
    except SchemaRefused:
        if not problems:
            raise
        problems += schema.check(_schema_data(models, apis, auth))
    if problems:
        raise SchemaRefused(str(schema.SchemaError(problems)))
    return "ok"


class BackendContext(ContextHook):
    def hook(self, context: dict[str, Any]) -> None:
        if "models" in context and "project" not in context:
            context["project"] = build_project(
                context["models"],
                context.get("apis"),
                context.get("auth"),
                context.get("project_name"),
            )


class BackendTools(Extension):
    tags = {"python_file"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.globals["check_schema"] = check_schema
        environment.globals["secret_key"] = lambda: secrets.token_urlsafe(48)
        environment.globals["import_from"] = imports.import_from
        environment.filters["py"] = schema.py
        environment.filters["yaml_schema"] = lambda data: schema.dump_yaml(
            schema.join_surrogates(data)
        ).rstrip()
        internals.compile_strings_once(environment)

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        # A Python file, possibly written only when a condition holds (`...py{% endif %}`).
        if name and name.endswith((".py.jinja", ".py{% endif %}.jinja")):
            return "{% python_file " + repr(name) + " %}" + source + "{% endpython_file %}"
        return source

    def parse(self, parser: Parser) -> nodes.Node:
        """`{% python_file NAME %}...{% endpython_file %}`: the body, formatted with black.

        A call block rather than a filter, so the body is rendered only when this
        process formats it (see formatting.ParallelFormatter).
        """
        lineno = next(parser.stream).lineno
        name = parser.parse_expression()
        body = parser.parse_statements(("name:endpython_file",), drop_needle=True)
        call = self.call_method("_python_file", [nodes.ContextReference(), name])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _python_file(self, context: Context, name: str, caller: Callable[[], str]) -> str:
        return formatting.python_file(self.environment, context, name, caller)
