"""Import blocks for generated modules, sorted the way ruff's isort rules expect."""

from __future__ import annotations

import re
import sys
from collections import defaultdict

from .schema import Code

STDLIB = set(sys.stdlib_module_names)
FIRST_PARTY = {
    "auth",
    "config",
    "crud",
    "database",
    "errors",
    "main",
    "models",
    "routers",
    "schemas",
    "tests",
}


def natural_key(name: str) -> list[int | str]:
    """Sort `mm2` before `mm10`, as ruff's isort does."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _member_key(name: str) -> tuple[int, list[int | str], list[int | str]]:
    # isort's order_by_type: CONSTANTS, then Classes, then functions and variables; within
    # each, ruff compares names case-insensitively first (Username before UTCDateTime).
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, natural_key(name.lower()), natural_key(name))


class Imports:
    def __init__(self) -> None:
        self._from: dict[str, set[str]] = defaultdict(set)
        self._plain: set[str] = set()

    def add(self, module: str, *names: str) -> Imports:
        if names:
            self._from[module].update(names)
        else:
            self._plain.add(module)
        return self

    def _section(self, module: str) -> int:
        root = module.split()[0].split(".")[0]
        if root in STDLIB:
            return 0
        if root in FIRST_PARTY:
            return 2
        return 1

    def need(self, code: Code) -> str:
        """Add what `code` imports; its text, for the line being built."""
        for item in code.imports:
            self.add(item.module, *([item.name] if item.name else []))
        return code.text

    def render(self) -> str:
        sections: list[list[str]] = [[], [], []]
        plain_by_section: list[list[str]] = [[], [], []]
        for module in sorted(self._plain, key=natural_key):
            plain_by_section[self._section(module)].append(f"import {module}")
        for module in sorted(self._from, key=natural_key):
            names = sorted(self._from[module], key=_member_key)
            # one line; black splits it where it is too long
            sections[self._section(module)].append(f"from {module} import {', '.join(names)}")
        blocks = [plain + froms for plain, froms in zip(plain_by_section, sections, strict=True)]
        return "\n\n".join("\n".join(block) for block in blocks if block)


def import_from(module: str, *names: str) -> str:
    """One `from module import a, B` line, its names in isort's order (a template global)."""
    return Imports().add(module, *names).render()
