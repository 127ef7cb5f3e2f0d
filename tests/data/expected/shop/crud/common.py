"""Helpers every model's data access shares."""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from database import Base
from errors import ReferenceNotFound
from schemas.common import ListParams

ModelT = TypeVar("ModelT", bound=Base)
LIST_PARAMETERS = {"limit", "offset", "sort"}  # the rest of a ListParams are filters


def paginate(
    session: Session, model: type[ModelT], params: ListParams, **only: Any
) -> tuple[list[ModelT], int]:
    """One page of rows and the total count: two queries, whatever the page size.

    `only` narrows the rows beyond the client's filters (a non-admin's own records).
    """
    filters = {**params.model_dump(exclude=LIST_PARAMETERS, exclude_none=True), **only}
    total = session.scalar(select(func.count()).select_from(model).filter_by(**filters))
    rows = session.scalars(
        select(model)
        .filter_by(**filters)
        .order_by(*order_by(model, params.sort))
        .limit(params.limit)
        .offset(params.offset)
    ).all()  # fetched at once: faster than row by row
    return list(rows), total or 0


def order_by(model: type[Base], sort: str | None) -> list[ColumnElement[Any]]:
    """The columns of `sort` ("title,-created_at"), then the id, so pages are stable."""
    columns: list[ColumnElement[Any]] = []
    for name in (sort or "").split(","):
        name = name.strip()
        if name:
            column = getattr(model, name.removeprefix("-"))
            columns.append(column.desc() if name.startswith("-") else column.asc())
    columns.append(model.id.asc())
    return columns


def check_references(
    session: Session, values: dict[str, Any], references: dict[str, type[Base]]
) -> None:
    """Refuse a write whose foreign keys name records that do not exist."""
    for field, model in references.items():
        value = values.get(field)
        if value is not None and session.get(model, value) is None:
            raise ReferenceNotFound(field, value)
