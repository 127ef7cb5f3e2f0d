"""List queries (SPEC §9.3), decided per model: the operators each field takes beside
equality, what `q` searches, and the relations `?expand=` embeds.

The schema, router, crud, test and README templates print what this module decides
(through `ModelView.queries` and `ProjectView.queries`); the generated runtime is
crud/queries.py, auth/expand.py and schemas/queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .imports import Imports
from .schema import FieldType, Import, Level, Model, ModelField, Project

RANGES = ("gt", "gte", "lt", "lte")
# The operators beside `field=value` that fit each type; a nullable field adds `isnull`.
TYPE_OPERATORS: dict[FieldType, tuple[str, ...]] = {
    FieldType.INT: (*RANGES, "in"),
    FieldType.FLOAT: RANGES,
    FieldType.STRING: ("in", "icontains"),
    FieldType.TEXT: ("icontains",),
    FieldType.BOOL: (),
    FieldType.DATETIME: RANGES,
    FieldType.DATE: (*RANGES, "in"),
    FieldType.DECIMAL: RANGES,
    FieldType.ENUM: ("in",),
    FieldType.EMAIL: ("in", "icontains"),
}
# Ids are compared for equality only: a range of ids means nothing.
FOREIGN_KEY_OPERATORS = ("in",)
# What the generated tests compare a field's JSON values as.
VALUE_KINDS = {
    FieldType.INT: "int",
    FieldType.FLOAT: "float",
    FieldType.STRING: "text",
    FieldType.TEXT: "text",
    FieldType.BOOL: "bool",
    FieldType.DATETIME: "datetime",
    FieldType.DATE: "date",
    FieldType.DECIMAL: "decimal",
    FieldType.ENUM: "text",
    FieldType.EMAIL: "text",
}
MAX_EXPAND_DEPTH = 3  # also in the generated auth/expand.py


def operators(field: ModelField) -> tuple[str, ...]:
    """The operators of `field` beside equality: none on a secret or the password."""
    if not field.filterable:
        return ()
    if field.relation is not None:
        found = FOREIGN_KEY_OPERATORS
    else:
        found = TYPE_OPERATORS.get(field.type, ())
    return (*found, "isnull") if field.nullable else found


def operator_annotation(operator: str, value_type: str) -> str:
    """The annotation of `field__<operator>` where `field=` takes a `value_type`."""
    if operator == "in":
        return f"CommaList[{value_type}] | None"
    if operator == "icontains":
        return "Str | None"
    if operator == "isnull":
        return "bool | None"
    return f"{value_type} | None"


def _prose_list(names: list[str], conjunction: str = "and") -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


@dataclass(frozen=True)
class Expandable:
    """A many-to-one relation `?expand=` may embed: `task.project`, from `project_id`."""

    relation: str
    foreign_key: str
    target: Model

    @property
    def level(self) -> str:
        """Who may read the target (its detail level): who may embed it."""
        return self.target.levels["detail"].value

    @property
    def embedded(self) -> bool:
        """The target has a detail endpoint, so a Read shape that can hold it."""
        return self.target.levels["detail"] is not Level.OFF


@dataclass
class ModelQueries:
    """One model's list parameters beyond `limit`, `offset` and `sort`."""

    model: Model
    project: Project

    @cached_property
    def expandable(self) -> list[Expandable]:
        return [
            Expandable(r.attribute, r.fk, self.project.model(r.parent))
            for r in self.model.relations
        ]

    @property
    def embedded(self) -> list[Expandable]:
        """The relations the Read shape can hold (their target may be read by someone)."""
        return [e for e in self.expandable if e.embedded]

    @property
    def expands_on(self) -> set[str]:
        """The routes that take `?expand=`."""
        if not self.expandable:
            return set()
        return {"list", "detail"} & set(self.model.endpoints)

    @property
    def search(self) -> list[str]:
        return self.model.search

    @property
    def filters(self) -> list[tuple[ModelField, tuple[str, ...]]]:
        """(field, its operators beside equality) of each field a list filters on."""
        return [(f, operators(f)) for f in self.model.fields if f.filterable]

    # schemas/<model>.py -----------------------------------------------------------

    def operator_fields(
        self, field: ModelField, value_type: str
    ) -> list[tuple[str, str, tuple[Import, ...]]]:
        """(name, annotation, imports) of `due__gte`, ... where `field=` takes `value_type`."""
        found = []
        for operator in operators(field):
            imports: tuple[Import, ...] = ()
            if operator == "in":
                imports = (Import("schemas.queries", "CommaList"),)
            if operator == "icontains":
                imports = (Import("schemas.common", "Str"),)
            found.append(
                (f"{field.name}__{operator}", operator_annotation(operator, value_type), imports)
            )
        return found

    @property
    def parameters(self) -> list[tuple[str, str]]:
        """(name, description) of the ListParams' `q` and `expand`, where the model has them."""
        found = []
        if self.search:
            found.append(("q", self.q_description))
        if self.expandable:
            found.append(("expand", self.expand_description))
        return found

    @property
    def q_description(self) -> str:
        return f"Text to find, ignoring case, in {_prose_list(self.search, 'or')}"

    @property
    def expand_description(self) -> str:
        names = [e.relation for e in self.expandable]
        example = self._nested_example()
        nested = f"; a dotted path goes up to {MAX_EXPAND_DEPTH} levels deep ({example})"
        return (
            f"Related records to embed, comma separated: {', '.join(names)}"
            f"{nested if example else ''}"
        )

    def _nested_example(self) -> str | None:
        for e in self.expandable:
            if e.target.relations:
                return f"{e.relation}.{e.target.relations[0].attribute}"
        return None

    @property
    def embedded_fields(self) -> list[tuple[str, str]]:
        """(name, annotation) of each relation the Read shape holds: `project`,
        `"ProjectRead | None"` (a string: the shape is defined in another module)."""
        return [(e.relation, f'"{e.target.name}Read | None"') for e in self.embedded]

    @property
    def type_checking_imports(self) -> str:
        """The Read shapes this model's embeds, imported for type checkers only."""
        imports = Imports()
        for e in self.embedded:
            if e.target.name != self.model.name:
                imports.add(f"schemas.{e.target.module}", f"{e.target.name}Read")
        return imports.render()

    def sortable(self, readable: list[str]) -> str:
        """The `_sortable` tuple: the Read shape's own fields, never an embedded record."""
        names = ", ".join(f'"{name}"' for name in readable)
        return f"({names},)" if len(readable) == 1 else f"({names})"

    # crud/<model>.py ----------------------------------------------------------------

    @property
    def search_columns(self) -> str:
        """The `SEARCH` tuple of columns `q` searches."""
        return _tuple([f"{self.model.name}.{name}" for name in self.search], quoted=False)

    @property
    def search_argument(self) -> str:
        return ", search=SEARCH" if self.search else ""

    # tests/resources.py -------------------------------------------------------------

    @property
    def resource_lines(self) -> list[str]:
        """The keyword arguments of the model's Resource that describe its list queries."""
        lines = []
        operator_items = [
            f'("{f.name}", "{VALUE_KINDS[f.type]}", {_tuple(list(ops))})'
            for f, ops in self.filters
            if ops
        ]
        if operator_items:
            lines.append(f"operators={_tuple(operator_items, quoted=False)}")
        if self.search:
            lines.append(f"search={_tuple(self.search)}")
        if self.expandable:
            items = [
                f'("{e.relation}", "{e.foreign_key}", "{e.target.name}", "{e.level}")'
                for e in self.expandable
            ]
            lines.append(f"expandable={_tuple(items, quoted=False)}")
        return lines


def _tuple(items: list[str], *, quoted: bool = True) -> str:
    shown = [f'"{item}"' if quoted else item for item in items]
    return f"({shown[0]},)" if len(shown) == 1 else f"({', '.join(shown)})"


@dataclass
class ProjectQueries:
    """What the project's list queries need beyond one model: which generated tests apply."""

    models: list[ModelQueries]
    project: Project

    def _tested_operators(self) -> list[str]:
        """The operators the tests try: on listed models, on fields whose rows the tests can
        make differ (a foreign key's target has endpoints)."""
        return [
            op
            for q in self.models
            if "list" in q.model.endpoints
            for f, ops in q.filters
            if f.relation is None or self.project.model(f.relation.parent).endpoints
            for op in ops
        ]

    @property
    def operators(self) -> bool:
        return bool(self._tested_operators())

    @property
    def in_operator(self) -> bool:
        return any(
            "in" in ops for q in self.models if "list" in q.model.endpoints for _, ops in q.filters
        )

    @property
    def search(self) -> bool:
        return any("list" in q.model.endpoints and q.search for q in self.models)

    @property
    def expand(self) -> bool:
        return any(q.expands_on for q in self.models)

    def _listed_relations(self, *list_levels: str) -> list[Expandable]:
        return [
            e
            for q in self.models
            if "list" in q.expands_on and q.model.levels["list"].value in list_levels
            for e in q.expandable
        ]

    @property
    def expand_tests(self) -> dict[str, bool]:
        """Which expand tests of tests/test_queries.py have cases (the others are not written)."""
        listed = self._listed_relations("public", "auth", "owner", "admin")
        return {
            "embeds": any(e.embedded for e in listed),
            "dotted": any(
                e.embedded
                and any(
                    n.target.levels["detail"] is not Level.OFF
                    for n in ModelQueries(e.target, self.project).expandable
                )
                for e in listed
            ),
            "refuses": any(e.level != "public" for e in listed),
            "owner_nulls": any(
                e.level == "owner" for e in self._listed_relations("public", "auth", "owner")
            ),
        }

    @property
    def embedding(self) -> list[Model]:
        """Every model whose Read shape embeds another or is embedded, in module order."""
        found = {m.name: m for q in self.models for e in q.embedded for m in (q.model, e.target)}
        return sorted(found.values(), key=lambda m: m.module)

    @property
    def read_imports(self) -> str:
        """schemas/__init__.py's imports: the Read shapes of `embedding`."""
        imports = Imports()
        for model in self.embedding:
            imports.add(f"schemas.{model.module}", f"{model.name}Read")
        return imports.render()

    @property
    def read_names(self) -> str:
        """schemas/__init__.py's `__all__`: it exports the Read shapes it resolves."""
        return "[" + ", ".join(f'"{m.name}Read"' for m in self.embedding) + "]"

    @property
    def embedded_models(self) -> list[Model]:
        """Models whose Read shape embeds others: schemas/__init__.py resolves their
        annotations once every Read shape is defined."""
        return [q.model for q in self.models if q.embedded]

    # auth/expand.py -------------------------------------------------------------------

    @property
    def readable(self) -> list[Model]:
        """The models whose detail endpoint is on, in module order: what may be embedded."""
        found = [q.model for q in self.models if q.model.levels["detail"] is not Level.OFF]
        return sorted(found, key=lambda m: m.module)

    def readable_entry(self, model: Model) -> str:
        """`Project: Readable(ProjectRead, "owner", project_owned_by)`."""
        level = model.levels["detail"].value
        args = [f"{model.name}Read", f'"{level}"']
        if model.levels["detail"] is Level.OWNER:
            args.append(f"{model.module}_owned_by")
        return f"{model.name}: Readable({', '.join(args)})"

    def expand_imports(self, user: Model) -> str:
        imports = Imports().add("collections.abc", "Callable").add("dataclasses", "dataclass")
        imports.add("functools", "cache")
        imports.add("fastapi", "HTTPException", "status")
        imports.add("fastapi.exceptions", "RequestValidationError")
        imports.add("pydantic", "BaseModel")
        imports.add("sqlalchemy", "ColumnElement", "inspect")
        imports.add("sqlalchemy.orm", "RelationshipDirection")
        imports.add("crud.queries", "Expansion").add("database", "Base")
        imports.add("typing", "Annotated").add("fastapi", "Depends")
        imports.add("sqlalchemy.orm", "Session")
        imports.add("auth.deps", "get_optional_user", "oauth2_scheme")
        imports.add(f"models.{user.module}", user.name)
        for model in self.readable:
            imports.add(f"models.{model.module}", model.name)
            imports.add(f"schemas.{model.module}", f"{model.name}Read")
            if model.levels["detail"] is Level.OWNER:
                imports.add("crud.ownership", f"{model.module}_owned_by")
        return imports.render()

    # README.md -------------------------------------------------------------------------

    @property
    def readme_lines(self) -> list[str]:
        """A bullet per list endpoint: its filters, what `q` searches, what `expand` embeds."""
        lines = []
        for q in sorted(self.models, key=lambda q: q.model.path):
            if "list" not in q.model.endpoints:
                continue
            filters = ", ".join(
                f"`{f.name}`" + (f" ({', '.join(f'`__{op}`' for op in ops)})" if ops else "")
                for f, ops in q.filters
            )
            if q.model.is_user_model:
                filters = ", ".join(filter(None, [filters, "`role`"]))
            parts = [f"filters {filters}" if filters else "no filters"]
            if q.search:
                parts.append(f"`q` searches {', '.join(f'`{name}`' for name in q.search)}")
            if "list" in q.expands_on:
                embeds = [f"`{e.relation}` ({e.target.name})" for e in q.expandable]
                parts.append(f"`expand`: {', '.join(embeds)}")
            lines.append(f"- `GET /{q.model.path}`: {'; '.join(parts)}")
        return lines
