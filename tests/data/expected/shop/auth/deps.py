"""Who is calling: the dependencies that enforce each permission level.

public  no dependency
auth    RequireUser
owner   CurrentUser, and the record's owner checked
admin   RequireAdmin
"""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from auth.security import read_access_token
from database import SessionDep
from models.customer import Customer, Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token", auto_error=False)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_optional_user(
    session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> Customer | None:
    """The caller, or None without a token; a bad token is refused, never ignored."""
    if token is None:
        return None
    user_id = read_access_token(token)
    # Loaded on every request, so a deleted user's token stops working at once.
    user = session.get(Customer, user_id) if user_id is not None else None
    if user is None:
        raise _unauthorized("Invalid or expired token")
    return user


OptionalUser = Annotated[Customer | None, Depends(get_optional_user)]


# The checks below do no I/O, so they are async: no threadpool round trip per request.
async def get_current_user(user: OptionalUser) -> Customer:
    if user is None:
        raise _unauthorized("Not authenticated")
    return user


CurrentUser = Annotated[Customer, Depends(get_current_user)]
RequireUser = Depends(get_current_user)


async def get_admin_user(user: CurrentUser) -> Customer:
    if not user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Admins only")
    return user


RequireAdmin = Depends(get_admin_user)


def ensure_owner(user: Customer, owner_id: int | None) -> None:
    """Admins pass; anyone else must own the record."""
    if not user.is_admin and owner_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "You do not own this record")


def owner_of_new_record(user: Customer, owner_id: int | None) -> int:
    """The owner of a record being created: the caller, unless an admin names another."""
    if owner_id is None:
        return user.id
    ensure_can_assign_owner(user, owner_id)
    return owner_id


def ensure_can_assign_owner(user: Customer, owner_id: int | None) -> None:
    if owner_id != user.id and not user.is_admin:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "Only an admin can assign another owner"
        )


def ensure_can_set_role(user: Customer | None, role: Role | None) -> None:
    if role is not None and (user is None or not user.is_admin):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only an admin can set a role")
