"""Naming rules: one place that turns a model name into its module, table, URL and plural."""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable
from functools import cache
from typing import Any

import typeguard


def _import_inflect() -> Any:
    """inflect, without the typeguard instrumentation it applies at import.

    Instrumenting re-parses inflect's source: 1.5 s of every `copier copy`, against 0.1 s
    without. Its checks guard inflect's own arguments; this module passes plain strings.
    Running Python with -O skips them the same way.
    """
    if "inflect" in sys.modules:
        return sys.modules["inflect"]
    instrument = typeguard.typechecked

    def as_is(target: Callable[..., Any] | None = None, **_: Any) -> Any:
        return target if target is not None else (lambda function: function)

    typeguard.typechecked = as_is  # type: ignore[assignment]
    try:
        import inflect
    finally:
        typeguard.typechecked = instrument
    return inflect


_inflect = _import_inflect().engine()

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
PASCAL_CASE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
TABLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
URL_PATH = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_WORD_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY_2 = re.compile(r"([a-z0-9])([A-Z])")


@cache
def snake_case(name: str) -> str:
    """`BlogPost` -> `blog_post`, `HTTPRequest` -> `http_request`, `user_id` unchanged."""
    name = _WORD_BOUNDARY_1.sub(r"\1_\2", name)
    name = _WORD_BOUNDARY_2.sub(r"\1_\2", name)
    return re.sub(r"_+", "_", name).lower()


def kebab_case(name: str) -> str:
    return snake_case(name).replace("_", "-")


# inflect reads these as pronouns (I -> we); as model names they are nouns.
_PRONOUNS = {"i", "me", "my", "he", "him", "she", "her", "it", "we", "us", "they", "them", "you"}


@cache
def plural(snake: str) -> str:
    """Plural of a snake_case name, inflecting its last word: `blog_post` -> `blog_posts`."""
    head, _, last = snake.rpartition("_")
    if last in _PRONOUNS:
        word = last + "s"
    else:
        word = _inflect.plural_noun(last) or last  # type: ignore[arg-type]
    return f"{head}_{word}" if head else word


def is_keyword(name: str) -> bool:
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def relationship_name(fk_field: str) -> str:
    """The attribute that holds the related record of an FK: `author_id` -> `author`."""
    for suffix in ("_id", "Id"):
        if fk_field.endswith(suffix) and len(fk_field) > len(suffix):
            return fk_field[: -len(suffix)]
    return f"{fk_field}_record"


def pascal_case(name: str) -> str:
    """`due_date` -> DueDate, `dueDate` -> DueDate."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)
