"""Pieces of generated Python: a literal for a schema value, and code with the imports it needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, order=True)
class Import:
    """`import module` (no name; `datetime as dt` too) or `from module import name`."""

    module: str
    name: str | None = None


@dataclass(frozen=True)
class Code:
    """A piece of generated code (an annotation, an expression, a definition).

    `imports` are what it needs at the top of its file; `constants` name module-level
    definitions of tests/factories.py it uses (see field_types.SAMPLE_CONSTANTS).
    """

    text: str
    imports: tuple[Import, ...] = ()
    constants: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.text


DT = Import("datetime as dt")


def py(value: Any) -> str:
    """A Python literal for a schema value, quoted as black quotes it.

    Every schema string reaches generated code through here (Python's `repr`), so nothing
    from a schema is pasted into code unescaped.
    """
    if isinstance(value, str):
        literal = repr(value)
        if literal.startswith("'") and '"' not in value:
            return f'"{literal[1:-1]}"'
        return literal
    if isinstance(value, list):
        return f"[{', '.join(map(py, value))}]"
    if isinstance(value, tuple):
        return f"({py(value[0])},)" if len(value) == 1 else f"({', '.join(map(py, value))})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(key)}: {py(item)}" for key, item in value.items()) + "}"
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC)
        parts = [value.year, value.month, value.day, value.hour, value.minute, value.second]
        if value.microsecond:
            parts.append(value.microsecond)
        return f"dt.datetime({', '.join(map(str, parts))}, tzinfo=dt.UTC)"
    if isinstance(value, dt.date):
        return f"dt.date({value.year}, {value.month}, {value.day})"
    return repr(value)


def literal(value: Any) -> Code:
    """`py(value)` with the import it needs (a date is written `dt.date(...)`)."""
    if isinstance(value, Decimal):
        return Code(f'Decimal("{value}")', (Import("decimal", "Decimal"),))
    return Code(py(value), (DT,) if isinstance(value, dt.date) else ())
