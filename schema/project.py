"""The normalised project: every name, type, relation and level decided and checked.

`normalize()` takes a schema as parsed from YAML or JSON, checks it against every
rule of the format, and returns a `Project` whose models carry everything code
generation needs. It never stops at the first problem: all of them are collected
and raised together in one `SchemaError`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import naming
from .errors import Loc, Problem, SchemaError
from .field_types import (
    DEFAULT_DECIMAL_PLACES,
    DEFAULT_MAX_DIGITS,
    ENUM_VALUE,
    INT64_MAX,
    INT64_MIN,
    TYPES,
    FieldType,
    coerce_value,
    types_with,
)
from .spec import (
    ACTIONS,
    AuthSpec,
    FieldEntry,
    FieldSpec,
    Level,
    LevelName,
    ModelSpec,
    OnDelete,
    Registration,
    RelationEntry,
    RelationSpec,
)

TOP_LEVEL_KEYS = ("project_name", "models", "apis", "auth")
CRUD_ACTIONS = ("create", "list", "detail", "update", "delete")
# The HTTP method and path (below the model's path) of each generated endpoint.
ROUTES = {
    "create": ("POST", ""),
    "list": ("GET", ""),
    "detail": ("GET", "/{id}"),
    "update": ("PATCH", "/{id}"),
    "delete": ("DELETE", "/{id}"),
}
BUILTIN_USER_MODEL = "User"
# The user model's own columns and the body of PATCH /auth/me take these names.
USER_MODEL_RESERVED = {"role", "current_password"}
# A password shorter than this is refused, unless the schema gives its own min_length.
MIN_PASSWORD_LENGTH = 8

# Field names the generated code uses for itself.
RESERVED_FIELDS = {
    "limit": "it is a list parameter",
    "offset": "it is a list parameter",
    "sort": "it is a list parameter",
    "q": "it is a list parameter (search)",
    "expand": "it is a list and detail parameter (embedding related records)",
    "metadata": "SQLAlchemy reserves it on models",
    "registry": "SQLAlchemy reserves it on models",
    "self": "the models' constructor takes it",
}
PYDANTIC_ATTRIBUTES = {name for name in dir(BaseModel) if not name.startswith("_")}
# Names the generated class bodies use after the fields: a field of that name would shadow them
# (with the names the field types' annotations use: see _names_types_use).
CLASS_BODY_NAMES = {
    "list",
    "tuple",
    "Mapped",
    "mapped_column",
    "relationship",
    "ForeignKey",
    "Enum",
    "Field",
    "ClassVar",
    "Role",
    "utcnow",
    "CommaList",
    "embedded",
}
TIMESTAMP_FIELDS = ("created_at", "updated_at")

# Model names and their snake_case forms that would shadow names in the generated code.
RESERVED_MODEL_NAMES = {
    "Base",
    "Role",
    "Session",
    "Settings",
    "Annotated",
    "Any",
    "Depends",
    "Mapped",
    "BaseModel",
    "Field",
    "Query",
    "Path",
    "Response",
    "Request",
    "FastAPI",
    "APIRouter",
    "HTTPException",
    "True",
    "False",
    "None",
}
RESERVED_MODULES = {
    "app",
    "auth",
    "base",
    "caller",
    "changes",
    "common",
    "config",
    "crud",
    "current_user",
    "data",
    "database",
    "deps",
    "errors",
    "expand",
    "func",
    "health",
    "middleware",
    "main",
    "migrations",
    "models",
    "params",
    "payload",
    "queries",
    "query",
    "request",
    "response",
    "router",
    "routers",
    "schemas",
    "security",
    "select",
    "session",
    "settings",
    "status",
    "tests",
    "total",
    "types",
}
RESERVED_PATHS = {"auth", "health", "docs", "redoc", "openapi.json", "static"}
GENERATED_SUFFIXES = (
    "Create",
    "Update",
    "Read",
    "ListParams",
    "DetailParams",
    "Dep",
    "Register",
    "MeUpdate",
)


@dataclass
class Relation:
    """A one-to-many relation: `child.fk` points at `parent`."""

    child: str
    fk: str
    parent: str
    on_delete: OnDelete
    nullable: bool
    attribute: str  # the related record on the child: post.user
    back_populates: str  # the children on the parent: user.posts
    several_to_parent: bool = False  # the child has more than one FK to the parent

    @property
    def is_self(self) -> bool:
        return self.child == self.parent


@dataclass
class ModelField:
    name: str
    type: FieldType
    nullable: bool = False
    required: bool = True  # must be sent on create
    unique: bool = False
    index: bool = False
    default: Any = None
    has_default: bool = False
    min_length: int | None = None
    max_length: int | None = None
    ge: int | float | None = None
    le: int | float | None = None
    description: str | None = None
    secret: bool = False
    admin_only: bool = False  # only an admin sets it
    primary_key: bool = False
    relation: Relation | None = None
    is_password: bool = False
    is_username: bool = False
    server_set: bool = False  # timestamps: set by the server, read-only to clients
    max_digits: int | None = None  # decimal
    decimal_places: int | None = None  # decimal
    values: tuple[str, ...] = ()  # enum
    enum_class: str | None = None  # enum: its StrEnum, in the model's schemas module
    module: str | None = None  # enum: the model's module

    @property
    def values_check(self) -> str:
        """The name of an enum's CHECK constraint. It carries a digest of the values, so new
        values make a new name, which Alembic's autogenerate compares (by name only)."""
        digest = hashlib.sha256("\n".join(self.values).encode()).hexdigest()[:8]
        return f"{self.name}_values_{digest}"

    @property
    def digits(self) -> int:
        return self.max_digits or DEFAULT_MAX_DIGITS

    @property
    def places(self) -> int:
        return DEFAULT_DECIMAL_PLACES if self.decimal_places is None else self.decimal_places

    @property
    def writable(self) -> bool:
        return not (self.primary_key or self.server_set)

    @property
    def readable(self) -> bool:
        return not (self.secret or self.is_password)

    @property
    def filterable(self) -> bool:
        return self.readable and not self.primary_key

    @property
    def column_length(self) -> int | None:
        """The VARCHAR length of a string column (a password column holds a hash)."""
        longest = self.type.info.default_max_length
        if longest is None:
            return None
        if self.is_password:
            return longest
        return self.max_length or longest

    @property
    def value_max_length(self) -> int | None:
        """The longest value a client may send."""
        if self.is_password:
            return self.max_length
        return self.max_length or self.type.info.default_max_length


def _names_types_use() -> set[str]:
    """The names the field types' annotations and column types put in generated class bodies."""
    names: set[str] = set()
    for info in TYPES.values():
        example = ModelField(name="example", type=info.type)
        codes = [info.python, info.input, info.output, info.column_type(example)]
        for code in filter(None, [*codes, *(info.bounds or ())]):
            names.add(re.match(r"\w+", code.text)[0])  # type: ignore[index]
            names.update(i.name or i.module.split()[-1] for i in code.imports)
    return names


CLASS_BODY_NAMES |= _names_types_use()


@dataclass
class Model:
    name: str
    module: str
    plural: str
    table: str
    path: str
    fields: list[ModelField]
    levels: dict[str, Level]
    relations: list[Relation] = field(default_factory=list)  # FKs of this model
    children: list[Relation] = field(default_factory=list)  # FKs pointing at this model
    owner_field: str | None = None  # on the user model: "id"
    owner_parent: str | None = None  # owned through this parent model's owner (owner_field)
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    search: list[str] = field(default_factory=list)  # the fields ?q= searches
    timestamps: bool = False
    is_user_model: bool = False
    builtin: bool = False

    def field(self, name: str) -> ModelField:
        return next(f for f in self.fields if f.name == name)

    @property
    def endpoints(self) -> list[str]:
        return [action for action in CRUD_ACTIONS if self.levels[action] is not Level.OFF]

    def level(self, action: str) -> str:
        return self.levels[action].value


@dataclass
class AuthSettings:
    user_model: str
    username_field: str
    password_field: str
    token_expire_minutes: int
    registration: bool


@dataclass
class Project:
    name: str
    models: list[Model]
    auth: AuthSettings

    def model(self, name: str) -> Model:
        return next(m for m in self.models if m.name == name)

    @property
    def user_model(self) -> Model:
        return self.model(self.auth.user_model)

    def creation_order(self) -> list[Model]:
        """Models ordered so that every parent comes before its children (cycles aside)."""
        done: dict[str, Model] = {}
        visiting: set[str] = set()

        def visit(model: Model) -> None:
            if model.name in done or model.name in visiting:
                return
            visiting.add(model.name)
            for relation in model.relations:
                visit(self.model(relation.parent))
            visiting.discard(model.name)
            done[model.name] = model

        for model in self.models:
            visit(model)
        return list(done.values())


POSTGRES_IDENTIFIER_BYTES = 63  # longer names are cut, so two could become one


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, loc: Loc, msg: str) -> None:
        self.items.append(Problem(tuple(loc), msg))

    def extend_from(self, error: ValidationError, prefix: Loc) -> None:
        for item in error.errors(include_url=False):
            loc = prefix + tuple(item["loc"])
            msg = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                msg = f"unknown key {str(loc[-1])!r}"
            elif item["type"] == "missing":
                msg = "this key is required"
            elif item["type"] == "enum":
                msg = f"unknown value {item['input']!r}; expected {item['ctx']['expected']}"
            self.items.append(Problem(loc, msg))


_model_adapter = TypeAdapter(ModelSpec)
_field_adapter: TypeAdapter[FieldSpec] = TypeAdapter(FieldEntry)
_relation_adapter: TypeAdapter[RelationSpec] = TypeAdapter(RelationEntry)
_level_adapter: TypeAdapter[Level] = TypeAdapter(LevelName)
_auth_adapter = TypeAdapter(AuthSpec)


def check(data: Any) -> list[Problem]:
    """Every problem with a schema; an empty list means it is valid."""
    try:
        normalize(data)
    except SchemaError as error:
        return error.problems
    return []


def normalize(data: Any, *, project_name: str | None = None) -> Project:
    """Check a parsed schema and return the normalised project, or raise SchemaError."""
    problems = _Problems()
    if not isinstance(data, Mapping):
        raise SchemaError([Problem((), "a schema must be a mapping with a 'models' key")])

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.add((str(key),), f"unknown key; expected {', '.join(TOP_LEVEL_KEYS)}")
    name = data.get("project_name") or project_name or "backend"
    if not isinstance(name, str):
        problems.add(("project_name",), "must be a string")
        name = "backend"

    specs = _parse_models(data, problems)
    apis = _parse_apis(data.get("apis"), problems)
    auth_spec = _parse(data.get("auth"), _auth_adapter, ("auth",), problems) or AuthSpec()

    project = _Builder(specs, apis, auth_spec, problems, str(name)).build()
    if problems.items:
        raise SchemaError(problems.items)
    return project


def _parse(value: Any, adapter: TypeAdapter[Any], loc: Loc, problems: _Problems) -> Any:
    try:
        return adapter.validate_python({} if value is None else value)
    except ValidationError as error:
        problems.extend_from(error, loc)
        return None


def _parse_models(data: Mapping[str, Any], problems: _Problems) -> dict[str, ModelSpec | None]:
    """Each model, field and relation parsed on its own, so one broken part does not hide the
    others' problems. A model whose options fail to parse maps to None: its name still exists
    for relations and apis; a field or relation that fails to parse is left out.
    """
    if "models" not in data:
        problems.add(("models",), "this key is required")
        return {}
    raw = data["models"]
    if not isinstance(raw, Mapping) or not raw:
        problems.add(("models",), "must be a mapping of model names to models, with at least one")
        return {}
    return {
        str(name): _parse_model(("models", str(name)), value, problems)
        for name, value in raw.items()
    }


def _parse_model(loc: Loc, value: Any, problems: _Problems) -> ModelSpec | None:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        problems.add(loc, "a model must be a mapping (fields, relations, options)")
        return None
    options = {k: v for k, v in value.items() if k not in ("fields", "relations")}
    spec = _parse(options, _model_adapter, loc, problems)
    parts: dict[str, dict[str, Any]] = {}
    for part, adapter in (("fields", _field_adapter), ("relations", _relation_adapter)):
        entries = value.get(part) or {}
        parts[part] = {}
        if not isinstance(entries, Mapping):
            problems.add(loc + (part,), f"{part} must be a mapping of names to {part}")
            continue
        for key, entry in entries.items():
            parsed = _parse(entry, adapter, loc + (part, str(key)), problems)
            parts[part][str(key)] = parsed
    if spec is None:
        return None
    return spec.model_copy(update=parts)


def _parse_apis(value: Any, problems: _Problems) -> dict[str, dict[str, Level]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.add(("apis",), "must be a mapping of model names to {action: level}")
        return {}
    apis: dict[str, dict[str, Level]] = {}
    for model, actions in value.items():
        loc: Loc = ("apis", str(model))
        apis[str(model)] = {}
        if not isinstance(actions, Mapping):
            problems.add(loc, "must be a mapping of actions to levels")
            continue
        for action, level in actions.items():
            if action not in ACTIONS:
                problems.add(
                    loc + (str(action),),
                    f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}",
                )
                continue
            parsed = _parse(level, _level_adapter, loc + (str(action),), problems)
            if parsed is not None:
                apis[str(model)][str(action)] = parsed
    return apis


class _Builder:
    """Turns checked specs into models, recording every rule broken on the way."""

    def __init__(
        self,
        specs: dict[str, ModelSpec | None],
        apis: dict[str, dict[str, Level]],
        auth: AuthSpec,
        problems: _Problems,
        project_name: str,
    ) -> None:
        self.specs = specs
        self.apis = apis
        self.auth = auth
        self.problems = problems
        self.project_name = project_name
        self.models: dict[str, Model] = {}

    def build(self) -> Project:
        user_model = self._user_model_name()
        for name, spec in self.specs.items():
            self._check_model_name(name)
            if spec is not None:
                self.models[name] = self._model(name, spec)
        if user_model == BUILTIN_USER_MODEL and BUILTIN_USER_MODEL not in self.specs:
            self.models = {BUILTIN_USER_MODEL: self._builtin_user(), **self.models}
        self._check_collisions()
        if user_model in self.models:
            self._setup_user_model(self.models[user_model])
        self._relations(user_model)
        self._check_required_cycles()
        self._check_identifier_lengths()
        self._model_options()
        self._check_enum_classes()
        self._levels(user_model)
        self._owners(user_model)
        auth = AuthSettings(
            user_model=user_model,
            username_field=self.auth.username_field,
            password_field=self.auth.password_field,
            token_expire_minutes=self.auth.token_expire_minutes,
            registration=self.auth.registration is Registration.OPEN,
        )
        return Project(self.project_name, list(self.models.values()), auth)

    # -- models and fields ------------------------------------------------------------

    def _check_model_name(self, name: str) -> None:
        loc = ("models", name)
        if not naming.PASCAL_CASE.match(name):
            self.problems.add(loc, "model names are PascalCase identifiers, like BlogPost")
        elif name in RESERVED_MODEL_NAMES:
            self.problems.add(loc, f"{name!r} is reserved by the generated code")
        elif naming.is_keyword(naming.plural(naming.snake_case(name))):
            plural = naming.plural(naming.snake_case(name))
            self.problems.add(
                loc, f"its plural {plural!r} is a Python keyword; choose another name"
            )
        elif naming.snake_case(name) in RESERVED_MODULES or naming.is_keyword(
            naming.snake_case(name)
        ):
            self.problems.add(
                loc,
                f"its module name {naming.snake_case(name)!r} is reserved by the generated code",
            )
        for other in self.specs:
            for suffix in GENERATED_SUFFIXES:
                if name == other + suffix:
                    self.problems.add(loc, f"clashes with the generated class {other}{suffix}")

    def _model(self, name: str, spec: ModelSpec) -> Model:
        loc: Loc = ("models", name)
        module = naming.snake_case(name)
        plural = naming.plural(module)
        table = spec.table or plural
        path = spec.path.strip("/") if spec.path is not None else naming.kebab_case(plural)
        if spec.table is not None and not naming.TABLE_NAME.match(spec.table):
            self.problems.add(loc + ("table",), "a table name is lower snake_case, like blog_posts")
        if spec.path is not None and not naming.URL_PATH.match(path):
            self.problems.add(loc + ("path",), "a path is lower kebab-case, like blog-posts")
        if path in RESERVED_PATHS:
            where = loc + ("path",) if spec.path is not None else loc
            self.problems.add(where, f"the path /{path} is reserved by the generated app")

        fields = [ModelField(name="id", type=FieldType.INT, primary_key=True)]
        for field_name, field_spec in spec.fields.items():
            if field_spec is None:
                continue
            built = self._field(loc + ("fields", field_name), field_name, field_spec)
            if built is not None and built.name == "id":
                continue
            if built is not None:
                if built.type is FieldType.ENUM:
                    built.module = module
                    built.enum_class = name + naming.pascal_case(field_name)
                fields.append(built)
        if spec.timestamps:
            for stamp in TIMESTAMP_FIELDS:
                if stamp in spec.fields:
                    self.problems.add(
                        loc + ("fields", stamp), "timestamps: true adds this field itself"
                    )
                else:
                    fields.append(ModelField(name=stamp, type=FieldType.DATETIME, server_set=True))
        return Model(
            name=name,
            module=module,
            plural=plural,
            table=table,
            path=path,
            fields=fields,
            levels={},
            timestamps=spec.timestamps,
        )

    def _field(self, loc: Loc, name: str, spec: FieldSpec) -> ModelField | None:
        problems_before = len(self.problems.items)
        if not naming.IDENTIFIER.match(name) or naming.is_keyword(name):
            self.problems.add(
                loc, "field names are identifiers (letters, digits, _), not Python keywords"
            )
        elif name in RESERVED_FIELDS:
            self.problems.add(loc, f"{name!r} is reserved: {RESERVED_FIELDS[name]}")
        elif "__" in name:
            self.problems.add(
                loc, "'__' is reserved for list operators (title__icontains): use one '_'"
            )
        elif name in PYDANTIC_ATTRIBUTES or name.startswith("model_"):
            self.problems.add(loc, f"{name!r} would shadow a Pydantic model attribute")
        elif name in CLASS_BODY_NAMES:
            self.problems.add(loc, f"{name!r} would shadow a name the generated code uses")
        if name == "id":
            if spec.type is not FieldType.INT:
                self.problems.add(loc + ("type",), "id is the integer primary key: use int")
            extra = spec.model_fields_set - {"type", "description"}
            if extra:
                self.problems.add(loc, "id is the primary key; only its type may be given")
            return None

        if spec.default is not None or "default" in spec.model_fields_set:
            has_default = spec.default is not None
        else:
            has_default = False
        default = None
        if has_default:
            try:
                default = coerce_value(spec.type, spec.default)
            except ValueError as error:
                self.problems.add(loc + ("default",), f"does not match type {spec.type}: {error}")
        if not spec.required and not has_default and not spec.nullable:
            self.problems.add(
                loc + ("required",), "required: false needs a default or nullable: true"
            )

        for option in (
            "min_length",
            "max_length",
            "ge",
            "le",
            "max_digits",
            "decimal_places",
            "values",
        ):
            if getattr(spec, option) is not None and option not in spec.type.info.options:
                kinds = " and ".join(types_with(option))
                self.problems.add(loc + (option,), f"only {kinds} fields have {option}")
        ge, le = spec.ge, spec.le
        if spec.type is FieldType.INT:
            ge, le = self._int_bound(loc + ("ge",), ge), self._int_bound(loc + ("le",), le)
        if ge is not None and le is not None and ge > le:
            self.problems.add(loc + ("le",), f"le ({le}) is smaller than ge ({ge})")
        if (
            spec.min_length is not None
            and spec.max_length is not None
            and spec.min_length > spec.max_length
        ):
            self.problems.add(loc + ("max_length",), "max_length is smaller than min_length")
        if spec.type is FieldType.DECIMAL:
            self._check_decimal(loc, spec, default if has_default else None)
        if spec.type is FieldType.ENUM:
            self._check_enum(loc, spec, default if has_default else None)
        if has_default and default is not None:
            self._check_default_range(loc + ("default",), spec, default, ge, le)
        if spec.admin_only and not has_default and not spec.nullable:
            self.problems.add(
                loc + ("admin_only",),
                "an admin_only field needs a default or nullable: true (a non-admin's "
                "create leaves it out)",
            )
        if spec.secret and spec.unique:
            self.problems.add(
                loc + ("unique",),
                "a secret field cannot be unique: a 409 would tell whether a guess is "
                "someone's secret",
            )
        if len(self.problems.items) > problems_before:
            return None
        return ModelField(
            name=name,
            type=spec.type,
            nullable=spec.nullable,
            required=spec.required and not has_default and not spec.nullable,
            unique=spec.unique,
            index=spec.index,
            default=default,
            has_default=has_default,
            min_length=spec.min_length,
            max_length=spec.max_length,
            ge=ge,
            le=le,
            description=spec.description,
            secret=spec.secret,
            admin_only=spec.admin_only,
            max_digits=spec.max_digits,
            decimal_places=spec.decimal_places,
            values=tuple(spec.values or ()),
        )

    def _check_decimal(self, loc: Loc, spec: FieldSpec, default: Any) -> None:
        digits = spec.max_digits or DEFAULT_MAX_DIGITS
        places = DEFAULT_DECIMAL_PLACES if spec.decimal_places is None else spec.decimal_places
        if places > digits:
            self.problems.add(
                loc + ("decimal_places",),
                f"decimal_places ({places}) exceeds max_digits ({digits})",
            )
        elif isinstance(default, Decimal):
            sign, default_digits, exponent = default.as_tuple()
            shown = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            whole = len(default_digits) - shown
            if shown > places or whole > digits - places:
                self.problems.add(
                    loc + ("default",),
                    f"{default} does not fit max_digits {digits} with {places} decimal places",
                )

    def _check_enum(self, loc: Loc, spec: FieldSpec, default: Any) -> None:
        values = spec.values
        if values is None:
            self.problems.add(loc + ("values",), "an enum lists its values: values: [a, b]")
            return
        if not 1 <= len(values) <= 100:
            self.problems.add(loc + ("values",), f"1 to 100 values, not {len(values)}")
        members: dict[str, str] = {}
        for i, value in enumerate(values):
            if not ENUM_VALUE.fullmatch(value):
                self.problems.add(
                    loc + ("values", i),
                    f"{value!r}: a value is letters, digits, _ and -, starts with a letter, "
                    "and has at most 64 characters",
                )
                continue
            member = enum_member(value)
            if member in members:
                self.problems.add(
                    loc + ("values", i), f"{value!r} is the same value as {members[member]!r}"
                )
            members[member] = value
        if default is not None and default not in values:
            self.problems.add(loc + ("default",), f"{default!r} is not one of the values")

    def _int_bound(self, loc: Loc, bound: float | None) -> int | None:
        if bound is None:
            return None
        if bound != int(bound) or not INT64_MIN <= bound <= INT64_MAX:
            self.problems.add(loc, "an int bound must be a whole number in the 64-bit range")
            return None
        return int(bound)

    def _check_default_range(
        self, loc: Loc, spec: FieldSpec, value: Any, ge: float | None, le: float | None
    ) -> None:
        if isinstance(value, str):
            if spec.min_length is not None and len(value) < spec.min_length:
                self.problems.add(loc, f"shorter than min_length {spec.min_length}")
            longest = spec.max_length or spec.type.info.default_max_length
            if longest is not None and len(value) > longest:
                self.problems.add(loc, f"longer than the maximum length {longest}")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if ge is not None and value < ge:
                self.problems.add(loc, f"smaller than ge {ge}")
            if le is not None and value > le:
                self.problems.add(loc, f"larger than le {le}")

    def _check_collisions(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for model in self.models.values():
            for kind, value in (
                ("module name", model.module),
                ("table", model.table),
                ("path", model.path),
                ("plural", model.plural),
            ):
                other = seen.setdefault((kind, value), model.name)
                if other != model.name:
                    loc = ("models", model.name)
                    if kind in ("table", "path") and model.name in self.specs:
                        spec = self.specs[model.name]
                        if spec is not None and getattr(spec, kind) is not None:
                            loc = loc + (kind,)
                    self.problems.add(loc, f"its {kind} {value!r} is the same as {other}'s")
        by_plural = {model.plural: model for model in self.models.values()}
        for model in self.models.values():
            single = by_plural.get(model.module)
            if single is not None and single is not model and model.name in self.specs:
                self.problems.add(
                    ("models", model.name),
                    f"{model.name!r} reads as the plural of {single.name!r}: rename one "
                    f"(their paths /{single.path} and /{model.path} would be confused)",
                )

    def _model_options(self) -> None:
        """`unique_together` and `search`, checked against the model's fields."""
        for model in self.models.values():
            spec = self.specs.get(model.name)
            if spec is None:
                continue
            names = {f.name: f for f in model.fields}
            for i, group in enumerate(spec.unique_together):
                loc: Loc = ("models", model.name, "unique_together", i)
                unknown = [name for name in group if name not in names]
                if unknown:
                    self.problems.add(loc, f"{model.name} has no field {unknown[0]!r}")
                elif len(set(group)) < 2:
                    self.problems.add(loc, "names two or more different fields")
                elif any(names[name].secret or names[name].is_password for name in group):
                    self.problems.add(loc, "a secret field cannot be part of a unique key")
                elif any(set(group) == set(other) for other in spec.unique_together[:i]):
                    self.problems.add(loc, "the same fields are listed twice")
                else:
                    model.unique_together.append(tuple(group))
                    if len(_constraint_name(model.table, group)) > POSTGRES_IDENTIFIER_BYTES:
                        self.problems.add(
                            loc,
                            _length_message(
                                "unique constraint", _constraint_name(model.table, group)
                            ),
                        )
            for i, name in enumerate(spec.search):
                loc = ("models", model.name, "search", i)
                found = names.get(name)
                if found is None:
                    self.problems.add(loc, f"{model.name} has no field {name!r}")
                elif not found.type.is_textual:
                    self.problems.add(loc, f"{name!r} is not a string, text or email field")
                elif not found.readable:
                    self.problems.add(loc, f"{name!r} is secret: searching it would reveal it")
                elif name in spec.search[:i]:
                    self.problems.add(loc, f"{name!r} is listed twice")
                else:
                    model.search.append(name)

    def _check_identifier_lengths(self) -> None:
        """Tables, columns, indexes and constraints fit PostgreSQL's 63-byte identifiers.

        Constraint names follow the generated naming convention (database.py).
        """
        for model in self.models.values():
            spec = self.specs.get(model.name)
            if spec is None:
                continue
            table_loc: Loc = ("models", model.name) + (("table",) if spec.table else ())
            too_long = [
                (kind, name)
                for kind, name in (("table", model.table), ("primary key", f"pk_{model.table}"))
                if _too_long(name)
            ]
            if too_long:
                self.problems.add(table_loc, _length_message(*too_long[0]))
                continue
            for f in model.fields:
                part = (
                    "relations"
                    if f.relation is not None and f.name not in spec.fields
                    else "fields"
                )
                names = [("column", f.name)]
                if f.unique:
                    names.append(("unique constraint", f"uq_{model.table}_{f.name}"))
                if f.values:
                    names.append(("check constraint", f"ck_{model.table}_{f.values_check}"))
                if f.index or f.relation is not None:
                    names.append(("index", f"ix_{model.table}_{f.name}"))
                if f.relation is not None:
                    parent = self.models[f.relation.parent].table
                    names.append(("foreign key", f"fk_{model.table}_{f.name}_{parent}"))
                for kind, name in names:
                    if _too_long(name):
                        self.problems.add(
                            ("models", model.name, part, f.name), _length_message(kind, name)
                        )
                        break

    def _check_enum_classes(self) -> None:
        """An enum's StrEnum (OrderStatus) is a class name of its own in schemas/<model>.py."""
        taken = set(self.models) | set(RESERVED_MODEL_NAMES)
        for model in self.models.values():
            generated = {model.name + suffix for suffix in GENERATED_SUFFIXES}
            for f in model.fields:
                if f.enum_class is not None and (f.enum_class in taken | generated):
                    self.problems.add(
                        ("models", model.name, "fields", f.name),
                        f"its enum class {f.enum_class} would clash with a generated name; "
                        "rename the field",
                    )
                taken.add(f.enum_class or "")

    # -- the user model -----------------------------------------------------------

    def _user_model_name(self) -> str:
        name = self.auth.user_model
        if name is None:
            return BUILTIN_USER_MODEL
        if name not in self.specs:
            self.problems.add(("auth", "user_model"), f"there is no model named {name!r}")
        return name

    def _builtin_user(self) -> Model:
        module = naming.snake_case(BUILTIN_USER_MODEL)
        return Model(
            name=BUILTIN_USER_MODEL,
            module=module,
            plural=naming.plural(module),
            table="users",
            path="users",
            fields=[ModelField(name="id", type=FieldType.INT, primary_key=True)],
            levels={},
            builtin=True,
        )

    def _setup_user_model(self, model: Model) -> None:
        model.is_user_model = True
        loc: Loc = ("models", model.name, "fields")
        names = {f.name for f in model.fields}
        for reserved in sorted(USER_MODEL_RESERVED & names):
            self.problems.add(loc + (reserved,), f"{reserved!r} is reserved on the user model")
        username, password = self.auth.username_field, self.auth.password_field
        for option, value in (("username_field", username), ("password_field", password)):
            if not naming.IDENTIFIER.match(value) or naming.is_keyword(value):
                self.problems.add(("auth", option), "must be a field name (an identifier)")
        if username == password:
            self.problems.add(("auth", "password_field"), "must differ from username_field")
            return
        for name, is_username in ((username, True), (password, False)):
            option = "username_field" if is_username else "password_field"
            if name not in names and option in self.auth.model_fields_set and not model.builtin:
                # A typo must not add a field: only the defaults are added when missing.
                self.problems.add(
                    ("auth", option),
                    f"the user model {model.name} has no field {name!r}; declare it, "
                    f"or leave {option} out to use {AuthSpec.model_fields[option].default!r}",
                )
                continue
            if name not in names:
                model.fields.append(ModelField(name=name, type=FieldType.STRING))
            user_field = model.field(name)
            if not user_field.type.is_textual:
                self.problems.add(loc + (name, "type"), "must be a string or text field")
            if user_field.nullable or not user_field.required:
                self.problems.add(loc + (name,), "must be required and not nullable")
            if user_field.relation is not None:
                self.problems.add(loc + (name,), "cannot be a foreign key")
            if is_username:
                user_field.is_username = True
                user_field.unique = True
            else:
                user_field.is_password = True
                user_field.secret = True
                user_field.unique = False
                if user_field.min_length is None:
                    longest = user_field.max_length or MIN_PASSWORD_LENGTH
                    user_field.min_length = min(MIN_PASSWORD_LENGTH, longest)

    # -- relations ----------------------------------------------------------------

    def _relations(self, user_model: str) -> None:
        for model in self.models.values():
            spec = self.specs.get(model.name)
            if spec is None:
                continue
            fk_counts: dict[str, int] = {}
            relations = {fk: rel for fk, rel in spec.relations.items() if rel is not None}
            for rel in relations.values():
                fk_counts[rel.model] = fk_counts.get(rel.model, 0) + 1
            for fk, rel in relations.items():
                self._relation(model, fk, rel, fk_counts[rel.model] > 1)
        self._check_relation_names()
        self._check_column_names()

    def _check_column_names(self) -> None:
        """Column names differ in more than case: SQLite compares them case-insensitively."""
        for model in self.models.values():
            spec = self.specs.get(model.name)
            declared = spec.fields if spec is not None else {}
            seen: dict[str, str] = {"role": "role"} if model.is_user_model else {}
            for f in model.fields:
                other = seen.setdefault(f.name.lower(), f.name)
                if other != f.name:
                    part = "fields" if f.name in declared else "relations"
                    self.problems.add(
                        ("models", model.name, part, f.name),
                        f"collides with the column {other!r}: column names ignore case",
                    )

    def _relation(self, model: Model, fk: str, spec: RelationSpec, several: bool) -> None:
        loc: Loc = ("models", model.name, "relations", fk)
        if spec.model not in self.models and spec.model not in self.specs:
            self.problems.add(loc + ("model",), f"there is no model named {spec.model!r}")
            return
        if spec.model not in self.models:
            return  # the target has problems of its own
        nullable = spec.on_delete is OnDelete.SET_NULL or spec.model == model.name
        existing = next((f for f in model.fields if f.name == fk), None)
        if existing is None:
            if fk in self.specs[model.name].fields:  # type: ignore[union-attr]
                return  # the field itself has problems
            if not naming.IDENTIFIER.match(fk) or naming.is_keyword(fk):
                self.problems.add(loc, "an FK field name is an identifier, not a Python keyword")
                return
            if (
                fk in RESERVED_FIELDS
                or fk in PYDANTIC_ATTRIBUTES
                or fk in CLASS_BODY_NAMES
                or fk == "id"
            ):
                self.problems.add(loc, f"{fk!r} is reserved")
                return
            existing = ModelField(name=fk, type=FieldType.INT, required=not nullable)
            model.fields.append(existing)
        elif existing.primary_key:
            self.problems.add(loc, "the primary key cannot be a foreign key")
            return
        elif existing.type is not FieldType.INT:
            self.problems.add(
                ("models", model.name, "fields", fk, "type"), "a foreign key field must be int"
            )
            return
        if nullable and not existing.nullable:
            existing.nullable = True
            existing.required = False
        existing.index = True
        relation = Relation(
            child=model.name,
            fk=fk,
            parent=spec.model,
            on_delete=spec.on_delete,
            nullable=existing.nullable,
            attribute=naming.relationship_name(fk),
            back_populates=spec.back_populates or _default_back_populates(model, fk, spec),
            several_to_parent=several,
        )
        existing.relation = relation
        model.relations.append(relation)
        self.models[spec.model].children.append(relation)

    def _check_relation_names(self) -> None:
        for model in self.models.values():
            taken: dict[str, str] = {f.name: f"the field {f.name!r}" for f in model.fields}
            if model.is_user_model:
                taken["role"] = "the role field"
            for relation in model.relations:
                loc: Loc = ("models", model.name, "relations", relation.fk)
                name = relation.attribute
                if name in CLASS_BODY_NAMES - {"list"}:  # list[...] is printed before it
                    self.problems.add(
                        loc,
                        f"its relationship attribute {name!r} would shadow a name the generated"
                        " code uses; rename the field",
                    )
                elif name in taken:
                    self.problems.add(
                        loc,
                        f"its relationship attribute {name!r} collides with {taken[name]}",
                    )
                else:
                    taken[name] = f"the relationship of {relation.fk!r}"
            for relation in model.children:
                loc = ("models", relation.child, "relations", relation.fk, "back_populates")
                name = relation.back_populates
                if not naming.IDENTIFIER.match(name) or naming.is_keyword(name):
                    self.problems.add(loc, "must be an identifier, not a Python keyword")
                elif name in CLASS_BODY_NAMES:
                    self.problems.add(loc, f"{name!r} would shadow a name the generated code uses")
                elif name in taken:
                    hint = (
                        "; two relations to the same model need distinct back_populates"
                        if relation.several_to_parent
                        else ""
                    )
                    self.problems.add(
                        loc,
                        f"{name!r} on {model.name} collides with {taken[name]}{hint}",
                    )
                else:
                    taken[name] = f"the back_populates of {relation.child}.{relation.fk}"

    def _check_required_cycles(self) -> None:
        """Refuse models that can never get a first row: a cycle of NOT NULL FKs."""
        graph = {
            m.name: [r.parent for r in m.relations if not r.nullable] for m in self.models.values()
        }
        reported: set[frozenset[str]] = set()

        def walk(start: str, node: str, trail: list[str]) -> Iterator[list[str]]:
            for parent in graph.get(node, []):
                if parent == start:
                    yield trail + [parent]
                elif parent not in trail:
                    yield from walk(start, parent, trail + [parent])

        for name in graph:
            for cycle in walk(name, name, [name]):
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    self.problems.add(
                        ("models", name, "relations"),
                        "required foreign keys form a cycle ("
                        + " -> ".join(cycle)
                        + "): no row could ever be created; make one of them nullable"
                        " (on_delete: set_null)",
                    )

    # -- permissions --------------------------------------------------------------

    def _levels(self, user_model: str) -> None:
        for name in self.apis:
            if name not in self.specs:
                self.problems.add(("apis", name), f"there is no model named {name!r}")
        for model in self.models.values():
            if model.builtin:
                model.levels = {action: Level.OFF for action in CRUD_ACTIONS}
                continue
            given = self.apis.get(model.name, {})
            read = given.get("read", Level.ADMIN)
            model.levels = {
                "create": given.get("create", Level.ADMIN),
                "list": given.get("list", read),
                "detail": given.get("detail", read),
                "update": given.get("update", Level.ADMIN),
                "delete": given.get("delete", Level.ADMIN),
            }

    def _owners(self, user_model: str) -> None:
        declared: dict[str, str] = {}
        for model in self.models.values():
            spec = self.specs.get(model.name)
            owner = spec.owner if spec is not None else None
            loc: Loc = ("models", model.name, "owner")
            if model.name == user_model:
                if owner is not None:
                    self.problems.add(
                        loc, "the user model owns itself: each user owns their own record"
                    )
                model.owner_field = "id"
            elif isinstance(owner, str):
                relation = next((r for r in model.relations if r.fk == owner), None)
                if relation is None:
                    self.problems.add(
                        loc,
                        f"{owner!r} is not a foreign key of {model.name}; name one to the user "
                        f"model {user_model} or to a model that has an owner",
                    )
                else:
                    declared[model.name] = owner
            elif owner is None:
                to_user = [r for r in model.relations if r.parent == user_model]
                if len(to_user) == 1:
                    model.owner_field = to_user[0].fk
        for name, fk in declared.items():
            self._owner_through(self.models[name], fk, user_model)
        for model in self.models.values():
            if Level.OWNER in model.levels.values() and model.owner_field is None:
                self._owner_level_without_owner(model, user_model)

    def _owner_through(self, model: Model, fk: str, user_model: str) -> None:
        """Follow `owner: fk` up to the user model: at most 3 foreign keys, no cycle."""
        relation = next(r for r in model.relations if r.fk == fk)
        chain = [model.name]
        current = relation
        while current.parent != user_model:
            parent = self.models[current.parent]
            spec = self.specs.get(parent.name)
            owner = spec.owner if spec is not None else None
            if parent.name in chain:
                self.problems.add(
                    ("models", model.name, "owner"),
                    f"ownership goes round in a circle: {' -> '.join(chain + [parent.name])}",
                )
                return
            chain.append(parent.name)
            if parent.owner_field is None and not isinstance(owner, str):
                self.problems.add(
                    ("models", model.name, "owner"),
                    f"{fk!r} points at {relation.parent}, which has no owner: give "
                    f"{parent.name} an owner, or name an FK to the user model {user_model}",
                )
                return
            parent_fk = owner if isinstance(owner, str) else parent.owner_field
            next_relation = next((r for r in parent.relations if r.fk == parent_fk), None)
            if next_relation is None:
                return  # the parent's own owner is refused with its path
            current = next_relation
        if len(chain) > 3:
            self.problems.add(
                ("models", model.name, "owner"),
                f"ownership may go through at most 3 foreign keys; {fk!r} needs "
                f"{len(chain)}: {' -> '.join(chain + [user_model])}",
            )
            return
        model.owner_field = fk
        model.owner_parent = None if relation.parent == user_model else relation.parent

    def _owner_level_without_owner(self, model: Model, user_model: str) -> None:
        spec = self.specs.get(model.name)
        to_user = [r for r in model.relations if r.parent == user_model]
        if spec is not None and spec.owner is False:
            reason = "the model says owner: false"
        elif spec is not None and isinstance(spec.owner, str):
            return  # the owner itself is refused with its path
        elif len(to_user) > 1:
            reason = "it has several foreign keys to the user model; name one with owner:"
        else:
            reason = f"it has no foreign key to the user model {user_model}; name one with owner:"
        for action in [a for a, level in model.levels.items() if level is Level.OWNER]:
            self.problems.add(
                ("apis", model.name, _declared_action(self.apis, model.name, action)),
                f"the owner level needs an owner, but {reason}",
            )


def _declared_action(apis: dict[str, dict[str, Level]], model: str, action: str) -> str:
    given = apis.get(model, {})
    if action in given or action not in ("list", "detail"):
        return action
    return "read"


def _default_back_populates(model: Model, fk: str, spec: RelationSpec) -> str:
    """The children's name on the parent: the child's plural (`user.posts`).

    A self-relation of an uncountable model (Series.series_id) would name both sides
    `series`; its children become `series_list` instead.
    """
    if spec.model == model.name and model.plural == naming.relationship_name(fk):
        return f"{model.plural}_list"
    return model.plural


def _too_long(identifier: str) -> bool:
    return len(identifier.encode()) > POSTGRES_IDENTIFIER_BYTES


def _length_message(kind: str, name: str) -> str:
    shown = name if len(name) <= 80 else name[:77] + "..."
    return (
        f"the {kind} {shown!r} would be {len(name.encode())} bytes long; PostgreSQL "
        f"allows {POSTGRES_IDENTIFIER_BYTES}: shorten the name"
    )


def _constraint_name(table: str, fields: list[str]) -> str:
    """The name of a unique constraint over several fields (see database.py)."""
    return f"uq_{table}_{'_'.join(fields)}"


def enum_member(value: str) -> str:
    """The StrEnum member that holds an enum value: `in-progress` -> in_progress."""
    member = value.replace("-", "_")
    return f"{member}_" if naming.is_keyword(member) else member
