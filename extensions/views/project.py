"""The whole project: its models, and the modules they share (types, README, ownership)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..imports import natural_key
from ..queries import ProjectQueries
from ..schema import ROUTES, TYPES, AuthSettings, Import, Project, py
from .code import collection, render_imports
from .migrations import MigrationTable, migration_tables
from .model import ModelView
from .tests import TestSuite


@dataclass
class ProjectView:
    project: Project
    models: list[ModelView] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.models = [ModelView(m, self) for m in self.project.models]
        self._by_name = {m.name: m for m in self.models}

    def model(self, name: str) -> ModelView:
        return self._by_name[name]

    @property
    def name(self) -> str:
        return self.project.name

    @cached_property
    def queries(self) -> ProjectQueries:
        """The list queries' project-wide parts (extensions/queries.py)."""
        return ProjectQueries([m.queries for m in self.models], self.project)

    @property
    def user(self) -> ModelView:
        return self.model(self.project.auth.user_model)

    @property
    def auth(self) -> AuthSettings:
        return self.project.auth

    @cached_property
    def by_module(self) -> list[ModelView]:
        return sorted(self.models, key=lambda m: natural_key(m.module))

    @cached_property
    def routed_models(self) -> list[ModelView]:
        return [m for m in self.by_module if m.has_routes]

    @property
    def creation_order(self) -> list[ModelView]:
        return [self.model(m.name) for m in self.project.creation_order()]

    # files of their own -------------------------------------------------------------------

    @cached_property
    def tests(self) -> TestSuite:
        """tests/"""
        return TestSuite(self)

    @cached_property
    def migration(self) -> list[MigrationTable]:
        """migrations/versions/0001_initial.py"""
        return migration_tables(self)

    @property
    def router_modules(self) -> list[str]:
        """Every module under routers/, in import order (main.py)."""
        return sorted(["health", *(m.module for m in self.routed_models)], key=natural_key)

    @property
    def model_names(self) -> str:
        """The `__all__` list of models/__init__.py."""
        return collection([py(m.name) for m in self.by_module], "[]")

    # what the field types put in shared modules -----------------------------------------

    @property
    def type_map(self) -> list[tuple[str, str]]:
        """database.py's `type_annotation_map`: (Python type, column type), from the type table."""
        entries = (info.annotation_map for info in TYPES.values() if info.annotation_map)
        return [(key, value.text) for key, value in entries]

    def type_map_names(self, module: str) -> list[str]:
        """The names the type map's column types import from `module`."""
        return sorted(
            {
                item.name
                for info in TYPES.values()
                if info.annotation_map
                for item in info.annotation_map[1].imports
                if item.module == module and item.name
            }
        )

    @property
    def migration_zeros(self) -> list[tuple[str, str]]:
        """migrations/env.py: (SQLAlchemy type classes, value) for a new required column."""
        by_value: dict[str, list[str]] = {}
        for info in TYPES.values():
            if info.migration_zero:
                classes = by_value.setdefault(info.migration_zero[1], [])
                if info.migration_zero[0] not in classes:
                    classes.append(info.migration_zero[0])
        return [(" | ".join(classes), value) for value, classes in by_value.items()]

    @property
    def type_definitions(self) -> list[str]:
        """schemas/common.py: the input annotations the field types define."""
        definitions = [info.definition for info in TYPES.values() if info.definition]
        return [code.text for code in dict.fromkeys(definitions)]

    @property
    def common_imports(self) -> str:
        """schemas/common.py's imports: Username's, Changes' and ListParams', and the type
        definitions'."""
        needed = [Import("typing", name) for name in ("Annotated", "Any", "ClassVar")]
        needed += [Import("pydantic", name) for name in ("BaseModel", "ConfigDict", "Field")]
        needed.append(Import("pydantic", "BeforeValidator"))  # Username
        needed += [Import("pydantic", "ValidationInfo"), Import("pydantic", "field_validator")]
        needed.append(Import("database", "INT64_MAX"))
        definitions = [info.definition.imports for info in TYPES.values() if info.definition]
        return render_imports(needed, *definitions)

    # ownership --------------------------------------------------------------------------

    @property
    def owned_models(self) -> list[ModelView]:
        """Models with an owner, every parent before the children owned through it."""
        return [m for m in self.creation_order if m.owner_field is not None]

    @property
    def ownership_imports(self) -> str:
        """crud/ownership.py's imports."""
        needed = [Import("collections.abc", "Callable"), Import("sqlalchemy", "ColumnElement")]
        needed.append(Import("database", "Base"))
        for model in self.owned_models:
            needed.append(Import(f"models.{model.module}", model.name))
            if model.owner_parent is not None:
                needed.append(Import("sqlalchemy", "select"))
        return render_imports(needed)

    # README.md --------------------------------------------------------------------------

    @property
    def er_diagram(self) -> list[str]:
        """Mermaid erDiagram lines for the README."""
        lines = ["erDiagram"]
        for model in self.models:
            lines.append(f"    {model.name} {{")
            for f in model.fields:
                keys = "PK" if f.field.primary_key else "FK" if f.relation else ""
                keys = keys or ("UK" if f.field.unique else "")
                lines.append(f"        {f.type} {f.name}{' ' + keys if keys else ''}")
            if model.is_user_model:
                lines.append("        string role")
            lines.append("    }")
        for model in self.models:
            for relation in model.model.relations:
                one = "|o" if relation.nullable else "||"
                lines.append(f"    {relation.parent} {one}--o{{ {model.name} : {relation.fk}")
        return lines

    @property
    def endpoint_rows(self) -> list[tuple[str, str, str]]:
        """(method, path, level) of every generated endpoint, for the README."""
        return [
            (ROUTES[action][0], model.path + ROUTES[action][1], route.level)
            for model in self.routed_models
            for action, route in model.endpoints.items()
        ]
