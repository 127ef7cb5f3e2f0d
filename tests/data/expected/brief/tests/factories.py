"""Valid records and request bodies for every model, each one distinct."""

import itertools
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from auth.security import hash_password
from models.post import Post
from models.user import Role, User
from schemas.post import PostCreate
from schemas.user import UserCreate

# Each model numbers its own records: a unique field with few values (a bool) takes them in
# turn, even when making a record makes its parents first.
_numbers: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
# Hashing with argon2 is slow by design: test users share one hash of PASSWORD.
PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)


def text_value(name: str, n: int, shortest: int, longest: int) -> str:
    value = f"{name}-{n}"[-longest:]
    return value.ljust(shortest, "x")


def user_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /users; `owner` owns what it refers to."""
    n = next(_numbers["User"])
    payload: dict[str, Any] = {
        "email": text_value("email", n, 1, 255),
        "password": text_value("password", n, 8, 60),
    }
    return {**payload, **overrides}


def make_user(session: Session, owner: int | None = None, /, **overrides: Any) -> User:
    """A user in the database; `owner` owns it and what it refers to."""
    data = UserCreate(**user_payload(session, owner, **overrides))
    values = {
        **data.model_dump(),
        "password": PASSWORD_HASH,
        "role": data.role or Role.user,
    }
    user = User(**values)
    session.add(user)
    session.commit()
    return user


def post_payload(
    session: Session, owner: int | None = None, /, **overrides: Any
) -> dict[str, Any]:
    """A valid JSON body for POST /posts; `owner` owns what it refers to."""
    n = next(_numbers["Post"])
    payload: dict[str, Any] = {
        "title": text_value("title", n, 1, 255),
        "content": text_value("content", n, 1, 255),
    }
    if "user_id" not in overrides:
        payload["user_id"] = make_user(session).id if owner is None else owner
    return {**payload, **overrides}


def make_post(session: Session, owner: int | None = None, /, **overrides: Any) -> Post:
    """A post in the database; `owner` owns it and what it refers to."""
    data = PostCreate(**post_payload(session, owner, **overrides))
    post = Post(**data.model_dump())
    session.add(post)
    session.commit()
    return post
