"""The whitelist of field types: their spellings, and how each one is checked."""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from typing import Any

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
DEFAULT_STRING_LENGTH = 255
# A JSON number with an exponent (1e-05, 1e+308, as json.dump writes them): YAML 1.1, which
# reads Copier's --data-file, wants a dot and a signed exponent, so it leaves these strings.
EXPONENT_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?[eE][-+]?[0-9]+")


class FieldType(StrEnum):
    INT = "int"
    FLOAT = "float"
    STRING = "string"
    TEXT = "text"
    BOOL = "bool"
    DATETIME = "datetime"
    DATE = "date"

    @property
    def is_textual(self) -> bool:
        return self in (FieldType.STRING, FieldType.TEXT)

    @property
    def is_numeric(self) -> bool:
        return self in (FieldType.INT, FieldType.FLOAT)


ALIASES: dict[str, FieldType] = {
    "int": FieldType.INT,
    "integer": FieldType.INT,
    "float": FieldType.FLOAT,
    "string": FieldType.STRING,
    "str": FieldType.STRING,
    "text": FieldType.TEXT,
    "bool": FieldType.BOOL,
    "boolean": FieldType.BOOL,
    "datetime": FieldType.DATETIME,
    "date": FieldType.DATE,
}


def parse_type(spelling: str) -> FieldType:
    """A type from any of its case-insensitive spellings; ValueError for anything else."""
    try:
        return ALIASES[spelling.strip().lower()]
    except KeyError:
        allowed = ", ".join(sorted(ALIASES))
        raise ValueError(f"unknown type {spelling!r}; expected one of: {allowed}") from None


def coerce_value(type_: FieldType, value: Any) -> Any:
    """A schema value (a default) as the Python value of `type_`; ValueError when it is not one."""
    if value is None:
        return None
    match type_:
        case FieldType.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{value!r} is not an integer")
            if not INT64_MIN <= value <= INT64_MAX:
                raise ValueError(f"{value} is outside the signed 64-bit range")
            return value
        case FieldType.FLOAT:
            if isinstance(value, str) and EXPONENT_NUMBER.fullmatch(value):
                value = float(value)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{value!r} is not a number")
            if not math.isfinite(value):
                raise ValueError(f"{value!r} is not a finite number")
            return float(value)
        case FieldType.STRING | FieldType.TEXT:
            if not isinstance(value, str):
                raise ValueError(f"{value!r} is not a string")
            if "\x00" in value:
                raise ValueError("strings may not contain the NUL character")
            return value
        case FieldType.BOOL:
            if not isinstance(value, bool):
                raise ValueError(f"{value!r} is not true or false")
            return value
        case FieldType.DATETIME:
            if isinstance(value, str):
                try:
                    value = dt.datetime.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{value!r} is not an ISO 8601 datetime") from None
            if not isinstance(value, dt.datetime):
                raise ValueError(f"{value!r} is not a datetime")
            if value.tzinfo is None:
                return value.replace(tzinfo=dt.UTC)
            return value.astimezone(dt.UTC)
        case FieldType.DATE:
            if isinstance(value, dt.datetime):
                raise ValueError(f"{value!r} is a datetime, not a date")
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    raise ValueError(f"{value!r} is not an ISO 8601 date") from None
            if not isinstance(value, dt.date):
                raise ValueError(f"{value!r} is not a date")
            return value


def zero_value(type_: FieldType) -> Any:
    """What a new required column without a default holds in existing rows."""
    return {
        FieldType.INT: 0,
        FieldType.FLOAT: 0.0,
        FieldType.STRING: "",
        FieldType.TEXT: "",
        FieldType.BOOL: False,
        FieldType.DATETIME: dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        FieldType.DATE: dt.date(1970, 1, 1),
    }[type_]
