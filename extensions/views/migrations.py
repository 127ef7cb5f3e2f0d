"""migrations/versions/0001_initial.py: a table per model, in an order its FKs allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..schema import py
from .code import Call
from .orm import ON_DELETE_SQL

if TYPE_CHECKING:
    from .project import ProjectView

ROLE_TYPE = 'sa.Enum("admin", "user", name="role", native_enum=False, length=16)'


@dataclass
class MigrationTable:
    """`op.create_table(table, *columns, *constraints)`, its indexes, and the foreign keys
    added once the tables they name exist (cycles of nullable FKs)."""

    table: str
    columns: list[Call] = field(default_factory=list)
    constraints: list[Call] = field(default_factory=list)
    indexes: list[Call] = field(default_factory=list)
    deferred_fks: list[Call] = field(default_factory=list)
    deferred_fk_names: list[str] = field(default_factory=list)


def migration_tables(project: ProjectView) -> list[MigrationTable]:
    created: set[str] = set()
    tables: list[MigrationTable] = []
    for view in project.creation_order:
        model = view.model
        t = MigrationTable(model.table)
        primary_key = (py("id"), f"name=op.f({py('pk_' + model.table)})")
        t.constraints.append(Call("sa.PrimaryKeyConstraint", primary_key))
        for f in model.fields:
            sql_type = f.type.info.sql_type(f)
            t.columns.append(Call("sa.Column", (py(f.name), sql_type, f"nullable={f.nullable}")))
            if f.unique:
                name = py(f"uq_{model.table}_{f.name}")
                t.constraints.append(
                    Call("sa.UniqueConstraint", (py(f.name), f"name=op.f({name})"))
                )
            elif f.index:
                name = py(f"ix_{model.table}_{f.name}")
                index = (f"op.f({name})", py(model.table), f"[{py(f.name)}]")
                t.indexes.append(Call("op.create_index", index))
            if f.relation is not None:
                parent = project.model(f.relation.parent).table
                name = py(f"fk_{model.table}_{f.name}_{parent}")
                on_delete = f"ondelete={py(ON_DELETE_SQL[f.relation.on_delete])}"
                if parent in created or parent == model.table:
                    columns = (f"[{py(f.name)}]", f"[{py(parent + '.id')}]")
                    fk = (*columns, f"name=op.f({name})", on_delete)
                    t.constraints.append(Call("sa.ForeignKeyConstraint", fk))
                else:
                    t.deferred_fk_names.append(name)
                    fk = (f"op.f({name})", py(parent), f"[{py(f.name)}]", '["id"]', on_delete)
                    t.deferred_fks.append(Call("batch_op.create_foreign_key", fk))
            if f.values:
                name = py(f"ck_{model.table}_{f.values_check}")
                check = f"sa.column({py(f.name)}).in_({py(list(f.values))})"
                t.constraints.append(Call("sa.CheckConstraint", (check, f"name=op.f({name})")))
        for group in model.unique_together:
            name = py(f"uq_{model.table}_{'_'.join(group)}")
            t.constraints.append(
                Call("sa.UniqueConstraint", (*map(py, group), f"name=op.f({name})"))
            )
        if model.is_user_model:
            t.columns.append(Call("sa.Column", ('"role"', ROLE_TYPE, "nullable=False")))
        created.add(model.table)
        tables.append(t)
    return tables
