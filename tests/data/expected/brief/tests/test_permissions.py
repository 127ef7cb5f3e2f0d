"""Who may call what: every model, action and caller, as the schema's `apis` says.

Callers: anonymous, `user` (who owns the record under test), `other_user`, `admin`.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import Caller
from tests.resources import RESOURCES, Resource

SUCCESS = {"create": 201, "list": 200, "detail": 200, "update": 200, "delete": 204}

CASES = [
    (name, action, caller)
    for name, resource in RESOURCES.items()
    for action in resource.levels
    for caller in ("anonymous", "user", "other_user", "admin")
]


def expected_status(resource: Resource, action: str, caller: str) -> int:
    level = resource.levels[action]
    if level == "public":
        if caller == "anonymous" and action == "create" and refers_to_owned(resource):
            return 422  # without a token, no owned record can be referred to
        return SUCCESS[action]
    if caller == "anonymous":
        return 401
    if level == "auth" or caller == "admin":
        return SUCCESS[action]
    if level == "admin":
        return 403
    # owner: anyone may create their own and list (their own); only the owner may do the
    # rest, and to anyone else the record is not there
    if caller == "user" or action in ("create", "list"):
        return SUCCESS[action]
    return 404


def refers_to_owned(resource: Resource) -> bool:
    """A create must name a record of an owned model (other than a user)."""
    return any(fk in resource.required for fk, _ in resource.owned_references)


def owned_record(session: Session, resource: Resource, owner: Caller) -> Any:
    if resource.owner_field == "id":
        return owner.user
    return resource.make(session, owner.id)


@pytest.mark.parametrize(("name", "action", "caller"), CASES)
def test_permission_matrix(
    client: TestClient,
    session: Session,
    anonymous: Caller,
    user: Caller,
    other_user: Caller,
    admin: Caller,
    name: str,
    action: str,
    caller: str,
) -> None:
    resource = RESOURCES[name]
    who = {
        "anonymous": anonymous,
        "user": user,
        "other_user": other_user,
        "admin": admin,
    }[caller]
    if action == "create":
        payload = resource.payload(session, who.id)  # the caller owns what it refers to
        response = client.post(resource.url, json=payload, headers=who.headers)
    elif action == "list":
        response = client.get(resource.url, headers=who.headers)
    else:
        url = f"{resource.url}/{owned_record(session, resource, user).id}"
        if action == "detail":
            response = client.get(url, headers=who.headers)
        elif action == "update":
            response = client.patch(url, json={}, headers=who.headers)
        else:
            response = client.delete(url, headers=who.headers)
    assert response.status_code == expected_status(
        resource, action, caller
    ), response.text
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
