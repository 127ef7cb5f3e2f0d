"""What the tests know of each model with routes: where it lives, who may call what,
and how to make valid (and invalid) records of it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.factories import make_post, make_user, post_payload, user_payload


@dataclass(frozen=True)
class Resource:
    name: str
    url: str
    levels: dict[str, str]  # the generated endpoints and their permission levels
    owner_field: str | None  # "id" on the user model; a parent's FK when owned_through
    make: Callable[..., Any]
    payload: Callable[..., dict[str, Any]]
    required: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    invalid: tuple[tuple[str, Any], ...] = ()
    secret: tuple[str, ...] = ()
    datetimes: tuple[str, ...] = ()
    update_field: str | None = None
    filter_field: str | None = None
    # children whose foreign key refuses the deletion of a record they refer to
    restricting: tuple[tuple[Callable[..., Any], str], ...] = ()
    self_references: tuple[str, ...] = ()  # foreign keys to the same model
    unique_together: tuple[tuple[str, ...], ...] = ()  # fields unique as a group
    admin_only: tuple[
        tuple[str, Any], ...
    ] = ()  # fields only an admin sets, a valid value
    emails: tuple[str, ...] = ()  # e-mail fields: stored trimmed and lower-cased
    decimals: tuple[tuple[str, int], ...] = ()  # decimal fields and their places
    owned_through: bool = False  # owned by the owner of the parent `owner_field` names
    # foreign keys to owned models: a non-admin may name only their own records
    owned_references: tuple[tuple[str, Callable[..., Any]], ...] = ()
    capacity: int = 3  # rows a test may make (unique fields with few values limit it)
    # list operators beside equality: (field, kind of value, operators)
    operators: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    search: tuple[str, ...] = ()  # the fields ?q= searches
    # ?expand=: (relation, foreign key, target model, the target's detail level)
    expandable: tuple[tuple[str, str, str, str], ...] = ()

    def __str__(self) -> str:
        # Test ids name the model: the same in every pytest-xdist worker.
        return self.name


RESOURCES = {
    "Post": Resource(
        name="Post",
        url="/posts",
        levels={
            "create": "auth",
            "list": "public",
            "detail": "public",
            "update": "auth",
            "delete": "admin",
        },
        owner_field="user_id",
        make=make_post,
        payload=post_payload,
        required=("title", "content"),
        not_null=("title", "content", "user_id"),
        references=("user_id",),
        invalid=(("title", "x" * 256), ("content", "x" * 256)),
        update_field="title",
        filter_field="title",
        operators=(
            ("title", "text", ("in", "icontains")),
            ("content", "text", ("in", "icontains")),
            ("user_id", "int", ("in",)),
        ),
        expandable=(("user", "user_id", "User", "admin"),),
    ),
    "User": Resource(
        name="User",
        url="/users",
        levels={
            "create": "admin",
            "list": "admin",
            "detail": "admin",
            "update": "admin",
            "delete": "admin",
        },
        owner_field="id",
        make=make_user,
        payload=user_payload,
        required=("email", "password"),
        not_null=("email", "password"),
        unique=("email",),
        secret=("password",),
        invalid=(("email", "x" * 256), ("password", "nul \x00 byte")),
        update_field="email",
        filter_field="email",
        restricting=((make_post, "user_id"),),
        operators=(("email", "text", ("in", "icontains")),),
    ),
}


def with_endpoint(action: str) -> list[Resource]:
    return [r for r in RESOURCES.values() if action in r.levels]
