"""Whose records are whose: for each owned model, the rows a user owns."""

from collections.abc import Callable

from sqlalchemy import ColumnElement

from database import Base
from models.post import Post
from models.user import User

# Ids start at 1: the owner id of a caller without a token, who owns nothing.
NOBODY = 0


def user_owned_by(user_id: int) -> ColumnElement[bool]:
    # Each user owns their own record.
    return User.id == user_id


def post_owned_by(user_id: int) -> ColumnElement[bool]:
    return Post.user_id == user_id


# The owned models whose records a body's foreign key may name only when they are the
# caller's (the user model aside: pointing at another user is allowed).
OWNED_BY: dict[type[Base], Callable[[int], ColumnElement[bool]]] = {
    Post: post_owned_by,
}
