"""schemas/<model>.py: what a request sends and a response returns, a field a line."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..schema import Code, Import, enum_member, literal, py
from .code import render_imports

if TYPE_CHECKING:
    from .model import FieldView, ModelView


# The username field's annotation, whatever its type: stored normalised (trimmed,
# lower-cased), see schemas/common.py.
USERNAME = Code("Username", (Import("schemas.common", "Username"),))


@dataclass(frozen=True)
class SchemaField:
    """`name: annotation`, then ` = default` or, with constraints, ` = Field(default, ...)`."""

    name: str
    annotation: str
    default: str | None = None
    constraints: tuple[str, ...] = ()
    imports: tuple[Import, ...] = ()

    @property
    def field_arguments(self) -> list[str]:
        """The arguments of `Field(...)`: the default (if any), then the constraints."""
        return ([self.default] if self.default is not None else []) + list(self.constraints)


# PATCH /auth/me's: checked, never stored (model_dump leaves it out).
CURRENT_PASSWORD = SchemaField(
    "current_password",
    "Str | None",
    "None",
    ("exclude=True", 'description="Your password now: needed to change it"'),
    (Import("schemas.common", "Str"),),
)


def _input(f: FieldView) -> tuple[Code, tuple[str, ...]]:
    """What a client sends for this field: its annotation, and its constraints."""
    field, info = f.field, f.info
    # A username is compared trimmed and lower-cased (an e-mail type does that itself).
    annotation = USERNAME if field.is_username and f.type != "email" else info.input_code(field)
    imports: list[Import] = []
    constraints: list[str] = list(info.input_constraints(field)) if info.input_constraints else []
    if field.min_length is not None:
        constraints.append(f"min_length={field.min_length}")
    if field.value_max_length is not None:
        constraints.append(f"max_length={field.value_max_length}")
    if info.bounds is not None and (field.ge is not None or field.le is not None):
        # The input type's own bounds (Int64's) would win over the schema's: the field is
        # the plain Python type, with both bounds here.
        annotation = info.python_code(field)
        low, high = info.bounds
        constraints.append(f"ge={field.ge if field.ge is not None else low.text}")
        constraints.append(f"le={field.le if field.le is not None else high.text}")
        imports += [*low.imports] if field.ge is None else []
        imports += [*high.imports] if field.le is None else []
    else:
        if field.ge is not None:
            constraints.append(f"ge={field.ge!r}")
        if field.le is not None:
            constraints.append(f"le={field.le!r}")
    if field.description:
        constraints.append(f"description={py(field.description)}")
    return Code(annotation.text, (*annotation.imports, *imports)), tuple(constraints)


def _optional(annotation: str, nullable: bool) -> str:
    return f"{annotation} | None" if nullable else annotation


def create_field(f: FieldView, *, owner_optional: bool = False) -> SchemaField:
    """A field of <Model>Create: required unless it has a default or is nullable."""
    field = f.field
    annotation, constraints = _input(f)
    nullable = field.nullable or owner_optional
    imports = list(annotation.imports)
    default: str | None = None
    if field.has_default and field.enum_class is not None:
        default = f"{field.enum_class}.{enum_member(field.default)}"
    elif field.has_default:
        value = literal(field.default)
        default, imports = value.text, imports + list(value.imports)
    elif nullable:
        default = "None"
    return SchemaField(
        f.name, _optional(annotation.text, nullable), default, constraints, tuple(imports)
    )


def update_field(f: FieldView) -> SchemaField:
    """A field of <Model>Update: absent means "leave it" (None); null is refused where the
    column refuses it (the class names those in `_not_null`)."""
    annotation, constraints = _input(f)
    return SchemaField(
        f.name, _optional(annotation.text, True), "None", constraints, annotation.imports
    )


def read_field(f: FieldView) -> SchemaField:
    output = f.info.output_code(f.field)
    return SchemaField(f.name, _optional(output.text, f.field.nullable), imports=output.imports)


def filter_field(f: FieldView) -> SchemaField:
    """A list filter: `?name=value`, absent by default."""
    annotation = (
        USERNAME if f.field.is_username and f.type != "email" else f.info.input_code(f.field)
    )
    return SchemaField(f.name, f"{annotation.text} | None", "None", imports=annotation.imports)


class SchemasModule:
    def __init__(self, model: ModelView) -> None:
        self.model = model

    @property
    def enums(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The StrEnum of each enum field: (class, [(member, value), ...])."""
        return [
            (f.field.enum_class, [(enum_member(v), py(v)) for v in f.field.values])
            for f in self.model.fields
            if f.field.enum_class is not None
        ]

    @cached_property
    def create(self) -> list[SchemaField]:
        """<Model>Create's fields (<User>Register's, on the user model)."""
        owner = self.model.direct_owner
        return [create_field(f, owner_optional=f.name == owner) for f in self.model.writable]

    @cached_property
    def update(self) -> list[SchemaField]:
        """<Model>Update's fields (<User>MeUpdate's, on the user model)."""
        return [update_field(f) for f in self.model.writable]

    @property
    def me_update(self) -> list[SchemaField]:
        """<User>MeUpdate's own fields, beside the ones it shares with <User>Update."""
        return [CURRENT_PASSWORD]

    @property
    def not_null(self) -> str:
        """The `_not_null` tuple of the Update class: fields a PATCH may not set to null."""
        return py(tuple(f.name for f in self.model.writable if not f.field.nullable))

    @cached_property
    def read(self) -> list[SchemaField]:
        fields = [read_field(f) for f in self.model.readable]
        if self.model.is_user_model:
            fields.append(SchemaField("role", "Role"))
        embedded = (Import("schemas.queries", "embedded"),)
        for name, annotation in self.model.queries.embedded_fields:
            fields.append(SchemaField(name, annotation, "embedded()", imports=embedded))
        return fields

    @cached_property
    def filters(self) -> list[SchemaField]:
        """`field=` and its operators (`field__gte=`, ...) a field at a time, then `q` and
        `expand` (extensions/queries.py)."""
        fields = []
        for f in self.model.filterable:
            equal = filter_field(f)
            fields.append(equal)
            value_type = equal.annotation.removesuffix(" | None")
            for name, annotation, imports in self.model.queries.operator_fields(
                f.field, value_type
            ):
                fields.append(SchemaField(name, annotation, "None", (), (*equal.imports, *imports)))
        if self.model.is_user_model:
            fields.append(SchemaField("role", "Role | None", "None"))
        return fields + [self._parameter(name) for name, _ in self.model.queries.parameters]

    def _parameter(self, name: str) -> SchemaField:
        description = dict(self.model.queries.parameters)[name]
        text = (Import("schemas.common", "Str"),)
        return SchemaField(name, "Str | None", "None", (f"description={py(description)}",), text)

    @property
    def detail_params(self) -> list[SchemaField]:
        """<Model>DetailParams' fields: `expand`, where the detail route takes it."""
        return [self._parameter("expand")] if "detail" in self.model.queries.expands_on else []

    @property
    def sortable(self) -> str:
        """The `_sortable` tuple: the Read shape's own fields, never an embedded record."""
        names = [f.name for f in self.model.readable]
        return py(tuple(names + (["role"] if self.model.is_user_model else [])))

    @property
    def imports(self) -> str:
        model = self.model
        needed = [Import("pydantic", "BaseModel"), Import("pydantic", "ConfigDict")]
        needed += [Import("schemas.common", "Changes"), Import("schemas.common", "ListParams")]
        needed.append(Import("typing", "ClassVar"))
        if model.is_user_model:
            needed.append(Import(f"models.{model.module}", "Role"))
        if self.enums:
            needed.append(Import("enum", "StrEnum"))
        if self.model.queries.type_checking_imports:
            needed.append(Import("typing", "TYPE_CHECKING"))
        fields = [*self.create, *self.update, *self.read, *self.filters, *self.detail_params]
        if model.is_user_model:
            fields += self.me_update
        if any(f.constraints for f in fields):
            needed.append(Import("pydantic", "Field"))
        own = f"schemas.{model.module}"  # the enums defined here
        imports = [[i for i in f.imports if i.module != own] for f in fields]
        return render_imports(needed, *imports)
