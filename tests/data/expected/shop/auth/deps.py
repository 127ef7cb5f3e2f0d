"""Who is calling: the dependencies that enforce each permission level.

public  no dependency
auth    RequireUser
owner   CurrentUser, and the record's owner checked (auth/ownership.py)
admin   RequireAdmin
"""

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

from auth.security import password_stamp, read_access_token
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
    claims = read_access_token(token)
    if claims is None:
        raise _unauthorized("Invalid or expired token")
    # Loaded on every request, so the token of a deleted user, or one issued before the
    # password changed, stops working at once.
    user = session.get(Customer, claims.user_id)
    if user is None or not hmac.compare_digest(
        claims.password_stamp, password_stamp(user.secret_hash)
    ):
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


AdminUser = Annotated[Customer, Depends(get_admin_user)]
RequireAdmin = Depends(get_admin_user)


def ensure_admin_sets(
    user: Customer | None, data: BaseModel, admin_only: tuple[str, ...]
) -> None:
    """Fields only an admin sets (admin_only): anyone else who sends one gets 403."""
    sent = [name for name in admin_only if name in data.model_fields_set]
    if sent and (user is None or not user.is_admin):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"Only an admin can set {', '.join(sent)}"
        )


def ensure_can_set_role(user: Customer | None, role: Role | None) -> None:
    if role is not None and (user is None or not user.is_admin):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only an admin can set a role")


def ensure_can_set_password(user: Customer | None) -> None:
    """Through the user routes only an admin sets a password; a user changes their own
    through PATCH /auth/me, with current_password (a stolen token alone cannot)."""
    if user is None or not user.is_admin:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Change your password through PATCH /auth/me, with current_password",
        )
