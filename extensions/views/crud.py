"""crud/<model>.py: data access, with the references a write checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..schema import Import, py
from .code import collection, render_imports

if TYPE_CHECKING:
    from .model import ModelView


class CrudModule:
    def __init__(self, model: ModelView) -> None:
        self.model = model

    @property
    def references(self) -> str:
        """REFERENCES: each FK checked before writes, and the model it names (a dict)."""
        return collection([f"{py(fk)}: {parent}" for fk, parent, _ in self.model.references], "{}")

    @property
    def referred_by(self) -> str:
        """REFERRED_BY: the child columns that refuse this record's deletion, a tuple."""
        columns = [f"{child}.{fk}" for child, fk in self.model.referred_by]
        return f"({columns[0]},)" if len(columns) == 1 else f"({', '.join(columns)})"

    @property
    def update_input(self) -> str:
        """What update takes: the user model's own PATCH /auth/me body too."""
        name = self.model.name
        return f"{name}Update | {name}MeUpdate" if self.model.is_user_model else f"{name}Update"

    @property
    def imports(self) -> str:
        model, name = self.model, self.model.name
        schemas = f"schemas.{model.module}"
        needed = [Import("sqlalchemy.orm", "Session"), Import(f"models.{model.module}", name)]
        needed += [Import("crud.common", "paginate"), Import("crud.common", "delete_record")]
        needed += [Import(schemas, f"{name}{kind}") for kind in ("Create", "ListParams", "Update")]
        if model.references:
            needed.append(Import("crud.common", "check_references"))
            needed += [Import(f"models.{module}", parent) for _, parent, module in model.references]
        for child, _ in model.referred_by:
            needed.append(Import(f"models.{model.project.model(child).module}", child))
        if model.scoped_reads:
            needed.append(Import("sqlalchemy", "select"))
        if (model.scoped_reads or model.owner_list) and model.owned_by:
            needed.append(Import("crud.ownership", model.owned_by))
        if model.password_field:
            needed.append(Import("auth.security", "hash_password"))
        if model.is_user_model:
            needed += [Import(f"models.{model.module}", "Role"), Import(schemas, f"{name}MeUpdate")]
        return render_imports(needed)
