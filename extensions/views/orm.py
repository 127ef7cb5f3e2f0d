"""models/<model>.py: the SQLAlchemy class, a column or relationship a line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..schema import Import, OnDelete, literal, py
from .code import render_imports

if TYPE_CHECKING:
    from .model import FieldView, ModelView

ON_DELETE_SQL = {
    OnDelete.RESTRICT: "RESTRICT",
    OnDelete.CASCADE: "CASCADE",
    OnDelete.SET_NULL: "SET NULL",
}
UTCNOW = Import("database", "utcnow")


@dataclass(frozen=True)
class Column:
    """`name: Mapped[annotation] = mapped_column(arguments)`; no call without arguments."""

    name: str
    annotation: str
    arguments: tuple[str, ...] = ()
    imports: tuple[Import, ...] = ()


@dataclass(frozen=True)
class Relationship:
    """`name: Mapped[annotation] = relationship(arguments)`; the annotation quotes the other
    class, which may be defined later."""

    name: str
    annotation: str
    arguments: tuple[str, ...]


def column(f: FieldView) -> Column:
    """How a field is declared on its model."""
    field, info = f.field, f.info
    arguments: list[str] = []
    python = info.python_code(field)
    imports: list[Import] = list(python.imports)
    if field.primary_key:
        arguments.append("primary_key=True")
    elif field.relation is not None:
        target = f.model.project.model(field.relation.parent)
        imports.append(Import("sqlalchemy", "ForeignKey"))
        on_delete = py(ON_DELETE_SQL[field.relation.on_delete])
        arguments.append(f"ForeignKey({py(target.table + '.id')}, ondelete={on_delete})")
    elif (column_type := info.column_type(field)) is not None:
        arguments.append(column_type.text)
        imports += column_type.imports
    if field.unique:
        arguments.append("unique=True")
    if field.index and not field.unique:
        arguments.append("index=True")
    if field.has_default:
        default = literal(field.default)
        arguments.append(f"default={default.text}")
        imports += default.imports
    if field.server_set:
        imports.append(UTCNOW)
        arguments.append("default=utcnow")
        if field.name == "updated_at":
            arguments.append("onupdate=utcnow")
    annotation = f"{python.text} | None" if field.nullable else python.text
    return Column(field.name, annotation, tuple(arguments), tuple(imports))


ROLE = Column(
    "role",
    "Role",
    ("Enum(Role, native_enum=False, length=16)", "default=Role.user"),
    (Import("sqlalchemy", "Enum"), Import("enum", "StrEnum")),
)


class OrmModule:
    def __init__(self, model: ModelView) -> None:
        self.model = model

    @cached_property
    def columns(self) -> list[Column]:
        columns = [column(f) for f in self.model.fields]
        if self.model.is_user_model:
            columns.append(ROLE)
        return columns

    @cached_property
    def relationships(self) -> list[Relationship]:
        model, project = self.model, self.model.project
        relationships: list[Relationship] = []
        # Collections first: their `list[...]` comes before a parent named `list` (list_id).
        for relation in model.model.children:
            child = project.model(relation.child)
            arguments = [f"back_populates={py(relation.attribute)}", 'passive_deletes="all"']
            if relation.several_to_parent:
                arguments.insert(1, f"foreign_keys={py(f'[{child.name}.{relation.fk}]')}")
            annotation = f"list[{py(child.name)}]"
            relationships.append(
                Relationship(relation.back_populates, annotation, tuple(arguments))
            )
        for relation in model.model.relations:
            parent = project.model(relation.parent)
            arguments = [f"back_populates={py(relation.back_populates)}"]
            if relation.several_to_parent:
                arguments.append(f"foreign_keys=[{relation.fk}]")
            if relation.is_self:
                arguments.append("remote_side=[id]")
            target = f"{parent.name} | None" if relation.nullable else parent.name
            relationships.append(Relationship(relation.attribute, py(target), tuple(arguments)))
        return relationships

    @cached_property
    def table_args(self) -> list[str]:
        """`__table_args__` constraints: each enum's values, fields unique together."""
        model = self.model.model
        args = [
            f"CheckConstraint(column({py(f.name)}).in_({py(list(f.values))}), "
            f"name={py(f.values_check)})"
            for f in model.fields
            if f.values
        ]
        args += [
            f"UniqueConstraint({', '.join(map(py, group))})" for group in model.unique_together
        ]
        return args

    @property
    def related_models(self) -> list[str]:
        """The other models its relationships name (imported for type checking only)."""
        model = self.model.model
        names = {r.child for r in model.children} | {r.parent for r in model.relations}
        names.discard(self.model.name)
        return sorted(names)

    @property
    def imports(self) -> str:
        needed = [Import("sqlalchemy.orm", "Mapped"), Import("sqlalchemy.orm", "mapped_column")]
        needed.append(Import("database", "Base"))
        if self.relationships:
            needed.append(Import("sqlalchemy.orm", "relationship"))
        if self.related_models:
            needed.append(Import("typing", "TYPE_CHECKING"))
        if any(f.values for f in self.model.model.fields):
            needed += [Import("sqlalchemy", "CheckConstraint"), Import("sqlalchemy", "column")]
        if self.model.model.unique_together:
            needed.append(Import("sqlalchemy", "UniqueConstraint"))
        return render_imports(needed, *(c.imports for c in self.columns))

    @property
    def type_checking_imports(self) -> str:
        project = self.model.project
        return render_imports(
            [Import(f"models.{project.model(name).module}", name) for name in self.related_models]
        )
