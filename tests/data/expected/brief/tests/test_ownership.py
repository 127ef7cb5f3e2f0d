"""Whose record is whose: the owner comes from the token, records are never given away,
another's record looks like no record, and references respect ownership."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import Caller
from tests.resources import RESOURCES, Resource

NON_ADMIN_LEVELS = ("public", "auth", "owner")
MISSING_ID = 2**62


def _with(action: str, *levels: str) -> list[Resource]:
    return [r for r in RESOURCES.values() if r.levels.get(action) in levels]


def _direct(resources: list[Resource]) -> list[Resource]:
    """Those whose owner is an FK to the user model."""
    return [
        r
        for r in resources
        if r.owner_field not in (None, "id") and not r.owned_through
    ]


@pytest.mark.parametrize(
    "resource", _direct(_with("create", *NON_ADMIN_LEVELS)), ids=str
)
def test_the_owner_comes_from_the_token(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    admin: Caller,
    resource: Resource,
) -> None:
    field = resource.owner_field
    assert field is not None
    payload = resource.payload(session, user.id)
    payload.pop(field, None)
    response = client.post(resource.url, json=payload, headers=user.headers)
    assert response.status_code == 201, response.text
    assert response.json()[field] == user.id
    as_other = resource.payload(session, user.id, **{field: other_user.id})
    response = client.post(resource.url, json=as_other, headers=user.headers)
    assert response.status_code == 403, response.text
    assert field in response.json()["detail"]
    response = client.post(resource.url, json=as_other, headers=admin.headers)
    assert response.status_code == 201, response.text
    assert response.json()[field] == other_user.id


@pytest.mark.parametrize(
    "resource", _direct(_with("update", *NON_ADMIN_LEVELS)), ids=str
)
def test_a_record_is_never_given_away(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    admin: Caller,
    resource: Resource,
) -> None:
    field = resource.owner_field
    assert field is not None
    url = f"{resource.url}/{resource.make(session, user.id).id}"
    unchanged = client.patch(url, json={field: user.id}, headers=user.headers)
    assert unchanged.status_code == 200, unchanged.text
    given = client.patch(url, json={field: other_user.id}, headers=user.headers)
    assert given.status_code == 403, given.text
    nobody = client.patch(url, json={field: MISSING_ID}, headers=user.headers)
    assert nobody.status_code == 422, nobody.text  # no such user: as any unknown id
    taken = client.patch(url, json={field: other_user.id}, headers=other_user.headers)
    # To another, an owner-level record is not there; below that level they are refused.
    assert taken.status_code == (404 if resource.levels["update"] == "owner" else 403)
    moved = client.patch(url, json={field: other_user.id}, headers=admin.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()[field] == other_user.id
