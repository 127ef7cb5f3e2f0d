"""List queries: every operator on every field that takes it, `q`, `expand`, and the 422
of a mistyped parameter. What each model has comes from resources.py.

These tests call as an admin unless they are about who calls: test_permissions.py checks
who may call each endpoint at all.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from main import app
from tests.conftest import Caller
from tests.resources import RESOURCES, Resource, with_endpoint
from tests.test_crud import count_queries

LISTED = with_endpoint("list")
# What a JSON value of each kind is compared as (the others: as it is).
PARSE: dict[str, Callable[[Any], Any]] = {
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
    "decimal": Decimal,
}
# Whether a row's value matches an operator's argument: what the database must find.
MATCHES: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda value, bound: value is not None and value > bound,
    "gte": lambda value, bound: value is not None and value >= bound,
    "lt": lambda value, bound: value is not None and value < bound,
    "lte": lambda value, bound: value is not None and value <= bound,
    "in": lambda value, values: value in values,
    "icontains": lambda value, text: value is not None
    and text.lower() in value.lower(),
    "isnull": lambda value, null: (value is None) == null,
}


def each(resources: list[Resource]) -> Any:
    return pytest.mark.parametrize("resource", resources, ids=lambda r: r.name)


def rows_of(
    client: TestClient, resource: Resource, caller: Caller, **params: Any
) -> Any:
    response = client.get(
        resource.url, params={"limit": 100, **params}, headers=caller.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def ids(rows: list[dict[str, Any]]) -> set[int]:
    return {row["id"] for row in rows}


def assert_422_naming(response: Any, name: str) -> None:
    assert response.status_code == 422, response.text
    assert ["query", name] in [error["loc"][:2] for error in response.json()["detail"]]


def target_of(resource: Resource, foreign_key: str) -> str:
    return next(t for _, key, t, _ in resource.expandable if key == foreign_key)


def point_at_targets(
    session: Session, resource: Resource, records: list[Any], foreign_key: str
) -> None:
    """Give the records that leave `foreign_key` null (factories do, when it is nullable) a
    record to name: one another when it refers to their own model, else existing records of
    its target, or a new one (a model whose unique fields allow few rows has no more).
    """
    target = RESOURCES[target_of(resource, foreign_key)]
    if target is resource:
        candidates = records
    else:
        relationship = next(
            r
            for r in inspect(type(records[0])).relationships
            if foreign_key in {column.name for column in r.local_columns}
        )
        query = select(relationship.mapper.class_).limit(len(records))
        candidates = list(session.scalars(query)) or [target.make(session)]
    for n, record in enumerate(records):
        if getattr(record, foreign_key) is None:
            setattr(record, foreign_key, candidates[(n + 1) % len(candidates)].id)
    session.commit()


def operator_cases() -> list[Any]:
    """Each operator of each field, where the tests can make rows that differ in it (the
    target of a foreign key has endpoints)."""
    return [
        pytest.param(r, field, kind, operator, id=f"{r.name}-{field}__{operator}")
        for r in LISTED
        for field, kind, operators in r.operators
        if field not in r.references or target_of(r, field) in RESOURCES
        for operator in operators
    ]


def arguments(operator: str, kind: str, values: list[Any]) -> list[tuple[str, Any]]:
    """(query argument, what it means) pairs to try `operator` with, from the JSON values
    the rows hold."""
    parse = PARSE.get(kind, lambda value: value)
    present = sorted((v for v in values if v is not None), key=parse)
    if operator == "isnull":
        return [("true", True), ("false", False)]
    if not present:
        return []
    if operator == "in":
        chosen = [present[0], present[-1]]
        return [(",".join(map(str, chosen)), {parse(value) for value in chosen})]
    if operator == "icontains":
        probe = present[0][1:].upper() or present[0].upper()
        # % and _ match themselves, not any characters
        return [(probe, probe), ("%", "%"), ("_", "_")]
    middle = present[len(present) // 2]
    return [(str(middle), parse(middle))]


@pytest.mark.parametrize(("resource", "field", "kind", "operator"), operator_cases())
def test_an_operator_finds_exactly_the_matching_rows(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    field: str,
    kind: str,
    operator: str,
) -> None:
    records = [
        resource.make(
            session, **({field: None} if operator == "isnull" and n == 0 else {})
        )
        for n in range(resource.capacity)
    ]
    if field in resource.references:  # one null (for isnull) and the others not
        point_at_targets(session, resource, records[operator == "isnull" :], field)
    parse = PARSE.get(kind, lambda value: value)
    rows = rows_of(client, resource, admin)
    values = {
        row["id"]: None if row[field] is None else parse(row[field]) for row in rows
    }
    tried = arguments(operator, kind, [row[field] for row in rows])
    assert tried, f"no row has a {field}"
    for argument, meaning in tried:
        found = rows_of(client, resource, admin, **{f"{field}__{operator}": argument})
        wanted = {
            id for id, value in values.items() if MATCHES[operator](value, meaning)
        }
        assert ids(found) == wanted, argument


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        pytest.param(r, field, id=f"{r.name}-{field}")
        for r in LISTED
        for field, _, operators in r.operators
        if "in" in operators
    ],
)
@pytest.mark.parametrize("argument", ["", "1,,2", ",".join(["1"] * 101)])
def test_in_refuses_an_empty_value_and_more_than_100(
    client: TestClient, admin: Caller, resource: Resource, field: str, argument: str
) -> None:
    response = client.get(
        resource.url, params={f"{field}__in": argument}, headers=admin.headers
    )
    assert_422_naming(response, f"{field}__in")


@each(
    [
        r
        for r in LISTED
        if r.levels["list"] == "owner"
        and r.owner_field not in (None, "id")
        and r.capacity > 1
    ]
)
def test_a_filter_never_reaches_past_the_owner_scope(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    resource: Resource,
) -> None:
    field = resource.owner_field
    assert field is not None
    mine = resource.make(session, user.id)
    theirs = resource.make(session, other_user.id)
    # Filtering on another's records finds nothing: it is not replaced by one's own.
    assert rows_of(client, resource, user, **{field: getattr(theirs, field)}) == []
    both = f"{getattr(mine, field)},{getattr(theirs, field)}"
    assert ids(rows_of(client, resource, user, **{f"{field}__in": both})) == {mine.id}


@each([r for r in LISTED if r.search])
def test_q_finds_its_text_in_any_search_field(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    for _ in range(resource.capacity):
        resource.make(session)
    rows = rows_of(client, resource, admin)
    text = next(row[f] for row in rows for f in resource.search if row[f])
    probe = text[1:].upper() or text.upper()
    # The whole text is one substring: the probe twice over is not two words to find.
    for argument in (probe, f"{probe} {probe}", "%"):
        wanted = {
            row["id"]
            for row in rows
            if any(
                row[f] and argument.lower() in row[f].lower() for f in resource.search
            )
        }
        assert ids(rows_of(client, resource, admin, q=argument)) == wanted, argument


@each(LISTED)
def test_every_list_parameter_is_in_the_openapi_document(resource: Resource) -> None:
    operation = app.openapi()["paths"][resource.url]["get"]
    documented = {p["name"]: p["schema"] for p in operation["parameters"]}
    expected = {f"{field}__{op}" for field, _, ops in resource.operators for op in ops}
    expected |= {"q"} if resource.search else set()
    expected |= {"expand"} if resource.expandable else set()
    assert expected <= set(documented)
    for field, _, operators in resource.operators:
        if "in" in operators:  # an array of the field's type
            assert documented[f"{field}__in"]["anyOf"][0]["type"] == "array"


@each(LISTED)
def test_an_unknown_query_parameter_is_422_naming_it(
    client: TestClient, admin: Caller, resource: Resource
) -> None:
    names = ["not_a_parameter"]
    if resource.filter_field:
        names.append(f"{resource.filter_field}__nope")
    names += [
        f"{secret}{suffix}" for secret in resource.secret for suffix in ("", "__in")
    ]
    if not resource.search:
        names.append("q")
    if not resource.expandable:
        names.append("expand")
    for name in names:
        response = client.get(resource.url, params={name: "1"}, headers=admin.headers)
        assert_422_naming(response, name)


LEVELS = ("public", "auth", "owner", "admin")
READABLE = LEVELS  # the detail levels a target is read at (not off)


def expand_cases(*levels: str, lists: tuple[str, ...] = LEVELS) -> list[Any]:
    """(resource, relation, foreign key, target, the target's detail level) of each relation
    whose target is read at one of `levels`, on lists at one of `lists`."""
    return [
        pytest.param(r, *relation, id=f"{r.name}-{relation[0]}")
        for r in LISTED
        if r.levels["list"] in lists
        for relation in r.expandable
        if relation[3] in levels
    ]


def dotted_cases() -> list[Any]:
    """The relations whose target has a relation to expand in turn."""
    return [
        case
        for case in expand_cases(*READABLE)
        if any(level != "off" for *_, level in RESOURCES[case.values[3]].expandable)
    ]


def everything(resource: Resource) -> str:
    """An `expand` of every relation the caller may read, and of theirs, one level down."""
    paths = []
    for relation, _, target, level in resource.expandable:
        if level != "off":
            paths.append(relation)
            paths += [
                f"{relation}.{nested}"
                for nested, _, _, nested_level in RESOURCES[target].expandable
                if nested_level != "off"
            ]
    return ",".join(paths)


@pytest.mark.parametrize(
    ("resource", "relation", "foreign_key", "target", "level"), expand_cases(*READABLE)
)
def test_expand_embeds_the_related_record_in_its_read_shape(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    relation: str,
    foreign_key: str,
    target: str,
    level: str,
) -> None:
    record = resource.make(session)
    point_at_targets(session, resource, [record], foreign_key)
    url = f"{RESOURCES[target].url}/{getattr(record, foreign_key)}"
    shown = client.get(url, headers=admin.headers)
    assert all(relation not in row for row in rows_of(client, resource, admin))
    rows = rows_of(client, resource, admin, expand=relation)
    assert next(row for row in rows if row["id"] == record.id)[relation] == shown.json()
    for row in rows:
        assert (row[relation] is None) == (row[foreign_key] is None)
    if "detail" in resource.levels:
        url = f"{resource.url}/{record.id}"
        detail = client.get(url, params={"expand": relation}, headers=admin.headers)
        assert detail.json()[relation] == shown.json()
        assert relation not in client.get(url, headers=admin.headers).json()


@pytest.mark.parametrize(
    ("resource", "relation", "foreign_key", "target", "level"), dotted_cases()
)
def test_expand_follows_a_dotted_path(
    client: TestClient,
    session: Session,
    admin: Caller,
    resource: Resource,
    relation: str,
    foreign_key: str,
    target: str,
    level: str,
) -> None:
    nested = [n for n in RESOURCES[target].expandable if n[3] != "off"]
    name, nested_key, nested_target, _ = nested[0]
    record = resource.make(session)
    point_at_targets(session, resource, [record], foreign_key)
    rows = rows_of(client, resource, admin, expand=f"{relation}.{name}")
    embedded = next(row for row in rows if row["id"] == record.id)[relation]
    if embedded[nested_key] is None:
        assert embedded[name] is None
    else:
        url = f"{RESOURCES[nested_target].url}/{embedded[nested_key]}"
        assert embedded[name] == client.get(url, headers=admin.headers).json()
    deep = ".".join([relation, name, "a", "b"])
    response = client.get(resource.url, params={"expand": deep}, headers=admin.headers)
    assert_422_naming(response, "expand")


@each([r for r in LISTED if r.expandable])
def test_expanding_an_unknown_relation_is_422(
    client: TestClient, admin: Caller, resource: Resource
) -> None:
    for expand in ("not_a_relation", f"{resource.expandable[0][0]}.not_a_relation", ""):
        response = client.get(
            resource.url, params={"expand": expand}, headers=admin.headers
        )
        assert_422_naming(response, "expand")


@pytest.mark.parametrize(
    ("resource", "relation", "foreign_key", "target", "level"),
    expand_cases("auth", "owner", "admin", "off"),
)
def test_expanding_what_the_caller_may_not_read_is_401_or_403(
    client: TestClient,
    session: Session,
    anonymous: Caller,
    user: Caller,
    admin: Caller,
    resource: Resource,
    relation: str,
    foreign_key: str,
    target: str,
    level: str,
) -> None:
    resource.make(session)
    refused = []  # (caller, status) the expansion itself refuses
    if level == "off":
        refused.append((admin, 403))
    if resource.levels["list"] == "public":
        refused.append((anonymous, 401 if level != "off" else 403))
    if level == "admin" and resource.levels["list"] != "admin":
        refused.append((user, 403))
    for caller, status in refused:
        response = client.get(
            resource.url, params={"expand": relation}, headers=caller.headers
        )
        assert response.status_code == status, (caller.name, response.text)
        assert relation in response.json()["detail"]


@pytest.mark.parametrize(
    ("resource", "relation", "foreign_key", "target", "level"),
    expand_cases("owner", lists=("public", "auth", "owner")),
)
def test_expanding_an_owner_level_relation_embeds_only_ones_own(
    client: TestClient,
    session: Session,
    user: Caller,
    other_user: Caller,
    resource: Resource,
    relation: str,
    foreign_key: str,
    target: str,
    level: str,
) -> None:
    resource.make(session, user.id)
    if resource.capacity > 1:
        resource.make(session, other_user.id)
    for row in rows_of(client, resource, user, expand=relation):
        if row[foreign_key] is not None:
            url = f"{RESOURCES[target].url}/{row[foreign_key]}"
            yours = client.get(url, headers=user.headers).status_code == 200
            assert (row[relation] is not None) == yours, row


@each([r for r in LISTED if everything(r)])
def test_expand_runs_the_same_queries_for_any_page_size(
    client: TestClient, session: Session, admin: Caller, resource: Resource
) -> None:
    params = {"expand": everything(resource)}
    resource.make(session)
    one = count_queries(
        lambda: client.get(
            resource.url, params={**params, "limit": 1}, headers=admin.headers
        )
    )
    for _ in range(resource.capacity - 1):
        resource.make(session)
    many = count_queries(
        lambda: client.get(
            resource.url, params={**params, "limit": 100}, headers=admin.headers
        )
    )
    assert one == many
