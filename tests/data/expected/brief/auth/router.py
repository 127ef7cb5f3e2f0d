"""Auth routes: register, log in (OAuth2 password form), and one's own record."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import select

import crud.user
from auth.deps import CurrentUser
from auth.rate_limit import ClientRateLimit, ensure_login_allowed, record_failed_login
from auth.security import create_access_token, verify_password
from database import SessionDep
from errors import error_responses
from models.user import User
from schemas.user import UserCreate, UserMeUpdate, UserRead, UserRegister

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post(
    "/register",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 409, 429),
    dependencies=[ClientRateLimit],
)
def register(data: UserRegister, session: SessionDep) -> User:
    """Create an account; its role is always `user`."""
    return crud.user.create_user(session, UserCreate(**data.model_dump()))


@router.post(
    "/token", responses=error_responses(400, 401, 429), dependencies=[ClientRateLimit]
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep
) -> Token:
    """Exchange a username (email) and password for a bearer token."""
    ensure_login_allowed(form.username)
    user = session.scalar(select(User).filter_by(email=form.username))
    hashed = user.password if user is not None else None
    if user is None or not verify_password(form.password, hashed):
        record_failed_login(form.username)
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=create_access_token(user.id))


@router.get("/me", response_model=UserRead, responses=error_responses(401))
def read_me(current_user: CurrentUser) -> User:
    return current_user


@router.patch("/me", response_model=UserRead, responses=error_responses(400, 401, 409))
def update_me(
    data: UserMeUpdate, current_user: CurrentUser, session: SessionDep
) -> User:
    """Change one's own fields and password; never one's role."""
    return crud.user.update_user(session, current_user, data)
