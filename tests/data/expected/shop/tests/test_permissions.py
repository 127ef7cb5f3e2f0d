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


def owned_by_level(action: str) -> list[Resource]:
    """Resources whose `action` is at the owner level, with an owner other than the record."""
    return [
        r
        for r in RESOURCES.values()
        if r.levels.get(action) == "owner" and r.owner_field not in (None, "id")
    ]


@pytest.mark.parametrize(
    "resource",
    [r for r in RESOURCES.values() if r.levels.get("list") == "owner"],
    ids=str,
)
def test_an_owner_list_shows_a_user_only_their_own(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    resource: Resource,
) -> None:
    mine = owned_record(session, resource, user)
    theirs = owned_record(session, resource, other_user)
    response = client.get(resource.url, headers=user.headers)
    ids = [row["id"] for row in response.json()]
    assert mine.id in ids
    assert theirs.id not in ids
    assert response.headers["X-Total-Count"] == str(len(ids))


@pytest.mark.parametrize("resource", owned_by_level("create"), ids=str)
def test_the_owner_cannot_be_spoofed_on_create(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    admin: Caller,
    resource: Resource,
) -> None:
    field = resource.owner_field
    assert field is not None
    spoofed = resource.payload(session, **{field: user.id})
    assert (
        client.post(resource.url, json=spoofed, headers=other_user.headers).status_code
        == 403
    )
    payload = resource.payload(session)
    payload.pop(field, None)
    response = client.post(resource.url, json=payload, headers=other_user.headers)
    assert response.status_code == 201
    assert response.json()[field] == other_user.id
    for_user = resource.payload(session, **{field: user.id})
    response = client.post(resource.url, json=for_user, headers=admin.headers)
    assert response.json()[field] == user.id


@pytest.mark.parametrize("resource", owned_by_level("update"), ids=str)
def test_an_owner_cannot_give_a_record_away(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    resource: Resource,
) -> None:
    field = resource.owner_field
    assert field is not None
    record = owned_record(session, resource, user)
    response = client.patch(
        f"{resource.url}/{record.id}", json={field: other_user.id}, headers=user.headers
    )
    assert response.status_code == 403
