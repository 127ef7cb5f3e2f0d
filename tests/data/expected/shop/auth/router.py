"""Auth routes: register, log in (OAuth2 password form), and one's own record."""

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status
from pydantic import BaseModel
from sqlalchemy import select

import crud.customer
from auth.deps import CurrentUser, ensure_admin_sets
from auth.rate_limit import ClientRateLimit, ensure_login_allowed, record_failed_login
from auth.security import create_access_token, verify_password
from database import SessionDep
from errors import error_responses
from models.customer import Customer
from schemas.common import Username
from schemas.customer import (
    CustomerCreate,
    CustomerMeUpdate,
    CustomerRead,
    CustomerRegister,
)

router = APIRouter(prefix="/auth", tags=["auth"])


class LoginForm(BaseModel):
    """The OAuth2 password form, as /docs' Authorize button sends it."""

    username: Username
    password: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post(
    "/register",
    response_model=CustomerRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 403, 409, 413, 429),
    dependencies=[ClientRateLimit],
)
def register(data: CustomerRegister, session: SessionDep) -> Customer:
    """Create an account; its role is always `user`."""
    ensure_admin_sets(None, data, ("loyalty_points",))
    return crud.customer.create_customer(session, CustomerCreate(**data.model_dump()))


@router.post(
    "/token",
    responses=error_responses(400, 401, 413, 429),
    dependencies=[ClientRateLimit],
)
def login(
    form: Annotated[LoginForm, Form()], request: Request, session: SessionDep
) -> Token:
    """Exchange a username (login) and password for a bearer token."""
    ensure_login_allowed(request, form.username)
    user = session.scalar(select(Customer).filter_by(login=form.username))
    # Verified even for an unknown username (against a dummy hash): both fail as slowly.
    verified = verify_password(form.password, user.secret_hash if user else None)
    if user is None or not verified:
        record_failed_login(request, form.username)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(user))


@router.get("/me", response_model=CustomerRead, responses=error_responses(401))
def read_me(current_user: CurrentUser) -> Customer:
    return current_user


@router.patch(
    "/me",
    response_model=CustomerRead,
    responses=error_responses(400, 401, 403, 409, 413, 429),
)
def update_me(
    data: CustomerMeUpdate,
    request: Request,
    current_user: CurrentUser,
    session: SessionDep,
) -> Customer:
    """Change one's own fields, and one's password with `current_password`; never one's role.

    A new password ends every token issued before it, this one included: log in again.
    """
    ensure_admin_sets(current_user, data, ("loyalty_points",))
    if "secret_hash" in data.model_fields_set:
        ensure_current_password(request, current_user, data.current_password)
    return crud.customer.update_customer(session, current_user, data)


def ensure_current_password(
    request: Request, user: Customer, current_password: str | None
) -> None:
    """A stolen token alone cannot change the password; guesses count as failed logins."""
    ensure_login_allowed(request, user.login)
    if current_password is None or not verify_password(
        current_password, user.secret_hash
    ):
        record_failed_login(request, user.login)
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "current_password is missing or wrong"
        )
