"""A model as every layer sees it: names, levels, owner, field groups, and its layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..queries import ModelQueries
from ..schema import Import, Level, Model, ModelField, OnDelete, Relation, TypeInfo, literal
from .code import render_imports

if TYPE_CHECKING:
    from .crud import CrudModule
    from .orm import OrmModule
    from .project import ProjectView
    from .routes import Route, RouterModule
    from .schemas import SchemasModule
    from .tests import TestData


@dataclass
class FieldView:
    """One field of a model; each layer's module says what it becomes there."""

    field: ModelField
    model: ModelView

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def type(self) -> str:
        return self.field.type.value

    @property
    def info(self) -> TypeInfo:
        """What the field's type means (schema/field_types.py)."""
        return self.field.type.info

    @property
    def relation(self) -> Relation | None:
        return self.field.relation


@dataclass
class ModelView:
    model: Model
    project: ProjectView
    fields: list[FieldView] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.fields = [FieldView(f, self) for f in self.model.fields]

    # its generated files ----------------------------------------------------------------

    @cached_property
    def queries(self) -> ModelQueries:
        """Its list queries: operators, `q`, `expand` (extensions/queries.py)."""
        return ModelQueries(self.model, self.project.project)

    @cached_property
    def orm(self) -> OrmModule:
        """models/<model>.py"""
        from .orm import OrmModule

        return OrmModule(self)

    @cached_property
    def schemas(self) -> SchemasModule:
        """schemas/<model>.py"""
        from .schemas import SchemasModule

        return SchemasModule(self)

    @cached_property
    def router(self) -> RouterModule:
        """routers/<model>.py"""
        from .routes import RouterModule

        return RouterModule(self)

    @cached_property
    def crud(self) -> CrudModule:
        """crud/<model>.py"""
        from .crud import CrudModule

        return CrudModule(self)

    @cached_property
    def tests(self) -> TestData:
        """What tests/ knows about this model: payloads, its Resource entry."""
        from .tests import TestData

        return TestData(self)

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
    def label(self) -> str:
        """The model's name in prose: "order item"."""
        return self.module.replace("_", " ")

    @property
    def label_plural(self) -> str:
        return self.model.plural.replace("_", " ")

    @property
    def is_user_model(self) -> bool:
        return self.model.is_user_model

    @property
    def builtin(self) -> bool:
        return self.model.builtin

    # levels and owners ------------------------------------------------------------------

    @property
    def levels(self) -> dict[str, str]:
        return {action: level.value for action, level in self.model.levels.items()}

    @cached_property
    def endpoints(self) -> dict[str, Route]:
        """The routes this model has (levels other than off), by action."""
        from .routes import Route

        return {
            action: Route(action, self.model.levels[action].value, self)
            for action in self.model.endpoints
        }

    @property
    def has_routes(self) -> bool:
        return bool(self.model.endpoints)

    @property
    def uses_owner(self) -> bool:
        return Level.OWNER in self.model.levels.values()

    @property
    def owner_field(self) -> str | None:
        return self.model.owner_field

    @property
    def admin_only(self) -> tuple[str, ...]:
        """The fields only an admin sets (admin_only: true)."""
        return tuple(f.name for f in self.writable if f.field.admin_only)

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
    def owner_required(self) -> bool:
        """The owner FK must be named by a caller without a token (a public create)."""
        owner = self.direct_owner
        return owner is not None and not self.model.field(owner).nullable

    @property
    def owner_list(self) -> bool:
        """The list is at the owner level: a non-admin sees their own records."""
        return self.model.levels["list"] is Level.OWNER

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
    def unique_fields(self) -> list[str]:
        return [f.name for f in self.writable if f.field.unique]

    @property
    def references(self) -> list[tuple[str, str, str]]:
        """(fk, parent class, parent module) of each FK, checked before writes."""
        return [(r.fk, r.parent, self.project.model(r.parent).module) for r in self.model.relations]

    @property
    def referred_by(self) -> list[tuple[str, str]]:
        """(child class, fk) of the foreign keys that restrict this record's deletion."""
        return [(r.child, r.fk) for r in self.model.children if r.on_delete is OnDelete.RESTRICT]

    @property
    def secret_fields(self) -> list[str]:
        return [f.name for f in self.fields if not f.field.readable]

    @property
    def password_field(self) -> str | None:
        return next((f.name for f in self.fields if f.field.is_password), None)

    # the user model -------------------------------------------------------------------

    @property
    def admin_fields(self) -> list[FieldView]:
        """The other required fields the admin made at startup fills with zero values."""
        return [
            f
            for f in self.writable
            if f.field.required and not (f.field.is_username or f.field.is_password)
        ]

    @property
    def admin_defaults(self) -> list[tuple[str, str]]:
        """(field, its type's zero value) for the admin made at startup."""
        return [(f.name, literal(f.info.zero_of(f.field)).text) for f in self.admin_fields]

    @property
    def admin_imports(self) -> str:
        """auth/admin.py's standard-library imports."""
        zeros = [literal(f.info.zero_of(f.field)) for f in self.admin_fields]
        return render_imports([Import("logging")], *(zero.imports for zero in zeros))

    @property
    def admin_creatable(self) -> bool:
        """No required foreign key on the user model: its zero value could name no record."""
        return not any(
            f.field.required and f.field.relation is not None and not f.field.is_password
            for f in self.writable
        )
