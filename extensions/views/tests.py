"""tests/: valid and invalid data for every model, and which generated tests have cases.

A model's `TestData` gives its factories' payload and its `Resource` entry in
tests/resources.py; `TestSuite` tells test modules which tests to write (test_crud.py
holds only the tests that will run) and what they import. Values come from the type
table (schema/field_types.py: `sample`, `invalid`, `capacity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..schema import SAMPLE_CONSTANTS, TYPES, Code, Import, Level, OnDelete, py
from .code import collection, render_imports

if TYPE_CHECKING:
    from .model import FieldView, ModelView
    from .project import ProjectView

# A model whose unique fields allow fewer rows than this gives its children shared parents in
# tests: a test makes up to 3 children, each with a parent per foreign key.
FEW_ROWS = 10


class TestData:
    def __init__(self, model: ModelView) -> None:
        self.model = model

    # tests/factories.py -----------------------------------------------------------------

    @cached_property
    def payload_items(self) -> list[tuple[str, Code]]:
        """(field, Python expression) of a valid create payload; `n` makes it distinct."""
        model = self.model
        items: list[tuple[str, Code]] = []
        for f in model.writable:
            relation = f.field.relation
            if f.field.admin_only:
                continue  # server-managed: a create leaves it to its default
            if relation is None:
                items.append((f.name, f.info.sample(f.field, "n")))
                continue
            if not f.field.required:
                continue
            parent = model.project.model(relation.parent)
            make = f"make_{parent.module}"
            if f.name in self.shared_parents:
                value = f"existing_or_new(session, {parent.name}, {make}, overrides, owner)"
            elif f.name == model.direct_owner:
                value = f"{make}(session).id if owner is None else owner"
            elif f.name in model.owned_references:
                value = f"{make}(session, owner).id"
            else:
                value = f"{make}(session).id"
            items.append((f.name, Code(value)))
        return items

    @property
    def payload_values(self) -> list[tuple[str, Code]]:
        """The payload's plain fields (their values depend on `n`)."""
        return [(n, value) for n, value in self.payload_items if n not in self.parent_fields]

    @property
    def payload_parents(self) -> list[tuple[str, Code]]:
        """The payload's required foreign keys, each from a new parent record (or a reused one)."""
        return [(n, value) for n, value in self.payload_items if n in self.parent_fields]

    @property
    def parent_fields(self) -> set[str]:
        return {f.name for f in self.model.writable if f.field.relation and f.field.required}

    @property
    def shared_parents(self) -> set[str]:
        """Required FKs to a model with few possible rows: a new parent each time would run out."""
        project = self.model.project
        return {
            f.name
            for f in self.model.writable
            if f.field.relation
            and f.field.required
            and project.model(f.field.relation.parent).tests.capacity < FEW_ROWS
        }

    @property
    def capacity(self) -> int:
        """How many rows the tests may create (unique fields with few values limit it)."""
        limits = [
            capacity
            for f in self.model.fields
            if f.field.unique and (capacity := f.info.capacity(f.field))
        ]
        return min(limits, default=1000)

    # tests/resources.py -----------------------------------------------------------------

    @property
    def required_fields(self) -> list[str]:
        model = self.model
        return [f.name for f in model.writable if f.field.required and f.name != model.direct_owner]

    @property
    def not_null_fields(self) -> list[str]:
        return [f.name for f in self.model.writable if not f.field.nullable]

    @property
    def invalid_values(self) -> list[tuple[str, str]]:
        return [
            (f.name, f.info.invalid(f.field)) for f in self.model.writable if f.relation is None
        ]

    @property
    def update_field(self) -> FieldView | None:
        """A plain field a PATCH test can change."""
        return next(
            (
                f
                for f in self.model.writable
                if f.relation is None
                and not f.field.is_password
                and f.field.readable
                and not f.field.admin_only
            ),
            None,
        )

    @property
    def filter_field(self) -> FieldView | None:
        filterable = self.model.filterable
        return next((f for f in filterable if f.relation is None), None) or next(
            iter(filterable), None
        )

    @property
    def datetime_fields(self) -> list[str]:
        """Fields whose values the API writes with an offset (date-time in JSON Schema)."""
        return [
            f.name for f in self.model.readable if f.info.json_schema.get("format") == "date-time"
        ]

    @property
    def self_references(self) -> list[str]:
        return [r.fk for r in self.model.model.relations if r.is_self]

    @property
    def restricting_children(self) -> list[tuple[str, str]]:
        """(child module, fk) of children whose FK refuses this record's deletion."""
        project = self.model.project
        return [
            (project.model(r.child).module, r.fk)
            for r in self.model.model.children
            if r.on_delete is OnDelete.RESTRICT and not r.is_self
        ]

    @property
    def unique_together(self) -> list[tuple[str, ...]]:
        """Groups a test can repeat: every field in the payload, none unique on its own."""
        model = self.model
        in_payload = {f.name for f in model.writable if f.relation is None} | set(
            self.required_fields
        )
        return [
            group
            for group in model.model.unique_together
            if set(group) <= in_payload and not set(group) & set(model.unique_fields)
        ]

    @property
    def admin_only_values(self) -> list[tuple[str, str]]:
        """(field, a valid JSON value: its default) of each field only an admin sets."""
        return [
            (f.name, py(json_value(f.field.default)))
            for f in self.model.writable
            if f.field.admin_only
        ]

    @property
    def emails(self) -> list[str]:
        return [f.name for f in self.model.writable if f.type == "email" and f.field.readable]

    @property
    def decimals(self) -> list[tuple[str, int]]:
        """(field, places) of each decimal a response shows."""
        return [(f.name, f.field.places) for f in self.model.readable if f.type == "decimal"]

    @property
    def resource_arguments(self) -> list[tuple[str, str]]:
        """(keyword, value) of this model's `Resource(...)` in tests/resources.py."""
        model = self.model
        levels = [f"{py(a)}: {py(route.level)}" for a, route in model.endpoints.items()]
        arguments = [
            ("name", py(model.name)),
            ("url", py(model.path)),
            ("levels", collection(levels, "{}")),
            ("owner_field", py(model.owner_field)),
            ("make", f"make_{model.module}"),
            ("payload", f"{model.module}_payload"),
        ]
        if model.owner_parent is not None:
            arguments.append(("owned_through", "True"))
        if model.owned_references:
            pairs = [
                f"({py(fk)}, make_{module})"
                for fk, _, module in model.references
                if fk in model.owned_references
            ]
            arguments.append(("owned_references", collection(pairs)))
        groups = {
            "required": self.required_fields,
            "not_null": self.not_null_fields,
            "unique": model.unique_fields,
            "references": [fk for fk, _, _ in model.references],
            "secret": model.secret_fields,
            "datetimes": self.datetime_fields,
            "self_references": self.self_references,
            "emails": self.emails,
        }
        for name, values in groups.items():
            if values:
                arguments.append((name, collection([py(value) for value in values])))
        if self.invalid_values:
            pairs = [f"({py(name)}, {value})" for name, value in self.invalid_values]
            arguments.append(("invalid", collection(pairs)))
        if self.update_field:
            arguments.append(("update_field", py(self.update_field.name)))
        if self.filter_field:
            arguments.append(("filter_field", py(self.filter_field.name)))
        if self.restricting_children:
            pairs = [f"(make_{child}, {py(fk)})" for child, fk in self.restricting_children]
            arguments.append(("restricting", collection(pairs)))
        if self.unique_together:
            groups_literal = [py(group) for group in self.unique_together]
            arguments.append(("unique_together", collection(groups_literal)))
        if self.admin_only_values:
            pairs = [f"({py(name)}, {value})" for name, value in self.admin_only_values]
            arguments.append(("admin_only", collection(pairs)))
        if self.decimals:
            pairs = [f"({py(name)}, {places})" for name, places in self.decimals]
            arguments.append(("decimals", collection(pairs)))
        if self.capacity < 3:
            arguments.append(("capacity", str(self.capacity)))
        for line in model.queries.resource_lines:  # operators, search, expandable
            keyword, value = line.split("=", 1)
            arguments.append((keyword, value))
        return arguments


# What a generated test needs of a model, by the name test_crud.py asks for.
NEEDS: dict[str, Callable[[ModelView], object]] = {
    "required": lambda m: m.tests.required_fields,
    "not_null": lambda m: m.tests.not_null_fields,
    "unique": lambda m: m.unique_fields,
    "references": lambda m: m.references,
    "invalid": lambda m: m.tests.invalid_values,
    "restricting": lambda m: m.tests.restricting_children,
    "self_references": lambda m: m.tests.self_references,
    "unique_together": lambda m: m.tests.unique_together,
    "admin_only": lambda m: m.admin_only and m.endpoints["create"].level != "admin",
    "emails": lambda m: m.tests.emails,
    "decimals": lambda m: m.tests.decimals,
    "update_field": lambda m: m.tests.update_field,
    "filter_field": lambda m: m.tests.filter_field,
}


class TestSuite:
    """The project's generated tests/."""

    def __init__(self, project: ProjectView) -> None:
        self.project = project

    def applies(self, action: str, need: str | None = None) -> bool:
        """Whether some model has the `action` endpoint (and what the test `need`s)."""
        return any(
            action in m.endpoints and (need is None or bool(NEEDS[need](m)))
            for m in self.project.routed_models
        )

    def owner_level(self, action: str, *, assigned: bool = False) -> bool:
        """Whether some model has `action` at the owner level (with an owner FK to assign)."""
        return any(
            m.model.levels[action] is Level.OWNER and (not assigned or m.owner_field != "id")
            for m in self.project.routed_models
        )

    @property
    def ownership(self) -> dict[str, bool]:
        """Which tests of tests/test_ownership.py have cases (the others are not written)."""
        non_admin = ("public", "auth", "owner")

        def any_model(
            action: str, levels: tuple[str, ...], test: Callable[[ModelView], bool]
        ) -> bool:
            return any(
                action in m.endpoints and m.endpoints[action].level in levels and test(m)
                for m in self.project.routed_models
            )

        return {
            "sets_owner": any_model("create", non_admin, lambda m: m.direct_owner is not None),
            "keeps_owner": any_model("update", non_admin, lambda m: m.direct_owner is not None),
            "not_there": any(
                any_model(action, ("owner",), lambda m: m.owner_field != "id")
                for action in ("detail", "update", "delete")
            ),
            "references": any(
                any_model(action, non_admin, lambda m: bool(m.owned_references))
                for action in ("create", "update")
            ),
            "moves": any_model("update", ("public", "auth"), lambda m: m.owner_parent is not None),
        }

    @property
    def crud_imports(self) -> str:
        """tests/test_crud.py's imports."""
        needed = [Import("typing", "Any"), Import("pytest"), Import("sqlalchemy.orm", "Session")]
        needed += [Import("fastapi.testclient", "TestClient"), Import("tests.conftest", "Caller")]
        needed += [
            Import("tests.resources", "Resource"),
            Import("tests.resources", "with_endpoint"),
        ]
        if self.applies("list") or self.applies("detail"):
            needed += [Import("collections.abc", "Callable"), Import("httpx", "Response")]
            needed += [Import("sqlalchemy", "event"), Import("database", "engine")]
        if self.applies("delete", "restricting"):
            needed.append(Import("collections.abc", "Callable"))
        return render_imports(needed)

    @property
    def ownership_imports(self) -> str:
        """tests/test_ownership.py's imports."""
        needed = [Import("pytest"), Import("fastapi.testclient", "TestClient")]
        needed += [Import("sqlalchemy.orm", "Session"), Import("tests.conftest", "Caller")]
        needed += [Import("tests.resources", "RESOURCES"), Import("tests.resources", "Resource")]
        return render_imports(needed)

    @property
    def resource_imports(self) -> str:
        """tests/resources.py's imports."""
        needed = [Import("collections.abc", "Callable"), Import("typing", "Any")]
        needed.append(Import("dataclasses", "dataclass"))
        for model in self.project.routed_models:
            needed.append(Import("tests.factories", f"make_{model.module}"))
            needed.append(Import("tests.factories", f"{model.module}_payload"))
            for child, _ in model.tests.restricting_children:
                needed.append(Import("tests.factories", f"make_{child}"))
        return render_imports(needed)

    @property
    def factory_imports(self) -> str:
        """tests/factories.py's imports: its own, and those of every payload's values."""
        project = self.project
        needed = [Import("itertools"), Import("typing", "Any"), Import("sqlalchemy.orm", "Session")]
        needed += [Import("collections", "defaultdict"), Import("collections.abc", "Iterator")]
        needed.append(Import("auth.security", "hash_password"))
        for model in project.models:
            needed.append(Import(f"models.{model.module}", model.name))
            needed.append(Import(f"schemas.{model.module}", f"{model.name}Create"))
        needed.append(Import(f"models.{project.user.module}", "Role"))
        if self.reuses_parents:
            needed += [Import("collections.abc", "Callable"), Import("sqlalchemy", "select")]
            needed += [Import("database", name) for name in ("INT64_MAX", "INT64_MIN", "Base")]
            needed.append(Import("crud.ownership", "OWNED_BY"))
        values = [value for m in project.models for _, value in m.tests.payload_items]
        return render_imports(needed, *(value.imports for value in values))

    @property
    def added_columns(self) -> list[tuple[str, str, str]]:
        """tests/test_migrations.py: (name, SQLAlchemy type, check of an existing row's value)
        of a new required column of each field type."""
        return [
            (
                f"added_{info.type.value}",
                column_type,
                check.format(value=f'rows[0]["added_{info.type.value}"]'),
            )
            for info in TYPES.values()
            if info.migration_test
            for column_type, check in [info.migration_test]
        ]

    @property
    def reuses_parents(self) -> bool:
        """Some model's test records share parents (see FEW_ROWS)."""
        return any(model.tests.shared_parents for model in self.project.models)

    @property
    def factory_constants(self) -> list[str]:
        """The dates that generated date and datetime values count from."""
        used = {
            name
            for model in self.project.models
            for _, value in model.tests.payload_items
            for name in value.constants
        }
        return [code.text for name, code in SAMPLE_CONSTANTS.items() if name in used]


def json_value(value: object) -> object:
    """A schema value as a JSON body holds it: dates and decimals as strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
