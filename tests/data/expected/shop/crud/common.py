"""Helpers every model's data access shares."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from crud.ownership import OWNED_BY
from crud.queries import Column, conditions
from database import Base
from errors import RecordInUse, ReferenceNotFound
from schemas.common import ListParams

ModelT = TypeVar("ModelT", bound=Base)


def paginate(
    session: Session,
    model: type[ModelT],
    params: ListParams,
    *only: ColumnElement[bool],
    search: Sequence[Column] = (),
) -> tuple[list[ModelT], int]:
    """One page of rows and the total count: two queries, whatever the page size.

    `only` narrows the rows before the client's filters apply (a non-admin's own records);
    `search` are the columns `q` searches.
    """
    where = [*only, *conditions(model, params, search)]
    total = session.scalar(select(func.count()).select_from(model).where(*where))
    rows = session.scalars(
        select(model)
        .where(*where)
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
    columns.append(model.__table__.c.id.asc())
    return columns


def check_references(
    session: Session,
    values: dict[str, Any],
    references: Mapping[str, type[Base]],
    owner_id: int | None = None,
) -> None:
    """Refuse a write whose foreign keys name records that do not exist.

    With `owner_id` (a caller who is not an admin), a key that names an owned record must
    name one of theirs; another's answers exactly as a missing one, so ids cannot be probed.
    """
    for field, model in references.items():
        value = values.get(field)
        if value is None:
            continue
        if owner_id is not None and model in OWNED_BY:
            query = select(model).filter_by(id=value).where(OWNED_BY[model](owner_id))
            found = session.scalars(query.limit(1)).first() is not None
        else:
            found = session.get(model, value) is not None
        if not found:
            raise ReferenceNotFound(field, value)


def delete_record(
    session: Session,
    model: type[Base],
    record_id: int,
    referred_by: Sequence[InstrumentedAttribute[Any]] = (),
) -> None:
    """Delete one row and leave `on_delete` to the database.

    A plain DELETE: the ORM would load the children first, and cannot order the deletion
    of a row that refers to itself. When rows still refer to this one (`referred_by`, the
    foreign keys that restrict its deletion), the 409 names their model.
    """
    try:
        session.execute(delete(model).filter_by(id=record_id))
        session.commit()
    except IntegrityError:
        session.rollback()
        for fk in referred_by:
            if (
                session.scalars(select(fk).where(fk == record_id).limit(1)).first()
                is not None
            ):
                raise RecordInUse(fk.class_.__name__) from None
        raise
