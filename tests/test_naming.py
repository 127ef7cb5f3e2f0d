"""Naming rules (SPEC §3 Models): snake_case, kebab-case, plurals with English irregulars,
and the table/path overrides as the normalised project sees them."""

from __future__ import annotations

import pytest

import schema
from schema import naming


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("Post", "post"),
        ("BlogPost", "blog_post"),
        ("HTTPRequest", "http_request"),
        ("APIKey", "api_key"),
        ("OrderItem", "order_item"),
        ("V2Item", "v2_item"),
        ("Post2", "post2"),
        ("user_id", "user_id"),
        ("ABC", "abc"),
    ],
)
def test_snake_case(name: str, snake: str) -> None:
    assert naming.snake_case(name) == snake


@pytest.mark.parametrize(
    ("name", "kebab"),
    [("BlogPost", "blog-post"), ("HTTPRequest", "http-request"), ("Post", "post")],
)
def test_kebab_case(name: str, kebab: str) -> None:
    assert naming.kebab_case(name) == kebab


@pytest.mark.parametrize(
    ("model", "table", "path"),
    [
        ("Post", "posts", "posts"),
        ("Category", "categories", "categories"),
        ("Person", "people", "people"),
        ("Address", "addresses", "addresses"),
        ("BlogPost", "blog_posts", "blog-posts"),
        ("Company", "companies", "companies"),
        ("Child", "children", "children"),
        ("Bus", "buses", "buses"),
        ("Quiz", "quizzes", "quizzes"),
        ("Box", "boxes", "boxes"),
        ("Day", "days", "days"),
        ("OrderItem", "order_items", "order-items"),
        ("Leaf", "leaves", "leaves"),
        ("Analysis", "analyses", "analyses"),
        ("UserProfile", "user_profiles", "user-profiles"),
        ("ProductCategory", "product_categories", "product-categories"),
        ("SalesPerson", "sales_people", "sales-people"),
    ],
)
def test_default_table_and_path(model: str, table: str, path: str) -> None:
    snake = naming.snake_case(model)
    assert naming.plural(snake) == table
    assert naming.kebab_case(naming.plural(snake)) == path
    project = schema.normalize({"models": {model: {"fields": {"x": "int"}}}})
    normalised = project.model(model)
    assert (normalised.module, normalised.table, normalised.path) == (snake, table, path)


def test_plural_inflects_only_the_last_word() -> None:
    assert naming.plural("person_address") == "person_addresses"
    assert naming.plural("category_person") == "category_people"


def test_table_and_path_overrides() -> None:
    project = schema.normalize(
        {
            "models": {
                "BlogPost": {"table": "articles", "path": "stories", "fields": {"x": "int"}},
                "Person": {"path": "/humans/", "fields": {"x": "int"}},
            }
        }
    )
    post, person = project.model("BlogPost"), project.model("Person")
    assert (post.module, post.table, post.path) == ("blog_post", "articles", "stories")
    assert (person.table, person.path) == ("people", "humans")


def test_relationship_name() -> None:
    assert naming.relationship_name("author_id") == "author"
    assert naming.relationship_name("authorId") == "author"
    assert naming.relationship_name("owner") == "owner_record"
    assert naming.relationship_name("_id") == "_id_record"


@pytest.mark.parametrize("word", ["class", "def", "match", "case", "_", "None"])
def test_keywords_include_soft_keywords(word: str) -> None:
    assert naming.is_keyword(word)


@pytest.mark.parametrize("word", ["list", "format", "id", "title", "user", "print"])
def test_not_keywords(word: str) -> None:
    assert not naming.is_keyword(word)


def test_pascal_case_and_identifier_patterns() -> None:
    assert naming.PASCAL_CASE.match("Post2") and naming.PASCAL_CASE.match("HTTPRequest")
    for bad in ("post", "Blog_Post", "2Post", "Blog-Post", ""):
        assert not naming.PASCAL_CASE.match(bad), bad
    assert naming.IDENTIFIER.match("First_Name2")
    for bad in ("_x", "2x", "first-name", "a b", ""):
        assert not naming.IDENTIFIER.match(bad), bad


@pytest.mark.parametrize("model", ["I", "It", "Me", "He"])
def test_plural_of_a_pronoun_like_model_name_is_a_noun_plural(model: str) -> None:
    snake = naming.snake_case(model)
    assert naming.plural(snake) == snake + "s"


def test_a_model_whose_plural_is_a_keyword_is_refused_or_renamed() -> None:
    data = {"models": {"A": {"fields": {"x": "int"}}}}
    problems = schema.check(data)
    if not problems:
        assert not naming.is_keyword(schema.normalize(data).model("A").plural)
    else:
        assert any(p.loc[:2] == ("models", "A") for p in problems)
