"""Whose record is whose, as the routers enforce it.

- The owner of a new record comes from the token: a caller who names someone else gets 403;
  only an admin creates records for others.
- A non-admin never gives a record to another owner, nor takes one (403).
- A record a caller does not own answers 404, as an unknown id would (crud.ownership).
"""

from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session

from crud.ownership import NOBODY
from models.customer import Customer


def owner_scope(user: Customer | None) -> int | None:
    """Whose records a caller may reach: everyone's for an admin (None), else their own."""
    if user is None:
        return NOBODY
    return None if user.is_admin else user.id


def owner_of_new_record(user: Customer, owner_id: int | None, field: str) -> int:
    """The owner of a record being created: the caller, unless an admin names another."""
    if owner_id is None:
        return user.id
    if owner_id != user.id and not user.is_admin:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"{field} must be your own id: only an admin creates records for others",
        )
    return owner_id


def ensure_owner_kept(
    session: Session,
    user: Customer | None,
    field: str,
    owner_id: int | None,
    current: int | None,
) -> None:
    """A non-admin may not change the foreign key that says whose record this is.

    An id that names no user is left to the reference check: 422, as any unknown id.
    """
    if owner_id == current or (user is not None and user.is_admin):
        return
    if owner_id is not None and session.get(Customer, owner_id) is None:
        return
    raise HTTPException(
        status.HTTP_403_FORBIDDEN,
        f"Only an admin can change {field}: it says whose record this is",
    )


def ensure_moved_by_owner(field: str, record_is_yours: bool) -> None:
    """Moving a record owned through its parent: only its owner may (or an admin)."""
    if not record_is_yours:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"Only an admin can change {field} of a record that is not yours",
        )


def missing_owner(field: str) -> RequestValidationError:
    """A create without a token must name the owner, like any required field."""
    return RequestValidationError(
        [
            {
                "type": "missing",
                "loc": ("body", field),
                "msg": "Field required",
                "input": None,
            }
        ]
    )
