"""Every model's endpoints: CRUD, validation, lists, errors.

These tests call as an admin, whom every level lets through; test_permissions.py
checks who else may call each endpoint. What each model has comes from resources.py.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import event
from sqlalchemy.orm import Session

from database import engine
from tests.conftest import Caller
from tests.resources import Resource, with_endpoint


def cases(action: str, attribute: str) -> list[Any]:
    """(resource, item) for each item of a resource's attribute, where `action` exists."""
    return [
        pytest.param(r, item, id=f"{r.name}-{label(item)}")
        for r in with_endpoint(action)
        for item in getattr(r, attribute)
    ]


def label(item: Any) -> str:
    return (
        item if isinstance(item, str) else next(x for x in item if isinstance(x, str))
    )


def each(action: str, *, having: str | None = None) -> Any:
    resources = [
        r for r in with_endpoint(action) if having is None or getattr(r, having)
    ]
    return pytest.mark.parametrize("resource", resources, ids=lambda r: r.name)


@each("create")
def test_create_returns_the_record(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    response = client.post(
        resource.url, json=resource.payload(session), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    record = response.json()
    assert isinstance(record["id"], int)
    assert not set(resource.secret) & set(record)
    for name in resource.datetimes:
        assert record[name] is None or record[name].endswith("+00:00")
    if "detail" in resource.levels:
        detail = client.get(f"{resource.url}/{record['id']}", headers=admin.headers)
        assert detail.json() == record


@pytest.mark.parametrize(("resource", "field"), cases("create", "required"))
def test_create_without_a_required_field_is_422(
    client: TestClient, session: Session, admin: Caller, resource: Resource, field: str
) -> None:
    payload = resource.payload(session)
    del payload[field]
    response = client.post(resource.url, json=payload, headers=admin.headers)
    assert response.status_code == 422
    assert ["body", field] in [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize(("resource", "invalid"), cases("create", "invalid"))
def test_create_with_an_invalid_value_is_422(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    invalid: tuple[str, Any],
) -> None:
    field, value = invalid
    payload = resource.payload(session, **{field: value})
    response = client.post(resource.url, json=payload, headers=admin.headers)
    assert response.status_code == 422
    assert ["body", field] in [error["loc"][:2] for error in response.json()["detail"]]


@each("create")
def test_create_with_an_unknown_field_is_422(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    payload = resource.payload(session, not_a_field=1)
    assert (
        client.post(resource.url, json=payload, headers=admin.headers).status_code
        == 422
    )


@pytest.mark.parametrize(("resource", "field"), cases("create", "references"))
def test_create_referring_to_a_missing_record_is_422(
    client: TestClient, session: Session, admin: Caller, resource: Resource, field: str
) -> None:
    payload = resource.payload(session, **{field: 2**62})
    response = client.post(resource.url, json=payload, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(("resource", "field"), cases("create", "unique"))
def test_create_with_a_taken_unique_value_is_409(
    client: TestClient, session: Session, admin: Caller, resource: Resource, field: str
) -> None:
    first = resource.payload(session)
    assert (
        client.post(resource.url, json=first, headers=admin.headers).status_code == 201
    )
    second = resource.payload(session, **{field: first[field]})
    assert (
        client.post(resource.url, json=second, headers=admin.headers).status_code == 409
    )


@pytest.mark.parametrize(("resource", "fields"), cases("create", "unique_together"))
def test_create_with_values_taken_together_is_409(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    fields: tuple[str, ...],
) -> None:
    first = resource.payload(session)
    assert (
        client.post(resource.url, json=first, headers=admin.headers).status_code == 201
    )
    second = resource.payload(session, **{name: first[name] for name in fields})
    response = client.post(resource.url, json=second, headers=admin.headers)
    assert response.status_code == 409, response.text
    assert all(name in response.json()["detail"] for name in fields), response.text


@pytest.mark.parametrize(
    ("resource", "admin_only"),
    [
        pytest.param(r, item, id=f"{r.name}-{item[0]}")
        for r in with_endpoint("create")
        if r.levels["create"] != "admin"
        for item in r.admin_only
    ],
)
def test_only_an_admin_sets_an_admin_only_field(
    client: TestClient,
    session: Session,
    user: Caller,
    admin: Caller,
    resource: Resource,
    admin_only: tuple[str, Any],
) -> None:
    field, value = admin_only
    payload = {**resource.payload(session, user.id), field: value}
    response = client.post(resource.url, json=payload, headers=user.headers)
    assert response.status_code == 403, response.text
    assert field in response.json()["detail"]
    response = client.post(resource.url, json=payload, headers=admin.headers)
    assert response.status_code == 201, response.text
    record_url = f"{resource.url}/{response.json()['id']}"
    if resource.levels.get("update") not in (None, "admin"):
        changed = client.patch(
            record_url, json={field: payload[field]}, headers=user.headers
        )
        assert changed.status_code in (403, 404), changed.text


@pytest.mark.parametrize(("resource", "field"), cases("create", "emails"))
def test_an_email_is_stored_trimmed_and_lower_cased(
    client: TestClient, session: Session, admin: Caller, resource: Resource, field: str
) -> None:
    payload = resource.payload(session)
    sent = f"  {payload[field].upper()} "
    response = client.post(
        resource.url, json={**payload, field: sent}, headers=admin.headers
    )
    assert response.status_code == 201, response.text
    assert response.json()[field] == sent.strip().lower()
    payload = resource.payload(session, **{field: "no at sign"})
    assert (
        client.post(resource.url, json=payload, headers=admin.headers).status_code
        == 422
    )


@pytest.mark.parametrize(("resource", "decimal"), cases("create", "decimals"))
def test_a_decimal_is_written_with_its_places(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    decimal: tuple[str, int],
) -> None:
    field, places = decimal
    payload = resource.payload(session)
    response = client.post(resource.url, json=payload, headers=admin.headers)
    assert response.status_code == 201, response.text
    written = response.json()[field]
    assert isinstance(written, str)
    assert len(written.partition(".")[2]) == places
    too_precise = written + "1" if places else written + ".1"
    payload = resource.payload(session, **{field: too_precise})
    assert (
        client.post(resource.url, json=payload, headers=admin.headers).status_code
        == 422
    )


@each("list")
def test_list_pages_with_a_total(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    before = int(
        client.get(resource.url, headers=admin.headers).headers["X-Total-Count"]
    )
    for _ in range(resource.capacity):
        resource.make(session)
    response = client.get(
        resource.url, params={"limit": 2, "offset": 1}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == str(before + resource.capacity)
    assert len(response.json()) == min(2, before + resource.capacity - 1)


@each("list")
def test_list_is_in_id_order_unless_sorted(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    for _ in range(resource.capacity):
        resource.make(session)
    ids = [row["id"] for row in client.get(resource.url, headers=admin.headers).json()]
    assert ids == sorted(ids)
    response = client.get(resource.url, params={"sort": "-id"}, headers=admin.headers)
    assert [row["id"] for row in response.json()] == sorted(ids, reverse=True)


@each("list", having="filter_field")
def test_list_filters_by_equality(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    field = resource.filter_field
    assert field is not None
    record = resource.make(session)
    if resource.capacity > 1:
        resource.make(session)
    rows = client.get(resource.url, params={"limit": 100}, headers=admin.headers).json()
    wanted = next(row for row in rows if row["id"] == record.id)[field]
    if wanted is None:
        return
    response = client.get(resource.url, params={field: wanted}, headers=admin.headers)
    assert response.status_code == 200
    found = response.json()
    assert record.id in [row["id"] for row in found]
    assert all(row[field] == wanted for row in found)


@each("list")
@pytest.mark.parametrize(
    "params",
    [
        {"sort": "not_a_field"},
        {"limit": 101},
        {"limit": 0},
        {"offset": -1},
        {"offset": 2**63},
    ],
)
def test_list_refuses_bad_parameters(
    client: TestClient, admin: Caller, resource: Resource, params: dict[str, object]
) -> None:
    response = client.get(resource.url, params=params, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@each("list")
def test_list_runs_the_same_queries_for_any_page_size(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    resource.make(session)
    one = count_queries(
        lambda: client.get(resource.url, params={"limit": 1}, headers=admin.headers)
    )
    for _ in range(resource.capacity - 1):
        resource.make(session)
    many = count_queries(
        lambda: client.get(resource.url, params={"limit": 100}, headers=admin.headers)
    )
    assert one == many


@each("detail")
def test_detail_runs_a_constant_number_of_queries(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    record = resource.make(session)
    url = f"{resource.url}/{record.id}"
    assert (
        count_queries(lambda: client.get(url, headers=admin.headers)) <= 2
    )  # caller, record


@each("detail")
def test_detail_of_an_unknown_id_is_404_and_an_out_of_range_one_422(
    client: TestClient, admin: Caller, resource: Resource
) -> None:
    assert (
        client.get(f"{resource.url}/{2**62}", headers=admin.headers).status_code == 404
    )
    assert (
        client.get(f"{resource.url}/{2**63}", headers=admin.headers).status_code == 422
    )


@each("detail")
def test_a_path_that_is_no_id_is_left_to_later_routes(
    client: TestClient, admin: Caller, resource: Resource
) -> None:
    # A route the owner adds after the generated ones (GET /things/search) is reached.
    response = client.get(f"{resource.url}/search", headers=admin.headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


@each("update", having="update_field")
def test_update_changes_only_what_is_sent(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    field = resource.update_field
    assert field is not None
    record = resource.make(session)
    new_value = resource.payload(session)[field]
    url = f"{resource.url}/{record.id}"
    response = client.patch(url, json={field: new_value}, headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == record.id
    assert response.json()[field] == new_value


@pytest.mark.parametrize(("resource", "field"), cases("update", "not_null"))
def test_update_with_null_for_a_required_field_is_422(
    client: TestClient, session: Session, admin: Caller, resource: Resource, field: str
) -> None:
    record = resource.make(session)
    url = f"{resource.url}/{record.id}"
    assert (
        client.patch(url, json={field: None}, headers=admin.headers).status_code == 422
    )


@each("update")
def test_update_of_an_unknown_id_is_404(
    client: TestClient, admin: Caller, resource: Resource
) -> None:
    url = f"{resource.url}/{2**62}"
    assert client.patch(url, json={}, headers=admin.headers).status_code == 404


@each("delete")
def test_delete_removes_the_record(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    record = resource.make(session)
    url = f"{resource.url}/{record.id}"
    response = client.delete(url, headers=admin.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert client.delete(url, headers=admin.headers).status_code == 404


@pytest.mark.parametrize(("resource", "child"), cases("delete", "restricting"))
def test_delete_of_a_record_children_refer_to_is_409(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    child: tuple[Callable[..., Any], str],
) -> None:
    make_child, field = child
    record = resource.make(session)
    child_record = make_child(session, **{field: record.id})
    response = client.delete(f"{resource.url}/{record.id}", headers=admin.headers)
    assert response.status_code == 409
    assert type(child_record).__name__ in response.json()["detail"]


def count_queries(call: Callable[[], Response]) -> int:
    """The SQL statements a request runs (transaction control aside)."""
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert call().status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)
