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


def expected_status(level: str, action: str, caller: str) -> int:
    if level == "public":
        return SUCCESS[action]
    if caller == "anonymous":
        return 401
    if level == "auth" or caller == "admin":
        return SUCCESS[action]
    if level == "admin":
        return 403
    # owner: anyone may create their own and list (their own); only the owner may do the rest
    if caller == "user" or action in ("create", "list"):
        return SUCCESS[action]
    return 403


def owned_record(session: Session, resource: Resource, owner: Caller) -> Any:
    if resource.owner_field == "id":
        return owner.user
    if resource.owner_field is not None:
        return resource.make(session, **{resource.owner_field: owner.id})
    return resource.make(session)


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
    level = resource.levels[action]
    if action == "create":
        overrides = {}
        if level == "owner" and resource.owner_field not in (None, "id") and who.id:
            overrides[resource.owner_field] = who.id
        response = client.post(
            resource.url,
            json=resource.payload(session, **overrides),
            headers=who.headers,
        )
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
    assert response.status_code == expected_status(level, action, caller), response.text
    if response.status_code == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
