"""What a list's query parameters select, and the related records `?expand=` embeds.

- `field=value`, `field__gt=`, ..., `field__isnull=`: one condition each (OPERATORS).
- `q=`: a case-insensitive substring of any of the model's search fields.
- `expand=`: one query per relation loads the records a whole page points at.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import ColumnElement, inspect, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from database import Base
from schemas.common import ListParams

ReadT = TypeVar("ReadT", bound=BaseModel)
Column = InstrumentedAttribute[Any]

# The list parameters that filter no field (`q` is handled on its own).
NOT_FILTERS = {"limit", "offset", "sort", "expand"}
OPERATORS: dict[str, Callable[[Column, Any], ColumnElement[bool]]] = {
    "eq": lambda column, value: column == value,
    "gt": lambda column, value: column > value,
    "gte": lambda column, value: column >= value,
    "lt": lambda column, value: column < value,
    "lte": lambda column, value: column <= value,
    "in": lambda column, values: column.in_(values),
    # autoescape: a % or _ in the text matches itself, not any characters
    "icontains": lambda column, text: column.icontains(text, autoescape=True),
    "isnull": lambda column, null: column.is_(None) if null else column.is_not(None),
}


def conditions(
    model: type[Base], params: ListParams, search: Sequence[Column] = ()
) -> list[ColumnElement[bool]]:
    """The conditions a list's parameters set (`title__icontains=draft`: title ILIKE
    '%draft%'), and `q`'s over the `search` columns."""
    values = params.model_dump(exclude=NOT_FILTERS, exclude_none=True)
    text = values.pop("q", None)
    found = []
    for name, value in values.items():
        field, operator = field_and_operator(name)
        found.append(OPERATORS[operator](getattr(model, field), value))
    if text is not None:
        found.append(
            or_(*(column.icontains(text, autoescape=True) for column in search))
        )
    return found


def field_and_operator(parameter: str) -> tuple[str, str]:
    """`due__gte` → ("due", "gte"); `due` → ("due", "eq")."""
    field, separator, operator = parameter.rpartition("__")
    return (field, operator) if separator else (parameter, "eq")


@dataclass(frozen=True)
class Expansion:
    """A relation to embed: on each record, `relation` is the `target` its `foreign_key`
    names, in the target's Read `shape`; `nested`, the target's own relations to embed.
    """

    relation: str
    foreign_key: str
    target: type[Base]
    shape: type[BaseModel]
    # Only these records of the target are embedded (null for the others): the caller's own.
    only: ColumnElement[bool] | None = None
    nested: tuple["Expansion", ...] = ()


def embed(
    session: Session,
    shape: type[ReadT],
    records: Sequence[Base],
    expansions: Sequence[Expansion] = (),
) -> list[ReadT]:
    """The records in their Read `shape`, with the related records `expansions` name
    embedded: one query per relation, whatever the number of records."""
    shapes = _adapter(shape).validate_python(records, from_attributes=True)
    _embed(session, records, shapes, expansions)
    return shapes


def embed_one(
    session: Session, shape: type[ReadT], record: Base, expansions: Sequence[Expansion]
) -> ReadT:
    return embed(session, shape, [record], expansions)[0]


def _embed(
    session: Session,
    records: Sequence[Base],
    shapes: Sequence[BaseModel],
    expansions: Sequence[Expansion],
) -> None:
    for expansion in expansions:
        keys = [getattr(record, expansion.foreign_key) for record in records]
        wanted = {key for key in keys if key is not None}
        found: list[Any] = []
        if wanted:
            primary_key = inspect(expansion.target).primary_key[0]
            query = select(expansion.target).where(primary_key.in_(wanted))
            if expansion.only is not None:
                query = query.where(expansion.only)
            found = list(session.scalars(query))
        found_shapes = embed(session, expansion.shape, found, expansion.nested)
        by_key = {t.id: shape for t, shape in zip(found, found_shapes, strict=True)}
        for key, shape in zip(keys, shapes, strict=True):
            setattr(shape, expansion.relation, by_key.get(key))


@cache
def _adapter(shape: type[ReadT]) -> TypeAdapter[list[ReadT]]:
    return TypeAdapter(list[shape])  # type: ignore[valid-type]
