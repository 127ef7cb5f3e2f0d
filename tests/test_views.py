"""Unit tests of the generator's view objects (extensions/views/), imported like any package."""

from __future__ import annotations

import extensions.backend
import extensions.views.project
import schema
from extensions.views import ProjectView
from extensions.views.orm import Column
from extensions.views.schemas import SchemaField


def shop() -> ProjectView:
    return ProjectView(schema.normalize(schema.load_file(schema.EXAMPLES / "shop.yaml")))


def brief() -> ProjectView:
    return ProjectView(schema.normalize(schema.DEFAULT_SCHEMA))


def test_extensions_use_the_schema_package_of_their_checkout() -> None:
    assert extensions.views.project.TYPES is schema.TYPES
    # Copier loads them under a name of their own; they still share one schema package.
    loaded = extensions.backend.views
    assert loaded.__name__.endswith(".extensions.views")
    assert loaded.project.TYPES is extensions.backend.schema.TYPES


def test_a_project_view_names_its_models_by_module() -> None:
    project = shop()
    assert [m.module for m in project.by_module] == [
        "address",
        "customer",
        "order",
        "order_item",
        "product",
    ]
    assert project.user.name == "Customer"


def test_columns_carry_their_type_arguments_and_imports() -> None:
    customer = shop().model("Customer").orm
    columns = {c.name: c for c in customer.columns}
    assert columns["login"] == Column(
        "login",
        "str",
        ("String(40)", "unique=True"),  # the username is always unique
        (schema.Import("sqlalchemy", "String"),),
    )
    assert columns["birthday"].annotation == "dt.date | None"
    assert columns["loyalty_points"].arguments == ("default=0",)
    assert columns["role"].arguments[-1] == "default=Role.user"
    assert "from sqlalchemy import Enum, String" in customer.imports
    assert "import datetime as dt" in customer.imports


def test_relationships_quote_the_other_class() -> None:
    order = shop().model("Order").orm
    by_name = {r.name: r for r in order.relationships}
    assert by_name["items"].annotation == 'list["OrderItem"]'
    assert by_name["customer"].annotation == '"Customer"'
    assert any(a.startswith("foreign_keys=") for a in by_name["customer"].arguments)
    assert order.related_models == ["Address", "Customer", "OrderItem"]


def test_update_fields_are_optional_and_name_the_ones_that_refuse_null() -> None:
    schemas = shop().model("Customer").schemas
    login = next(f for f in schemas.update if f.name == "login")
    assert login == SchemaField(  # the username: stored trimmed and lower-cased
        "login",
        "Username | None",
        "None",
        ("min_length=3", "max_length=40"),
        (schema.Import("schemas.common", "Username"),),
    )
    assert login.field_arguments == ["None", "min_length=3", "max_length=40"]
    assert schemas.not_null == '("login", "secret_hash", "full_name", "loyalty_points")'


def test_a_bounded_int_is_a_plain_int_with_both_bounds() -> None:
    points = next(f for f in shop().model("Customer").schemas.create if f.name == "loyalty_points")
    assert points.annotation == "int"
    assert points.constraints == ("ge=0", "le=INT64_MAX")
    assert schema.Import("database", "INT64_MAX") in points.imports


def test_routes_know_their_method_path_dependencies_and_parameters() -> None:
    post = brief().model("Post")
    create, delete = post.endpoints["create"], post.endpoints["delete"]
    assert (create.method, create.path, create.function) == ("post", "", "create_post")
    # the owner comes from the token: the route takes the user rather than a guard
    assert (create.guard, create.user_dep) == (None, "CurrentUser")
    assert (delete.guard, delete.user_dep) == ("RequireAdmin", None)
    assert "dependencies=[RequireAdmin]" in delete.decorator_arguments
    assert delete.path == "/{post_id:int}"
    assert delete.parameters == ["post_id: RecordId", "session: SessionDep"]
    assert delete.returns == "None"
    assert post.router.auth_deps == {"CurrentUser", "RequireAdmin"}
    assert "from auth.deps import CurrentUser, RequireAdmin" in post.router.imports


def test_migration_tables_follow_the_foreign_keys() -> None:
    tables = brief().migration
    assert [t.table for t in tables] == ["users", "posts"]
    posts = tables[1]
    assert str(posts.columns[1]) == 'sa.Column("title", sa.String(length=255), nullable=False)'
    assert any(c.function == "sa.ForeignKeyConstraint" for c in posts.constraints)


def test_test_data_comes_from_the_type_table() -> None:
    order_item = shop().model("OrderItem").tests
    values = dict(order_item.payload_values)
    assert values["quantity"].text == "1 + n % 1000"
    assert dict(order_item.invalid_values)["quantity"] == "1001"
    project = shop()
    assert project.tests.applies("delete", "restricting")
    assert "FIRST_DAY = dt.date(2024, 1, 1)" in project.tests.factory_constants
