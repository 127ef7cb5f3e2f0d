"""Unit tests of the generator's view objects (extensions/), imported like any package."""

from __future__ import annotations

import extensions.backend
import extensions.codegen
import schema
from extensions.codegen import ProjectView


def shop() -> ProjectView:
    return ProjectView(schema.normalize(schema.load_file(schema.EXAMPLES / "shop.yaml")))


def test_extensions_use_the_schema_package_of_their_checkout() -> None:
    assert extensions.codegen.TYPES is schema.TYPES
    # Copier loads them under a name of their own; they still share one schema package.
    loaded = extensions.backend.codegen
    assert loaded.__name__.endswith(".extensions.codegen")
    assert loaded.TYPES is extensions.backend.schema.TYPES


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
