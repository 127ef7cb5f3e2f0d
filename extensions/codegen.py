"""From the normalised project to what templates print.

Templates never compute a name, a type or an import: every line that depends on
the schema is built here, from `schema.Project`, with every schema string passed
through `py()` (Python's `repr`), so nothing from a schema reaches code unescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .imports import Imports, natural_key
from .schema import (
    ROUTES,
    SAMPLE_CONSTANTS,
    TYPES,
    Code,
    Level,
    Model,
    ModelField,
    OnDelete,
    Project,
    Relation,
    literal,
    py,
)

ON_DELETE_SQL = {
    OnDelete.RESTRICT: "RESTRICT",
    OnDelete.CASCADE: "CASCADE",
    OnDelete.SET_NULL: "SET NULL",
}


def call(head: str, args: list[str], tail: str = "") -> str:
    """`head(arg, arg)tail` on one line: black splits it where it is too long."""
    return f"{head}({', '.join(args)}){tail}"


def collection(items: list[str], brackets: str = "()") -> str:
    """A tuple, list or dict literal on one line (a tuple of one gets its comma)."""
    body = f"{items[0]}," if brackets == "()" and len(items) == 1 else ", ".join(items)
    return f"{brackets[0]}{body}{brackets[1]}"


def _keyword_collection(name: str, items: list[str], brackets: str = "()") -> str:
    """`name=(...)`, one keyword argument of a Resource in tests/resources.py."""
    return f"{name}={collection(items, brackets)}"


def import_from(module: str, *names: str) -> str:
    """One `from module import a, B` line, its names in isort's order."""
    return Imports().add(module, *names).render()


@dataclass
class FieldView:
    """One field, with the code that declares it in each layer."""

    field: ModelField
    model: ModelView

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def type(self) -> str:
        return self.field.type.value

    @property
    def relation(self) -> Relation | None:
        return self.field.relation

    # SQLAlchemy -------------------------------------------------------------------

    @property
    def mapped_type(self) -> str:
        base = self.field.type.info.python.text
        return f"{base} | None" if self.field.nullable else base

    def column(self, imports: Imports) -> str:
        f = self.field
        args: list[str] = []
        if f.primary_key:
            args.append("primary_key=True")
        elif f.relation is not None:
            relation = f.relation
            target = self.model.project.model(relation.parent)
            imports.add("sqlalchemy", "ForeignKey")
            args.append(
                f"ForeignKey({py(target.table + '.id')}, "
                f"ondelete={py(ON_DELETE_SQL[relation.on_delete])})"
            )
        elif (column_type := f.type.info.column_type(f)) is not None:
            args.append(imports.need(column_type))
        if f.unique:
            args.append("unique=True")
        if f.index and not f.unique:
            args.append("index=True")
        if f.has_default:
            args.append(f"default={imports.need(literal(f.default))}")
        if f.server_set:
            imports.add("database", "utcnow")
            args.append("default=utcnow")
            if f.name == "updated_at":
                args.append("onupdate=utcnow")
        imports.need(f.type.info.python)
        annotation = f"Mapped[{self.mapped_type}]"
        if not args:
            return f"{f.name}: {annotation}"
        return call(f"{f.name}: {annotation} = mapped_column", args)

    # pydantic ---------------------------------------------------------------------

    @property
    def _rebounded(self) -> bool:
        """The schema gives ge or le on a type whose input annotation has bounds of its own
        (Int64): the field is then the plain Python type, bounded here."""
        f = self.field
        return f.type.info.bounds is not None and (f.ge is not None or f.le is not None)

    def _constraints(self, imports: Imports) -> list[str]:
        f = self.field
        out: list[str] = []
        if f.min_length is not None:
            out.append(f"min_length={f.min_length}")
        if f.value_max_length is not None:
            out.append(f"max_length={f.value_max_length}")
        bounds = f.type.info.bounds
        if bounds is not None and self._rebounded:
            out.append(f"ge={f.ge if f.ge is not None else imports.need(bounds[0])}")
            out.append(f"le={f.le if f.le is not None else imports.need(bounds[1])}")
        else:
            if f.ge is not None:
                out.append(f"ge={f.ge!r}")
            if f.le is not None:
                out.append(f"le={f.le!r}")
        if f.description:
            out.append(f"description={py(f.description)}")
        return out

    def input_annotation(self, imports: Imports, *, nullable: bool | None = None) -> str:
        info = self.field.type.info
        type_name = imports.need(info.python if self._rebounded else info.input)
        nullable = self.field.nullable if nullable is None else nullable
        return f"{type_name} | None" if nullable else type_name

    def create_line(self, imports: Imports, *, owner_optional: bool = False) -> str:
        f = self.field
        nullable = f.nullable or owner_optional
        annotation = self.input_annotation(imports, nullable=nullable)
        constraints = self._constraints(imports)
        if f.has_default:
            default: str | None = imports.need(literal(f.default))
        elif nullable:
            default = "None"
        else:
            default = None
        return _pydantic_line(f.name, annotation, default, constraints, imports)

    def update_line(self, imports: Imports) -> str:
        # Absent means "leave it" (None); null is refused where the column refuses it (the
        # Update class lists those fields in `_not_null`).
        annotation = self.input_annotation(imports, nullable=True)
        return _pydantic_line(
            f"{self.field.name}", annotation, "None", self._constraints(imports), imports
        )

    def read_line(self, imports: Imports) -> str:
        f = self.field
        type_name = imports.need(f.type.info.output)
        annotation = f"{type_name} | None" if f.nullable else type_name
        return f"{f.name}: {annotation}"

    def filter_line(self, imports: Imports) -> str:
        type_name = imports.need(self.field.type.info.input)
        return f"{self.field.name}: {type_name} | None = None"

    # test data --------------------------------------------------------------------

    def sample(self, n: str = "n") -> Code:
        """A Python expression of a valid value, distinct for each integer `n`."""
        return self.field.type.info.sample(self.field, n)

    @property
    def capacity(self) -> int | None:
        """How many distinct values `sample` gives, when that is small."""
        return self.field.type.info.capacity(self.field)

    def invalid_sample(self) -> str | None:
        """A JSON value of the wrong kind or out of range: must answer 422."""
        return self.field.type.info.invalid(self.field)


# A model whose unique fields allow fewer rows than this gives its children shared parents in
# tests: a test makes up to 3 children, each with a parent per foreign key.
FEW_ROWS = 10


def _pydantic_line(
    name: str, annotation: str, default: str | None, constraints: list[str], imports: Imports
) -> str:
    if constraints:
        imports.add("pydantic", "Field")
        args = ([default] if default is not None else []) + constraints
        return f"{name}: {annotation} = Field({', '.join(args)})"
    if default is not None:
        return f"{name}: {annotation} = {default}"
    return f"{name}: {annotation}"


@dataclass
class Endpoint:
    action: str
    level: str
    model: ModelView

    @property
    def guard(self) -> str | None:
        """The decorator dependency that enforces a role, when the route needs no user."""
        if self.level == "auth" and not self.needs_user:
            return "RequireUser"
        if self.level == "admin" and not self.needs_user:
            return "RequireAdmin"
        return None

    @property
    def user_dep(self) -> str | None:
        """The `current_user` parameter's type, when the route looks at the user."""
        if not self.needs_user:
            return None
        return {"public": "OptionalUser", "admin": "AdminUser"}.get(self.level, "CurrentUser")

    @property
    def needs_user(self) -> bool:
        return self.owned or self.checks_role or self.sets_owner or self.keeps_owner or self.scoped

    @property
    def checks_role(self) -> bool:
        """Only an admin sets a role: below admin level, the user model's writes check it."""
        return (
            self.model.is_user_model
            and self.action in ("create", "update")
            and self.level != "admin"
        )

    @property
    def owned(self) -> bool:
        """An owner-level route: a non-admin reaches only their own records."""
        return self.level == "owner"

    @property
    def sets_owner(self) -> bool:
        """A create whose owner FK comes from the token (an admin may name another)."""
        return self.action == "create" and self.model.direct_owner is not None

    @property
    def keeps_owner(self) -> bool:
        """An update that refuses a non-admin's change of the owner FK."""
        return (
            self.action == "update"
            and self.level != "admin"
            and self.model.direct_owner is not None
        )

    @property
    def checks_move(self) -> bool:
        """An update below owner level of a record owned through its parent: only its owner
        (or an admin) moves it to another parent."""
        return (
            self.action == "update"
            and self.level in ("public", "auth")
            and self.model.owner_parent is not None
        )

    @property
    def scoped(self) -> bool:
        """The route passes crud the caller's owner scope: to reach only their records, or
        to check that the records a body refers to are theirs."""
        if self.owned or self.checks_move:
            return True
        return (
            self.action in ("create", "update")
            and self.level != "admin"
            and bool(self.model.owned_references)
        )

    @property
    def decorator(self) -> str:
        method, path = ROUTES[self.action]
        # `:int` lets a route the owner adds after these (`/search`) be reached.
        method, path = method.lower(), path.replace("{id}", f"{{{self.model.id_param}:int}}")
        args = [py(path)]
        if self.action == "list":
            args.append(f"response_model=list[{self.model.name}Read]")
        elif self.action != "delete":
            args.append(f"response_model={self.model.name}Read")
        if self.action == "create":
            args.append("status_code=status.HTTP_201_CREATED")
        if self.action == "delete":
            args.append("status_code=status.HTTP_204_NO_CONTENT")
        if self.error_codes:
            args.append(f"responses=error_responses({', '.join(map(str, self.error_codes))})")
        if self.guard:
            args.append(f"dependencies=[{self.guard}]")
        return call(f"@router.{method}", args)

    @property
    def signature(self) -> str:
        """The `def` line(s) of the route."""
        model = self.model
        params = {
            "create": [f"data: {model.name}Create", "session: SessionDep"],
            "list": [
                "session: SessionDep",
                f"params: Annotated[{model.name}ListParams, Query()]",
                "response: Response",
            ],
            "detail": [f"{model.id_param}: RecordId", "session: SessionDep"],
            "update": [
                f"{model.id_param}: RecordId",
                f"data: {model.name}Update",
                "session: SessionDep",
            ],
            "delete": [f"{model.id_param}: RecordId", "session: SessionDep"],
        }[self.action]
        name, returns = {
            "create": (f"create_{model.module}", model.name),
            "list": (f"list_{model.plural}", f"list[{model.name}]"),
            "detail": (f"read_{model.module}", model.name),
            "update": (f"update_{model.module}", model.name),
            "delete": (f"delete_{model.module}", "None"),
        }[self.action]
        if self.user_dep:
            params.append(f"current_user: {self.user_dep}")
        return call(f"def {name}", params, f" -> {returns}:")

    @property
    def error_codes(self) -> list[int]:
        codes: set[int] = set()
        if self.action in ("create", "update"):
            codes.add(400)  # a body that cannot be parsed at all
        if self.level != "public":
            codes.add(401)
        if self.level == "admin" or self.checks_role or self.sets_owner or self.keeps_owner:
            codes.add(403)
        if self.checks_move:
            codes.add(403)
        if self.action in ("detail", "update", "delete"):
            codes.add(404)
        if self.action in ("create", "update") and self.model.unique_fields:
            codes.add(409)
        if self.action == "delete" and any(
            r.on_delete is OnDelete.RESTRICT for r in self.model.model.children
        ):
            codes.add(409)
        return sorted(codes)


@dataclass
class ModelView:
    model: Model
    project: ProjectView
    fields: list[FieldView] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fields = [FieldView(f, self) for f in self.model.fields]

    # names --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def module(self) -> str:
        return self.model.module

    @property
    def table(self) -> str:
        return self.model.table

    @property
    def path(self) -> str:
        return "/" + self.model.path

    @property
    def plural(self) -> str:
        """The variable that holds a list of records (never the same as `module`)."""
        plural = self.model.plural
        return f"{plural}_list" if plural == self.module else plural

    @property
    def tag(self) -> str:
        return self.model.plural.replace("_", "-")

    @property
    def id_param(self) -> str:
        return f"{self.module}_id"

    @property
    def is_user_model(self) -> bool:
        return self.model.is_user_model

    @property
    def builtin(self) -> bool:
        return self.model.builtin

    @property
    def levels(self) -> dict[str, str]:
        return {action: level.value for action, level in self.model.levels.items()}

    @property
    def owner_field(self) -> str | None:
        return self.model.owner_field

    @property
    def endpoints(self) -> dict[str, Endpoint]:
        return {
            action: Endpoint(action, self.model.levels[action].value, self)
            for action in self.model.endpoints
        }

    @property
    def has_routes(self) -> bool:
        return bool(self.model.endpoints)

    @property
    def uses_owner(self) -> bool:
        return Level.OWNER in self.model.levels.values()

    @property
    def direct_owner(self) -> str | None:
        """The FK to the user model that says whose record this is (from the token on create)."""
        if self.owner_field in (None, "id") or self.model.owner_parent is not None:
            return None
        return self.owner_field

    @property
    def owner_parent(self) -> ModelView | None:
        """The parent whose owner owns this record (InvoiceLine through its Invoice)."""
        parent = self.model.owner_parent
        return self.project.model(parent) if parent is not None else None

    @property
    def owned_by(self) -> str | None:
        """The function of crud/ownership.py that selects the records a user owns."""
        return f"{self.module}_owned_by" if self.owner_field is not None else None

    @property
    def owner_clause(self) -> str:
        """What `owned_by(user_id)` returns: the rows owned by `user_id`."""
        parent = self.owner_parent
        if parent is not None:
            return (
                f"{self.name}.{self.owner_field}.in_("
                f"select({parent.name}.id).where({parent.owned_by}(user_id)))"
            )
        return f"{self.name}.{self.owner_field} == user_id"

    @property
    def owned_references(self) -> list[str]:
        """FKs to owned models other than the user model: a non-admin names only their own."""
        return [
            r.fk
            for r in self.model.relations
            if r.parent != self.project.user.name
            and self.project.model(r.parent).owner_field is not None
        ]

    @property
    def scoped_reads(self) -> bool:
        """Some route reads this model's records within the caller's owner scope."""
        return any(
            (e.owned or e.checks_move) and e.action in ("detail", "update", "delete")
            for e in self.endpoints.values()
        )

    @property
    def scoped_writes(self) -> bool:
        """Some write checks the records its body refers to against the caller's scope."""
        return any(e.scoped and e.action in ("create", "update") for e in self.endpoints.values())

    # field groups -----------------------------------------------------------------

    @property
    def writable(self) -> list[FieldView]:
        return [f for f in self.fields if f.field.writable]

    @property
    def readable(self) -> list[FieldView]:
        return [f for f in self.fields if f.field.readable]

    @property
    def filterable(self) -> list[FieldView]:
        return [f for f in self.fields if f.field.filterable]

    @property
    def references(self) -> list[tuple[str, str, str]]:
        """(fk, parent class, parent module) of each FK, checked before writes."""
        return [(r.fk, r.parent, self.project.model(r.parent).module) for r in self.model.relations]

    @property
    def secret_fields(self) -> list[str]:
        return [f.name for f in self.fields if not f.field.readable]

    @property
    def password_field(self) -> str | None:
        return next((f.name for f in self.fields if f.field.is_password), None)

    # models/<model>.py --------------------------------------------------------------

    @cached_property
    def _model_code(self) -> tuple[str, list[str], list[str], str]:
        imports = Imports().add("sqlalchemy.orm", "Mapped", "mapped_column")
        imports.add("database", "Base")
        columns = [f.column(imports) for f in self.fields]
        if self.is_user_model:
            imports.add("sqlalchemy", "Enum")
            imports.add("enum", "StrEnum")
            role = ["Enum(Role, native_enum=False, length=16)", "default=Role.user"]
            columns.append(call("role: Mapped[Role] = mapped_column", role))
        relationships: list[str] = []
        related: set[str] = set()
        # Collections first: their `list[...]` comes before a parent named `list` (list_id).
        for relation in self.model.children:
            child = self.project.model(relation.child)
            kwargs = [f"back_populates={py(relation.attribute)}", 'passive_deletes="all"']
            if relation.several_to_parent:
                kwargs.insert(1, f"foreign_keys={py(f'[{child.name}.{relation.fk}]')}")
            head = f"{relation.back_populates}: Mapped[list[{py(child.name)}]] = relationship"
            relationships.append(call(head, kwargs))
            related.add(child.name)
        for relation in self.model.relations:
            parent = self.project.model(relation.parent)
            kwargs = [f"back_populates={py(relation.back_populates)}"]
            if relation.several_to_parent:
                kwargs.append(f"foreign_keys=[{relation.fk}]")
            if relation.is_self:
                kwargs.append("remote_side=[id]")
            target = f"{parent.name} | None" if relation.nullable else parent.name
            head = f"{relation.attribute}: Mapped[{py(target)}] = relationship"
            relationships.append(call(head, kwargs))
            related.add(parent.name)
        if relationships:
            imports.add("sqlalchemy.orm", "relationship")
        related.discard(self.name)
        type_checking = Imports()
        for name in sorted(related):
            type_checking.add(f"models.{self.project.model(name).module}", name)
        if related:
            imports.add("typing", "TYPE_CHECKING")
        return imports.render(), columns, relationships, type_checking.render()

    @property
    def model_imports(self) -> str:
        return self._model_code[0]

    @property
    def columns(self) -> list[str]:
        return self._model_code[1]

    @property
    def relationships(self) -> list[str]:
        return self._model_code[2]

    @property
    def type_checking_imports(self) -> str:
        return self._model_code[3]

    # schemas/<model>.py -------------------------------------------------------------

    @cached_property
    def _schema_code(self) -> dict[str, Any]:
        imports = Imports().add("pydantic", "BaseModel", "ConfigDict")
        owner_optional = self.direct_owner is not None
        create = [
            f.create_line(imports, owner_optional=owner_optional and f.name == self.owner_field)
            for f in self.writable
        ]
        update = [f.update_line(imports) for f in self.writable]
        read = [f.read_line(imports) for f in self.readable]
        filters = [f.filter_line(imports) for f in self.filterable]
        if self.is_user_model:
            imports.add(f"models.{self.module}", "Role")
            read.append("role: Role")
            filters.append("role: Role | None = None")
        imports.add("schemas.common", "Changes", "ListParams")
        imports.add("typing", "ClassVar")
        return {
            "imports": imports.render(),
            "create": create,
            "update": update,
            "read": read,
            "filters": filters,
        }

    @property
    def schema_imports(self) -> str:
        return self._schema_code["imports"]

    @property
    def create_fields(self) -> list[str]:
        return self._schema_code["create"]

    @property
    def update_fields(self) -> list[str]:
        return self._schema_code["update"]

    @property
    def read_fields(self) -> list[str]:
        return self._schema_code["read"]

    @property
    def filter_fields(self) -> list[str]:
        return self._schema_code["filters"]

    @property
    def not_null_updates(self) -> str:
        """The `_not_null` tuple of the Update class: fields a PATCH may not set to null."""
        return py(tuple(f.name for f in self.writable if not f.field.nullable))

    # crud/<model>.py ----------------------------------------------------------------

    @property
    def crud_imports(self) -> str:
        imports = Imports().add("sqlalchemy.orm", "Session")
        imports.add(f"models.{self.module}", self.name)
        imports.add("crud.common", "paginate")
        imports.add(
            f"schemas.{self.module}",
            f"{self.name}Create",
            f"{self.name}ListParams",
            f"{self.name}Update",
        )
        imports.add("crud.common", "delete_record")
        if self.references:
            imports.add("crud.common", "check_references")
            for _, parent, module in self.references:
                imports.add(f"models.{module}", parent)
        for child, _ in self.referred_by:
            imports.add(f"models.{self.project.model(child).module}", child)
        if self.scoped_reads:
            imports.add("sqlalchemy", "select")
        if (self.scoped_reads or self.owner_list) and self.owned_by:
            imports.add("crud.ownership", self.owned_by)
        if self.password_field:
            imports.add("auth.security", "hash_password")
        if self.is_user_model:
            imports.add(f"models.{self.module}", "Role")
            imports.add(f"schemas.{self.module}", f"{self.name}MeUpdate")
        return imports.render()

    @property
    def update_input(self) -> str:
        if self.is_user_model:
            return f"{self.name}Update | {self.name}MeUpdate"
        return f"{self.name}Update"

    @property
    def references_literal(self) -> str:
        return "{" + ", ".join(f"{py(fk)}: {parent}" for fk, parent, _ in self.references) + "}"

    @property
    def owner_list(self) -> bool:
        """The list is at the owner level: a non-admin sees their own records."""
        return self.model.levels["list"] is Level.OWNER

    @property
    def referred_by(self) -> list[tuple[str, str]]:
        """(child class, fk) of the foreign keys that restrict this record's deletion."""
        return [(r.child, r.fk) for r in self.model.children if r.on_delete is OnDelete.RESTRICT]

    @property
    def referred_by_literal(self) -> str:
        return py(tuple(f"{child}.{fk}" for child, fk in self.referred_by)).replace('"', "")

    @property
    def label(self) -> str:
        """The model's name in prose: "order item"."""
        return self.module.replace("_", " ")

    @property
    def label_plural(self) -> str:
        return self.model.plural.replace("_", " ")

    @property
    def owner_required(self) -> bool:
        """The owner FK must be named by a caller without a token (a public create)."""
        owner = self.direct_owner
        return owner is not None and not self.model.field(owner).nullable

    # routers/<model>.py -------------------------------------------------------------

    @property
    def router_line(self) -> str:
        args = [f"prefix={py(self.path)}", f"tags=[{py(self.tag)}]"]
        return call("router = APIRouter", args)

    @property
    def router_imports(self) -> str:
        endpoints = self.endpoints
        imports = Imports().add("fastapi", "APIRouter")
        imports.add("database", "SessionDep")
        imports.add(f"models.{self.module}", self.name)
        imports.add("crud." + self.module)
        schemas = [f"{self.name}Read"] if set(endpoints) - {"delete"} else []
        if "create" in endpoints:
            schemas.append(f"{self.name}Create")
            imports.add("fastapi", "status")
        if "list" in endpoints:
            schemas.append(f"{self.name}ListParams")
            imports.add("fastapi", "Query", "Response")
            imports.add("typing", "Annotated")
        if "update" in endpoints:
            schemas.append(f"{self.name}Update")
        if "delete" in endpoints:
            imports.add("fastapi", "status")
        imports.add(f"schemas.{self.module}", *schemas)
        if any(endpoint.error_codes for endpoint in endpoints.values()):
            imports.add("errors", "error_responses")
        if self.record_routes:
            imports.add("fastapi", "HTTPException", "status")
            imports.add("sqlalchemy.orm", "Session")
            imports.add("database", "RecordId")
        if self.auth_deps:
            imports.add("auth.deps", *self.auth_deps)
        if self.ownership_rules:
            imports.add("auth.ownership", *self.ownership_rules)
        return imports.render()

    @property
    def auth_deps(self) -> set[str]:
        """The names this model's router takes from auth/deps.py."""
        names: set[str] = set()
        for endpoint in self.endpoints.values():
            names.update(filter(None, (endpoint.guard, endpoint.user_dep)))
        if any(endpoint.checks_role for endpoint in self.endpoints.values()):
            names.add("ensure_can_set_role")
        return names

    @property
    def ownership_rules(self) -> set[str]:
        """The names this model's router takes from auth/ownership.py."""
        names: set[str] = set()
        for e in self.endpoints.values():
            if e.scoped:
                names.add("owner_scope")
            if e.sets_owner:
                names.add("owner_of_new_record")
                if e.level == "public" and self.owner_required:
                    names.add("missing_owner")
            if e.keeps_owner:
                names.add("ensure_owner_kept")
            if e.checks_move:
                names.add("ensure_moved_by_owner")
        return names

    @property
    def record_routes(self) -> bool:
        return any(a in self.model.endpoints for a in ("detail", "update", "delete"))

    def record_lookup(self, action: str) -> str:
        """The expression that loads the record a detail, update or delete route acts on."""
        if self.endpoints[action].owned:
            return f"get_{self.module}_or_404(session, {self.id_param}, owner_scope(current_user))"
        return f"get_{self.module}_or_404(session, {self.id_param})"

    # the user model -------------------------------------------------------------------

    @property
    def admin_defaults(self) -> list[tuple[str, str]]:
        """The zero value of each other required field, for the admin made at startup."""
        return [
            (f.name, literal(f.field.type.info.zero).text)
            for f in self.writable
            if f.field.required and not (f.field.is_username or f.field.is_password)
        ]

    @property
    def admin_creatable(self) -> bool:
        """No required foreign key on the user model: its zero value could name no record."""
        return not any(
            f.field.required and f.field.relation is not None and not f.field.is_password
            for f in self.writable
        )

    @property
    def admin_imports(self) -> str:
        """auth/admin.py's standard-library imports."""
        imports = Imports().add("logging")
        for f in self.writable:
            if f.field.required and not (f.field.is_username or f.field.is_password):
                imports.need(literal(f.field.type.info.zero))
        return imports.render()

    # tests ----------------------------------------------------------------------------

    @property
    def payload_items(self) -> list[tuple[str, Code]]:
        """(field, Python expression) of a valid create payload; `n` makes it distinct."""
        items: list[tuple[str, Code]] = []
        for f in self.writable:
            relation = f.field.relation
            if relation is not None:
                if f.field.required:
                    parent = self.project.model(relation.parent)
                    make = f"make_{parent.module}"
                    if f.name in self.shared_parents:
                        reuse = f"existing_or_new(session, {parent.name}, {make}, overrides, owner)"
                        items.append((f.name, Code(reuse)))
                    elif f.name == self.direct_owner:
                        items.append(
                            (f.name, Code(f"{make}(session).id if owner is None else owner"))
                        )
                    elif f.name in self.owned_references:
                        items.append((f.name, Code(f"{make}(session, owner).id")))
                    else:
                        items.append((f.name, Code(f"{make}(session).id")))
                continue
            items.append((f.name, f.sample()))
        return items

    @property
    def payload_values(self) -> list[tuple[str, Code]]:
        """The payload's plain fields (their values depend on `n`)."""
        return [
            (name, value) for name, value in self.payload_items if name not in self.parent_fields
        ]

    @property
    def payload_parents(self) -> list[tuple[str, Code]]:
        """The payload's required foreign keys, each from a new parent record (or a reused one)."""
        return [(name, value) for name, value in self.payload_items if name in self.parent_fields]

    @property
    def parent_fields(self) -> set[str]:
        return {f.name for f in self.writable if f.field.relation and f.field.required}

    @property
    def shared_parents(self) -> set[str]:
        """Required FKs to a model with few possible rows: a new parent each time would run out."""
        return {
            f.name
            for f in self.writable
            if f.field.relation
            and f.field.required
            and self.project.model(f.field.relation.parent).capacity < FEW_ROWS
        }

    @property
    def required_fields(self) -> list[str]:
        return [f.name for f in self.writable if f.field.required and f.name != self.direct_owner]

    @property
    def unique_fields(self) -> list[str]:
        return [f.name for f in self.writable if f.field.unique]

    @property
    def not_null_fields(self) -> list[str]:
        return [f.name for f in self.writable if not f.field.nullable]

    @property
    def invalid_values(self) -> list[tuple[str, str]]:
        return [
            (f.name, value)
            for f in self.writable
            if f.field.relation is None and (value := f.invalid_sample()) is not None
        ]

    @property
    def update_field(self) -> FieldView | None:
        """A plain field a PATCH test can change."""
        return next(
            (
                f
                for f in self.writable
                if f.field.relation is None and not f.field.is_password and f.field.readable
            ),
            None,
        )

    @property
    def filter_field(self) -> FieldView | None:
        return next((f for f in self.filterable if f.field.relation is None), None) or next(
            iter(self.filterable), None
        )

    @property
    def datetime_fields(self) -> list[str]:
        return [
            f.name
            for f in self.readable
            if f.field.type.info.json_schema.get("format") == "date-time"
        ]

    @property
    def self_references(self) -> list[str]:
        return [r.fk for r in self.model.relations if r.is_self]

    @property
    def restricting_children(self) -> list[tuple[str, str]]:
        """(child module, fk) of children whose FK refuses this record's deletion."""
        return [
            (self.project.model(r.child).module, r.fk)
            for r in self.model.children
            if r.on_delete is OnDelete.RESTRICT and not r.is_self
        ]

    @property
    def resource_lines(self) -> list[str]:
        """The keyword arguments of this model's entry in tests/resources.py."""
        lines = [
            f"name={py(self.name)}",
            f"url={py(self.path)}",
            _keyword_collection(
                "levels", [f"{py(a)}: {py(e.level)}" for a, e in self.endpoints.items()], "{}"
            ),
            f"owner_field={py(self.owner_field)}",
            f"make=make_{self.module}",
            f"payload={self.module}_payload",
        ]
        if self.owner_parent is not None:
            lines.append("owned_through=True")
        if self.owned_references:
            pairs = [
                f"({py(fk)}, make_{module})"
                for fk, _, module in self.references
                if fk in self.owned_references
            ]
            lines.append(_keyword_collection("owned_references", pairs))
        groups = {
            "required": self.required_fields,
            "not_null": self.not_null_fields,
            "unique": self.unique_fields,
            "references": [fk for fk, _, _ in self.references],
            "secret": self.secret_fields,
            "datetimes": self.datetime_fields,
            "self_references": self.self_references,
        }
        for name, values in groups.items():
            if values:
                lines.append(_keyword_collection(name, [py(value) for value in values]))
        if self.invalid_values:
            pairs = [f"({py(name)}, {value})" for name, value in self.invalid_values]
            lines.append(_keyword_collection("invalid", pairs))
        if self.update_field:
            lines.append(f"update_field={py(self.update_field.name)}")
        if self.filter_field:
            lines.append(f"filter_field={py(self.filter_field.name)}")
        if self.restricting_children:
            pairs = [f"(make_{child}, {py(fk)})" for child, fk in self.restricting_children]
            lines.append(_keyword_collection("restricting", pairs))
        if self.capacity < 3:
            lines.append(f"capacity={self.capacity}")
        return lines

    @property
    def capacity(self) -> int:
        """How many rows the tests may create (unique fields with few values limit it)."""
        limits = [f.capacity for f in self.fields if f.field.unique and f.capacity]
        return min(limits, default=1000)


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
    def routed_models(self) -> list[ModelView]:
        return [m for m in self.by_module if m.has_routes]

    def tests_apply(self, action: str, attribute: str | None = None) -> bool:
        """Whether some model has the `action` endpoint (and the `attribute` a test needs).

        test_crud.py holds only the tests that will run.
        """
        attributes = {
            "required": "required_fields",
            "not_null": "not_null_fields",
            "unique": "unique_fields",
            "references": "references",
            "invalid": "invalid_values",
            "restricting": "restricting_children",
            "self_references": "self_references",
            "update_field": "update_field",
            "filter_field": "filter_field",
        }
        return any(
            action in m.endpoints and (attribute is None or getattr(m, attributes[attribute]))
            for m in self.routed_models
        )

    @property
    def crud_test_imports(self) -> str:
        imports = Imports().add("typing", "Any").add("pytest")
        imports.add("fastapi.testclient", "TestClient").add("sqlalchemy.orm", "Session")
        imports.add("tests.conftest", "Caller").add("tests.resources", "Resource", "with_endpoint")
        if self.tests_apply("list") or self.tests_apply("detail"):
            imports.add("collections.abc", "Callable").add("httpx", "Response")
            imports.add("sqlalchemy", "event").add("database", "engine")
        if self.tests_apply("delete", "restricting"):
            imports.add("collections.abc", "Callable")
        return imports.render()

    def owner_tests_apply(self, action: str, *, assigned: bool = False) -> bool:
        """Whether some model has `action` at the owner level (with an owner FK to assign)."""
        return any(
            m.model.levels[action] is Level.OWNER and (not assigned or m.owner_field != "id")
            for m in self.routed_models
        )

    @property
    def resource_imports(self) -> str:
        imports = Imports().add("collections.abc", "Callable").add("typing", "Any")
        imports.add("dataclasses", "dataclass")
        for model in self.routed_models:
            imports.add("tests.factories", f"make_{model.module}", f"{model.module}_payload")
            for child, _ in model.restricting_children:
                imports.add("tests.factories", f"make_{child}")
        return imports.render()

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
            (ROUTES[action][0], model.path + ROUTES[action][1], endpoint.level)
            for model in self.routed_models
            for action, endpoint in model.endpoints.items()
        ]

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
        """schemas/common.py's imports: Changes' and ListParams', and the type definitions'."""
        imports = Imports().add("typing", "Any", "ClassVar").add("database", "INT64_MAX")
        imports.add("pydantic", "BaseModel", "ConfigDict", "Field", "ValidationInfo")
        imports.add("pydantic", "field_validator")
        for info in TYPES.values():
            if info.definition:
                imports.need(info.definition)
        return imports.render()

    @property
    def ownership_tests(self) -> dict[str, bool]:
        """Which tests of tests/test_ownership.py have cases (the others are not written)."""
        non_admin = ("public", "auth", "owner")

        def any_model(
            action: str, levels: tuple[str, ...], test: Callable[[ModelView], bool]
        ) -> bool:
            return any(
                action in m.endpoints and m.endpoints[action].level in levels and test(m)
                for m in self.routed_models
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
    def ownership_test_imports(self) -> str:
        imports = Imports().add("pytest").add("fastapi.testclient", "TestClient")
        imports.add("sqlalchemy.orm", "Session").add("tests.conftest", "Caller")
        imports.add("tests.resources", "RESOURCES", "Resource")
        return imports.render()

    @property
    def owned_models(self) -> list[ModelView]:
        """Models with an owner, every parent before the children owned through it."""
        return [m for m in self.creation_order if m.owner_field is not None]

    @property
    def ownership_imports(self) -> str:
        """crud/ownership.py's imports."""
        imports = Imports().add("collections.abc", "Callable")
        imports.add("sqlalchemy", "ColumnElement").add("database", "Base")
        for model in self.owned_models:
            imports.add(f"models.{model.module}", model.name)
            if model.owner_parent is not None:
                imports.add("sqlalchemy", "select")
        return imports.render()

    @property
    def router_modules(self) -> list[str]:
        """Every module under routers/, in import order."""
        return sorted(["health", *(m.module for m in self.routed_models)], key=natural_key)

    @property
    def model_names(self) -> str:
        """The `__all__` list of models/__init__.py."""
        names = [py(m.name) for m in self.by_module]
        return collection(names, "[]")

    @cached_property
    def by_module(self) -> list[ModelView]:
        return sorted(self.models, key=lambda m: natural_key(m.module))

    @property
    def user(self) -> ModelView:
        return self.model(self.project.auth.user_model)

    @property
    def auth(self) -> Any:
        return self.project.auth

    @property
    def creation_order(self) -> list[ModelView]:
        return [self.model(m.name) for m in self.project.creation_order()]

    @property
    def migration(self) -> list[MigrationTable]:
        return migration_tables(self)

    @property
    def factory_imports(self) -> str:
        imports = Imports().add("itertools").add("typing", "Any")
        imports.add("collections", "defaultdict").add("collections.abc", "Iterator")
        imports.add("sqlalchemy.orm", "Session")
        imports.add("auth.security", "hash_password")
        for model in self.models:
            imports.add(f"models.{model.module}", model.name)
            imports.add(f"schemas.{model.module}", f"{model.name}Create")
            for _, expression in model.payload_items:
                imports.need(expression)
        imports.add(f"models.{self.user.module}", "Role")
        if self.reuses_parents:
            imports.add("collections.abc", "Callable").add("sqlalchemy", "select")
            imports.add("database", "INT64_MAX", "INT64_MIN", "Base")
            imports.add("crud.ownership", "OWNED_BY")
        return imports.render()

    @property
    def reuses_parents(self) -> bool:
        """Some model's test records share parents (see FEW_ROWS)."""
        return any(model.shared_parents for model in self.models)

    @property
    def factory_constants(self) -> list[str]:
        """The dates that generated date and datetime values count from."""
        used = {
            name
            for model in self.models
            for _, expression in model.payload_items
            for name in expression.constants
        }
        return [code.text for name, code in SAMPLE_CONSTANTS.items() if name in used]


# -- the initial Alembic revision --------------------------------------------------------


@dataclass
class MigrationTable:
    table: str
    columns: list[str]
    constraints: list[str]
    indexes: list[str]
    deferred_fks: list[str]  # to tables created later (cycles of nullable FKs)
    deferred_fk_names: list[str]


def _argument(head: str, args: list[str]) -> str:
    """A call that is one argument of `op.create_table(...)` (the template adds its comma)."""
    return call(head, args)


def migration_tables(project: ProjectView) -> list[MigrationTable]:
    created: set[str] = set()
    tables: list[MigrationTable] = []
    for view in project.creation_order:
        model = view.model
        columns: list[str] = []
        primary_key = [py("id"), f"name=op.f({py('pk_' + model.table)})"]
        constraints = [_argument("sa.PrimaryKeyConstraint", primary_key)]
        indexes: list[str] = []
        deferred: list[str] = []
        deferred_names: list[str] = []
        for f in model.fields:
            sa_type = f.type.info.sql_type(f)
            columns.append(_argument("sa.Column", [py(f.name), sa_type, f"nullable={f.nullable}"]))
            if f.unique:
                name = f"uq_{model.table}_{f.name}"
                unique = [py(f.name), f"name=op.f({py(name)})"]
                constraints.append(_argument("sa.UniqueConstraint", unique))
            elif f.index:
                name = f"ix_{model.table}_{f.name}"
                index = [f"op.f({py(name)})", py(model.table), f"[{py(f.name)}]"]
                indexes.append(call("op.create_index", index))
            if f.relation is not None:
                parent = project.model(f.relation.parent).table
                name = f"fk_{model.table}_{f.name}_{parent}"
                on_delete = f"ondelete={py(ON_DELETE_SQL[f.relation.on_delete])}"
                if parent in created or parent == model.table:
                    args = [f"[{py(f.name)}]", f"[{py(parent + '.id')}]", f"name=op.f({py(name)})"]
                    constraints.append(_argument("sa.ForeignKeyConstraint", [*args, on_delete]))
                else:
                    deferred_names.append(py(name))
                    args = [f"op.f({py(name)})", py(parent), f"[{py(f.name)}]", '["id"]', on_delete]
                    deferred.append(call("batch_op.create_foreign_key", args))
        if model.is_user_model:
            role = 'sa.Enum("admin", "user", name="role", native_enum=False, length=16)'
            columns.append(_argument("sa.Column", ['"role"', role, "nullable=False"]))
        created.add(model.table)
        tables.append(
            MigrationTable(model.table, columns, constraints, indexes, deferred, deferred_names)
        )
    return tables
