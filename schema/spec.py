"""The project schema as users write it: pydantic models of the file format.

These models check the *shape* of a schema (which keys, which value kinds). Rules
that span several parts of it (relation targets, name collisions, owners) live in
`project.py`, which turns a checked spec into the normalised `Project`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from .field_types import ALIASES, FieldType, parse_type


def _case_insensitive_pattern(words: list[str]) -> str:
    alternatives = ("".join(f"[{c.lower()}{c.upper()}]" for c in word) for word in words)
    return "^\\s*(?:" + "|".join(alternatives) + ")\\s*$"


def _parse_type(value: Any) -> Any:
    return parse_type(value) if isinstance(value, str) else value


TypeName = Annotated[
    FieldType,
    BeforeValidator(_parse_type),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": sorted(ALIASES)},
                {"type": "string", "pattern": _case_insensitive_pattern(sorted(ALIASES))},
            ],
            "description": "A field type (case-insensitive): " + ", ".join(sorted(ALIASES)),
        }
    ),
]


class Level(StrEnum):
    PUBLIC = "public"
    AUTH = "auth"
    OWNER = "owner"
    ADMIN = "admin"
    OFF = "off"


def _parse_level(value: Any) -> Any:
    # YAML 1.1 reads a bare `off` as false.
    if value is False:
        return Level.OFF
    if isinstance(value, str):
        return value.strip().lower()
    return value


LevelName = Annotated[
    Level,
    BeforeValidator(_parse_level),
    WithJsonSchema(
        {
            "anyOf": [{"enum": [level.value for level in Level]}, {"const": False}],
            "description": "Who may call the endpoint; off (or false) removes it.",
        }
    ),
]


class OnDelete(StrEnum):
    RESTRICT = "restrict"
    CASCADE = "cascade"
    SET_NULL = "set_null"


class Registration(StrEnum):
    OPEN = "open"
    OFF = "off"


def _parse_registration(value: Any) -> Any:
    return Registration.OFF if value is False else value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FieldSpec(_Spec):
    """A field in its long form; `title: string` is shorthand for `{type: string}`."""

    type: TypeName
    required: bool = Field(True, description="Must be sent on create (unless it has a default).")
    nullable: bool = Field(False, description="NULL allowed; null when absent on create.")
    unique: bool = False
    index: bool = False
    default: Any = Field(None, description="Value used when the field is absent on create.")
    min_length: Annotated[int, Field(ge=0)] | None = None
    max_length: Annotated[int, Field(ge=1)] | None = None
    ge: float | None = Field(
        None, allow_inf_nan=False, description="Smallest allowed value (numbers)."
    )
    le: float | None = Field(
        None, allow_inf_nan=False, description="Largest allowed value (numbers)."
    )
    description: str | None = None
    secret: bool = Field(
        False, description="Write-only: accepted on create/update, never returned."
    )
    admin_only: bool = Field(
        False, description="Only an admin may set it; returned like any field."
    )
    max_digits: Annotated[int, Field(ge=1, le=38)] | None = Field(
        None, description="decimal: digits in all (default 12)."
    )
    decimal_places: Annotated[int, Field(ge=0, le=38)] | None = Field(
        None, description="decimal: digits after the point (default 2)."
    )
    values: list[str] | None = Field(
        None,
        description=(
            "enum: the allowed values, 1 to 100 distinct strings of letters, digits, _ and -, "
            "each starting with a letter, at most 64 characters."
        ),
    )


class RelationSpec(_Spec):
    """A one-to-many relation: this model's FK field points at `model`."""

    model: str
    on_delete: OnDelete = OnDelete.RESTRICT
    back_populates: str | None = Field(
        None, description="Name of the list of children on the parent model."
    )


def _shorthand(key: str) -> Any:
    def expand(value: Any) -> Any:
        return {key: value} if isinstance(value, str) else value

    return expand


FieldEntry = Annotated[
    FieldSpec, BeforeValidator(_shorthand("type"), json_schema_input_type=TypeName | FieldSpec)
]
RelationEntry = Annotated[
    RelationSpec, BeforeValidator(_shorthand("model"), json_schema_input_type=str | RelationSpec)
]


class ModelSpec(_Spec):
    fields: dict[str, FieldEntry] = Field(default_factory=dict)
    relations: dict[str, RelationEntry] = Field(default_factory=dict)
    table: str | None = Field(None, description="Table name; default: snake_case plural.")
    path: str | None = Field(None, description="URL path; default: kebab-case plural.")
    timestamps: bool = Field(False, description="Add created_at and updated_at, set by the server.")
    unique_together: list[list[str]] = Field(
        default_factory=list,
        description="Groups of two or more fields whose values are unique together.",
    )
    search: list[str] = Field(
        default_factory=list, description="String, text or email fields that ?q= searches."
    )
    owner: str | Literal[False] | None = Field(
        None,
        description=(
            "The FK that says whose record this is: an FK to the user model, or to a model "
            "that has an owner itself (owned through a parent, up to 3 hops); false: no owner. "
            "Default: the model's only FK to the user model."
        ),
    )


Action = Literal["create", "read", "list", "detail", "update", "delete"]
ACTIONS: tuple[str, ...] = ("create", "read", "list", "detail", "update", "delete")


class AuthSpec(_Spec):
    user_model: str | None = Field(
        None, description="The model that holds users; default: the model named User."
    )
    username_field: str = "email"
    password_field: str = "password"
    token_expire_minutes: Annotated[int, Field(ge=1, le=525_600)] = 60
    registration: Annotated[Registration, BeforeValidator(_parse_registration)] = Registration.OPEN


def _none_as_empty(value: Any) -> Any:
    return {} if value is None else value


class ProjectSpec(_Spec):
    """A Backend Builder project schema."""

    model_config = ConfigDict(
        title="Backend Builder project schema",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    project_name: str | None = Field(None, description="Shown in the generated README.")
    models: dict[str, ModelSpec]
    apis: Annotated[dict[str, dict[Action, LevelName]], BeforeValidator(_none_as_empty)] = Field(
        default_factory=dict
    )
    auth: Annotated[AuthSpec, BeforeValidator(_none_as_empty)] = Field(default_factory=AuthSpec)
