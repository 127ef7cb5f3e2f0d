"""The types of list operators and of embedded records."""

from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field

T = TypeVar("T")
MAX_VALUES = 100


def _split_commas(value: Any) -> Any:
    """`a,b,c` → ["a", "b", "c"]; a repeated parameter arrives as a list: each is split."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return value
    items = [item for part in value for item in str(part).split(",")]
    if "" in items:
        raise ValueError("values are separated by commas, none empty: a,b,c")
    return items


# `?field__in=a,b,c`: one to MAX_VALUES values.
CommaList = Annotated[
    list[T], BeforeValidator(_split_commas), Field(min_length=1, max_length=MAX_VALUES)
]


def embedded() -> Any:
    """A related record that `?expand=` embeds; absent from the output unless asked for.

    No database record has an attribute of this alias, so reading a record never loads the
    relation (that would be a query per row): crud/queries.py embeds what was asked for.
    """
    return Field(None, validation_alias="(embedded)")
