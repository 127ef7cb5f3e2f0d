"""Accounts: register, and log in for a bearer token. Logging out is the client forgetting it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..deps import SessionDep, SettingsDep
from ..models import User
from ..security import create_token, hash_password, verify_password
from ..text import clean_text

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _email(value: str) -> str:
    value = value.strip().lower()
    local, at, domain = value.partition("@")
    if not (local and at and domain) or any(c.isspace() for c in value):
        raise ValueError("an e-mail address looks like name@example.com")
    return value


Email = Annotated[str, Field(max_length=320), AfterValidator(clean_text), AfterValidator(_email)]
Password = Annotated[str, Field(min_length=8, max_length=256), AfterValidator(clean_text)]


class Registration(BaseModel):
    email: Email
    password: Password


class Account(BaseModel):
    id: int
    email: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(body: Registration, session: SessionDep) -> Account:
    user = User(email=body.email, password_hash=hash_password(body.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail="That e-mail is registered") from None
    return Account(id=user.id, email=user.email)


@router.post("/token")
def log_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    email = form.username.strip().lower()
    user = None
    if "\x00" not in email and len(email) <= 320:
        user = session.scalar(select(User).where(User.email == email))
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Wrong e-mail or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = create_token(user.id, request.app.state.secret_key, settings.token_expire_minutes)
    return Token(access_token=token)
