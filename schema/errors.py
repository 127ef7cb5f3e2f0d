"""Problems found in a project schema, and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a schema: where it is (`loc`) and what is wrong (`msg`)."""

    loc: Loc
    msg: str

    @property
    def path(self) -> str:
        return ".".join(str(part) for part in self.loc) or "(schema)"

    def __str__(self) -> str:
        return f"{self.path}: {self.msg}"

    def as_dict(self) -> dict[str, object]:
        return {"loc": list(self.loc), "msg": self.msg}


class SchemaError(ValueError):
    """A schema was refused; `problems` lists every reason, each with its path."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (tuple(map(str, p.loc)), p.msg))
        count = len(self.problems)
        lines = [f"The project schema has {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
