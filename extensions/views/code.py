"""Small pieces of generated code the views share."""

from __future__ import annotations

from dataclasses import dataclass

from ..imports import Imports
from ..schema import Import, py


@dataclass(frozen=True)
class Call:
    """`function(arguments)`: templates print its parts, black splits it where too long."""

    function: str
    arguments: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.function}({', '.join(self.arguments)})"


def collection(items: list[str], brackets: str = "()") -> str:
    """A tuple, list or dict literal on one line (a tuple of one gets its comma)."""
    body = f"{items[0]}," if brackets == "()" and len(items) == 1 else ", ".join(items)
    return f"{brackets[0]}{body}{brackets[1]}"


def literal_tuple(values: list[str]) -> str:
    """A tuple of string literals: ("a", "b")."""
    return py(tuple(values))


def render_imports(*groups: tuple[Import, ...] | list[Import]) -> str:
    """The import block for every Import in `groups`."""
    imports = Imports()
    for group in groups:
        for item in group:
            imports.add(item.module, *([item.name] if item.name else []))
    return imports.render()
