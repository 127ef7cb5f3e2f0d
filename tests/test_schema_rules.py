"""Normalisation rules of the project schema (SPEC §3), on `schema.normalize` directly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import schema
from schema import Level, OnDelete
from schema.field_types import FieldType
from tests.conftest import AUTHOR_AND_EDITOR, USER

REPO = Path(__file__).resolve().parents[1]
BRIEF = json.loads((schema.EXAMPLES / "brief.json").read_text())
CRUD = ("create", "list", "detail", "update", "delete")


def levels(project: schema.Project, model: str) -> dict[str, str]:
    return {action: project.model(model).level(action) for action in CRUD}


def paths(data: object) -> list[str]:
    return [p.path for p in schema.check(data)]


# -- the brief's example ------------------------------------------------------------------


BRIEF_VERBATIM = """
{
  "models": {
    "User": {"fields": {"id": "int", "email": "string", "password": "string"}},
    "Post": {
      "fields": {"id": "int", "title": "string", "content": "string", "user_id": "int"},
      "relations": {"user_id": "User"}
    }
  },
  "apis": {"Post": {"create": "auth", "read": "public", "update": "auth", "delete": "admin"}}
}
"""


@pytest.mark.parametrize("hint", ["schema.json", "schema.yaml"])
def test_brief_example_is_accepted_verbatim(hint: str) -> None:
    data = schema.load_text(BRIEF_VERBATIM, hint)
    assert data == BRIEF
    project = schema.normalize(data)
    assert [m.name for m in project.models] == ["User", "Post"]
    assert levels(project, "Post") == {
        "create": "auth",
        "list": "public",
        "detail": "public",
        "update": "auth",
        "delete": "admin",
    }
    assert levels(project, "User") == dict.fromkeys(CRUD, "admin")
    post = project.model("Post")
    assert [f.name for f in post.fields] == ["id", "title", "content", "user_id"]
    assert post.field("user_id").relation is not None
    assert post.field("user_id").relation.parent == "User"
    assert post.owner_field == "user_id"
    assert project.auth.user_model == "User"
    user = project.user_model
    assert user.is_user_model and not user.builtin


def test_default_schema_is_the_brief() -> None:
    assert schema.DEFAULT_SCHEMA == BRIEF


# -- fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("int", FieldType.INT),
        ("Integer", FieldType.INT),
        ("INT", FieldType.INT),
        ("float", FieldType.FLOAT),
        ("Float", FieldType.FLOAT),
        ("string", FieldType.STRING),
        ("Str", FieldType.STRING),
        ("STRING", FieldType.STRING),
        ("text", FieldType.TEXT),
        ("Text", FieldType.TEXT),
        ("bool", FieldType.BOOL),
        ("Boolean", FieldType.BOOL),
        ("datetime", FieldType.DATETIME),
        ("DateTime", FieldType.DATETIME),
        ("date", FieldType.DATE),
        ("DATE", FieldType.DATE),
        (" string ", FieldType.STRING),
    ],
)
def test_type_aliases_are_case_insensitive(spelling: str, expected: FieldType) -> None:
    for entry in (spelling, {"type": spelling}):
        project = schema.normalize({"models": {"Thing": {"fields": {"x": entry}}}})
        assert project.model("Thing").field("x").type is expected


@pytest.mark.parametrize("spelling", ["uuid", "json", "varchar", "number", "list", "money", ""])
def test_types_are_a_whitelist(spelling: str) -> None:
    assert paths({"models": {"Thing": {"fields": {"x": spelling}}}}) == [
        "models.Thing.fields.x.type"
    ]


def test_nothing_is_inferred_from_a_field_name() -> None:
    project = schema.normalize({"models": {"Contact": {"fields": {"email": "string"}}}})
    email = project.model("Contact").field("email")
    assert email.type is FieldType.STRING and not email.unique and email.required


def test_id_is_added_when_absent() -> None:
    project = schema.normalize({"models": {"Thing": {"fields": {"name": "string"}}}})
    fields = project.model("Thing").fields
    assert fields[0].name == "id" and fields[0].primary_key and fields[0].type is FieldType.INT
    assert [f.name for f in fields] == ["id", "name"]


def test_declared_int_id_is_the_primary_key_once() -> None:
    project = schema.normalize({"models": {"Thing": {"fields": {"id": "integer", "n": "int"}}}})
    assert [f.name for f in project.model("Thing").fields] == ["id", "n"]
    assert project.model("Thing").field("id").primary_key


def test_declared_id_must_be_int() -> None:
    assert paths({"models": {"Thing": {"fields": {"id": "string"}}}}) == [
        "models.Thing.fields.id.type"
    ]


def test_field_defaults() -> None:
    project = schema.normalize(
        {
            "models": {
                "Thing": {
                    "fields": {
                        "plain": "string",
                        "with_default": {"type": "int", "default": 3},
                        "maybe": {"type": "date", "nullable": True},
                        "optional": {"type": "bool", "required": False, "default": True},
                        "optional_null": {"type": "text", "required": False, "nullable": True},
                    }
                }
            }
        }
    )
    thing = project.model("Thing")
    plain, with_default = thing.field("plain"), thing.field("with_default")
    assert plain.required and not plain.nullable and not plain.has_default
    assert not with_default.required and with_default.default == 3 and not with_default.nullable
    assert not thing.field("maybe").required and thing.field("maybe").nullable
    assert thing.field("optional").default is True and not thing.field("optional").required
    assert thing.field("optional_null").nullable


def test_required_false_needs_a_default_or_nullable() -> None:
    data = {"models": {"Thing": {"fields": {"x": {"type": "string", "required": False}}}}}
    assert paths(data) == ["models.Thing.fields.x.required"]


@pytest.mark.parametrize(
    ("type_", "default", "expected"),
    [
        ("datetime", "2024-05-01T10:00:00", "2024-05-01T10:00:00+00:00"),
        ("datetime", "2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00+00:00"),
        ("date", "2024-05-01", "2024-05-01"),
        ("float", 1, "1.0"),
    ],
)
def test_defaults_are_coerced_to_their_type(type_: str, default: object, expected: str) -> None:
    project = schema.normalize(
        {"models": {"Thing": {"fields": {"x": {"type": type_, "default": default}}}}}
    )
    value = project.model("Thing").field("x").default
    assert (value.isoformat() if hasattr(value, "isoformat") else str(value)) == expected


def test_timestamps_add_server_set_fields() -> None:
    project = schema.normalize({"models": {"Thing": {"timestamps": True, "fields": {"x": "int"}}}})
    thing = project.model("Thing")
    assert [f.name for f in thing.fields] == ["id", "x", "created_at", "updated_at"]
    assert all(
        thing.field(n).server_set and not thing.field(n).writable
        for n in ("created_at", "updated_at")
    )


# -- relations ----------------------------------------------------------------------------


def test_fk_is_added_and_indexed_when_undeclared() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {"fields": {"title": "string"}, "relations": {"author_id": "User"}},
            }
        }
    )
    post = project.model("Post")
    fk = post.field("author_id")
    assert fk.type is FieldType.INT and fk.index and fk.required and not fk.nullable
    assert fk.relation.on_delete is OnDelete.RESTRICT
    assert fk.relation.attribute == "author"
    assert fk.relation.back_populates == "posts"
    assert project.model("User").children == [fk.relation]


def test_declared_fk_is_indexed() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {"fields": {"user_id": "int"}, "relations": {"user_id": "User"}},
            }
        }
    )
    assert project.model("Post").field("user_id").index


def test_default_on_delete_is_restrict_in_both_forms() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {
                    "relations": {"a_id": "User", "b_id": {"model": "User", "back_populates": "bs"}}
                },
            }
        }
    )
    post = project.model("Post")
    assert {r.fk: r.on_delete for r in post.relations} == {
        "a_id": OnDelete.RESTRICT,
        "b_id": OnDelete.RESTRICT,
    }


@pytest.mark.parametrize(
    ("on_delete", "nullable"), [("restrict", False), ("cascade", False), ("set_null", True)]
)
def test_set_null_makes_the_fk_nullable(on_delete: str, nullable: bool) -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {"relations": {"user_id": {"model": "User", "on_delete": on_delete}}},
            }
        }
    )
    fk = project.model("Post").field("user_id")
    assert fk.nullable is nullable and fk.required is not nullable
    assert fk.relation.nullable is nullable


def test_set_null_makes_a_declared_fk_nullable() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {
                    "fields": {"user_id": "int"},
                    "relations": {"user_id": {"model": "User", "on_delete": "set_null"}},
                },
            }
        }
    )
    assert project.model("Post").field("user_id").nullable


def test_self_relation_makes_the_fk_nullable() -> None:
    project = schema.normalize(
        {
            "models": {
                "Category": {
                    "relations": {"parent_id": {"model": "Category", "back_populates": "children"}}
                }
            }
        }
    )
    category = project.model("Category")
    fk = category.field("parent_id")
    assert fk.nullable and not fk.required and fk.relation.is_self
    assert fk.relation.on_delete is OnDelete.RESTRICT
    assert category.children == [fk.relation]


def test_an_fk_named_list_id_gets_its_list_relationship() -> None:
    """`list` is no problem as a relationship attribute: collections are printed before it."""
    project = schema.normalize(
        {"models": {"TodoList": {}, "Task": {"relations": {"list_id": "TodoList"}}}}
    )
    assert project.model("Task").field("list_id").relation.attribute == "list"


def test_a_relationship_attribute_may_not_shadow_the_generated_code() -> None:
    problems = schema.check({"models": {"User": {}, "Post": {"relations": {"str_id": "User"}}}})
    assert [(p.loc, "would shadow" in p.msg) for p in problems] == [
        (("models", "Post", "relations", "str_id"), True)
    ]


def test_two_fks_to_one_model_with_distinct_back_populates() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {
                    "relations": {
                        "author_id": {"model": "User", "back_populates": "authored"},
                        "editor_id": {
                            "model": "User",
                            "back_populates": "edited",
                            "on_delete": "set_null",
                        },
                    }
                },
            }
        }
    )
    relations = {r.fk: r for r in project.model("Post").relations}
    assert relations["author_id"].several_to_parent and relations["editor_id"].several_to_parent
    assert {r.back_populates for r in project.model("User").children} == {"authored", "edited"}


def test_two_fks_to_one_model_need_distinct_back_populates() -> None:
    problems = schema.check(
        {
            "models": {
                "User": USER,
                "Post": {"relations": {"author_id": "User", "editor_id": "User"}},
            }
        }
    )
    assert [p.path for p in problems] == ["models.Post.relations.editor_id.back_populates"]
    assert "distinct back_populates" in problems[0].msg


def test_creation_order_puts_parents_first() -> None:
    project = schema.normalize(
        {
            "models": {
                "Comment": {"relations": {"post_id": "Post"}},
                "Post": {"relations": {"user_id": "User"}},
                "User": USER,
            }
        }
    )
    assert [m.name for m in project.creation_order()] == ["User", "Post", "Comment"]


# -- apis ---------------------------------------------------------------------------------


def test_missing_apis_gives_admin_everywhere() -> None:
    project = schema.normalize({"models": {"User": USER, "Post": {"fields": {"t": "string"}}}})
    assert levels(project, "Post") == dict.fromkeys(CRUD, "admin")
    assert levels(project, "User") == dict.fromkeys(CRUD, "admin")


@pytest.mark.parametrize("apis", [None, {}])
def test_models_but_no_apis_gets_admin_everywhere(apis: object) -> None:
    """A file with `models` only never gets the demo's levels (SPEC §3)."""
    data = {"models": BRIEF["models"]}
    if apis is not None:
        data["apis"] = apis
    project = schema.normalize(data)
    assert levels(project, "Post") == dict.fromkeys(CRUD, "admin")


def test_missing_action_gets_admin() -> None:
    project = schema.normalize({"models": {"Post": {}}, "apis": {"Post": {"create": "public"}}})
    assert levels(project, "Post") == {"create": "public", **dict.fromkeys(CRUD[1:], "admin")}


def test_read_covers_list_and_detail_which_override_it() -> None:
    project = schema.normalize(
        {
            "models": {"A1": {}, "B1": {}, "C1": {}},
            "apis": {
                "A1": {"read": "public"},
                "B1": {"read": "public", "list": "auth"},
                "C1": {"detail": "auth", "read": "off", "list": "public"},
            },
        }
    )
    assert (project.model("A1").level("list"), project.model("A1").level("detail")) == (
        "public",
        "public",
    )
    assert (project.model("B1").level("list"), project.model("B1").level("detail")) == (
        "auth",
        "public",
    )
    assert (project.model("C1").level("list"), project.model("C1").level("detail")) == (
        "public",
        "auth",
    )


def test_list_without_read_leaves_detail_admin() -> None:
    project = schema.normalize({"models": {"Post": {}}, "apis": {"Post": {"list": "public"}}})
    assert project.model("Post").level("detail") == "admin"


@pytest.mark.parametrize("off", ["off", "OFF", " Off ", False])
def test_off_and_false_remove_the_endpoint(off: object) -> None:
    project = schema.normalize({"models": {"Post": {}}, "apis": {"Post": {"delete": off}}})
    post = project.model("Post")
    assert post.levels["delete"] is Level.OFF
    assert post.endpoints == ["create", "list", "detail", "update"]


def test_yaml_bare_off_is_off() -> None:
    data = schema.load_text("models: {Post: {}}\napis: {Post: {read: off, create: Public}}\n")
    project = schema.normalize(data)
    assert project.model("Post").levels["list"] is Level.OFF
    assert project.model("Post").level("create") == "public"


@pytest.mark.parametrize(
    ("apis", "expected"),
    [
        ({"Article": {"read": "public"}}, "apis.Article"),
        ({"Post": {"patch": "public"}}, "apis.Post.patch"),
        ({"Post": {"read": "everyone"}}, "apis.Post.read"),
        ({"Post": {"read": True}}, "apis.Post.read"),
        ({"Post": "public"}, "apis.Post"),
        (["Post"], "apis"),
    ],
)
def test_apis_names_existing_models_actions_and_levels(apis: object, expected: str) -> None:
    assert paths({"models": {"Post": {}}, "apis": apis}) == [expected]


# -- owners -------------------------------------------------------------------------------


def test_owner_is_the_single_fk_to_the_user_model() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Category": {},
                "Post": {"relations": {"category_id": "Category", "writer_id": "User"}},
            },
            "apis": {"Post": {"update": "owner"}},
        }
    )
    assert project.model("Post").owner_field == "writer_id"
    assert project.model("Category").owner_field is None


def test_owner_option_picks_one_of_several_fks() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {
                    "owner": "editor_id",
                    "relations": AUTHOR_AND_EDITOR,
                },
            },
            "apis": {"Post": {"update": "owner", "read": "owner"}},
        }
    )
    assert project.model("Post").owner_field == "editor_id"


def test_owner_through_a_parent_up_to_three_foreign_keys() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Invoice": {"relations": {"customer_id": "User"}},
                "Line": {"owner": "invoice_id", "relations": {"invoice_id": "Invoice"}},
                "Note": {"owner": "line_id", "relations": {"line_id": "Line"}},
            },
            "apis": {"Note": {"read": "owner"}, "Line": {"read": "owner"}},
        }
    )
    assert (project.model("Line").owner_field, project.model("Line").owner_parent) == (
        "invoice_id",
        "Invoice",
    )
    assert project.model("Note").owner_parent == "Line"
    assert project.model("Invoice").owner_parent is None


@pytest.mark.parametrize(
    ("models", "path", "words"),
    [
        (
            {
                "Album": {"relations": {"user_id": "User"}},
                "Bucket": {"owner": "album_id", "relations": {"album_id": "Album"}},
                "Crate": {"owner": "bucket_id", "relations": {"bucket_id": "Bucket"}},
                "Drawer": {"owner": "crate_id", "relations": {"crate_id": "Crate"}},
            },
            "models.Drawer.owner",
            "at most 3",
        ),
        (
            {"Album": {"owner": "parent_id", "relations": {"parent_id": "Album"}}},
            "models.Album.owner",
            "circle",
        ),
        (
            {"Album": {"owner": "title", "fields": {"title": "string"}}},
            "models.Album.owner",
            "not a foreign key",
        ),
        (
            {"Album": {}, "Bucket": {"owner": "album_id", "relations": {"album_id": "Album"}}},
            "models.Bucket.owner",
            "has no owner",
        ),
        (
            {"Album": {"fields": {"code": {"type": "string", "secret": True, "unique": True}}}},
            "models.Album.fields.code.unique",
            "secret",
        ),
    ],
    ids=["four-hops", "cycle", "not-fk", "parent-unowned", "secret-unique"],
)
def test_owner_and_secret_rules(models: dict, path: str, words: str) -> None:
    problems = schema.check({"models": {"User": USER, **models}})
    assert [p.path for p in problems] == [path]
    assert words in problems[0].msg


def test_owner_false_means_no_owner() -> None:
    data = {"models": {"User": USER, "Post": {"owner": False, "relations": {"user_id": "User"}}}}
    assert schema.normalize(data).model("Post").owner_field is None
    problems = schema.check({**data, "apis": {"Post": {"update": "owner"}}})
    assert [(p.path, "owner: false" in p.msg) for p in problems] == [("apis.Post.update", True)]


def test_several_fks_to_the_user_model_without_owner_is_ambiguous() -> None:
    problems = schema.check(
        {
            "models": {
                "User": USER,
                "Post": {"relations": AUTHOR_AND_EDITOR},
            },
            "apis": {"Post": {"update": "owner", "read": "owner"}},
        }
    )
    assert [p.path for p in problems] == ["apis.Post.read", "apis.Post.update"]
    assert all("owner:" in p.msg for p in problems)


def test_several_fks_without_owner_level_is_fine() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": USER,
                "Post": {"relations": AUTHOR_AND_EDITOR},
            }
        }
    )
    assert project.model("Post").owner_field is None


def test_owner_level_needs_an_fk_to_the_user_model() -> None:
    assert paths({"models": {"User": USER, "Post": {}}, "apis": {"Post": {"list": "owner"}}}) == [
        "apis.Post.list"
    ]


def test_owner_option_must_name_an_fk_to_the_user_model() -> None:
    data = {
        "models": {
            "User": USER,
            "Category": {},
            "Post": {"owner": "category_id", "relations": {"category_id": "Category"}},
        }
    }
    assert paths(data) == ["models.Post.owner"]


def test_user_model_owns_itself() -> None:
    project = schema.normalize(
        {"models": {"User": USER}, "apis": {"User": {"read": "owner", "update": "owner"}}}
    )
    assert project.model("User").owner_field == "id"
    assert paths({"models": {"User": {**USER, "owner": "id"}}}) == ["models.User.owner"]


def test_owner_with_a_custom_user_model() -> None:
    project = schema.normalize(
        {
            "models": {
                "Member": {"fields": {"login": "string", "pw": "string"}},
                "Note": {"relations": {"member_id": "Member"}},
            },
            "apis": {"Note": {"read": "owner"}},
            "auth": {"user_model": "Member", "username_field": "login", "password_field": "pw"},
        }
    )
    assert project.user_model.name == "Member"
    assert project.model("Note").owner_field == "member_id"
    assert project.model("Member").field("login").is_username


# -- the user model -----------------------------------------------------------------------


def test_builtin_user_model_is_added_when_there_is_no_user() -> None:
    project = schema.normalize({"models": {"Note": {"fields": {"text": "text"}}}})
    user = project.user_model
    assert user.name == "User" and user.builtin and user.table == "users"
    assert user.endpoints == []  # no routes but the auth routes
    assert {f.name for f in user.fields} == {"id", "email", "password"}
    assert user.field("email").is_username and user.field("email").unique
    assert user.field("password").is_password and user.field("password").secret
    assert project.models[0] is user


def test_builtin_user_model_can_own_records() -> None:
    project = schema.normalize(
        {
            "models": {"Note": {"relations": {"user_id": "User"}}},
            "apis": {"Note": {"read": "owner"}},
        }
    )
    assert project.model("Note").owner_field == "user_id"


def test_user_model_gets_unique_username_and_secret_password() -> None:
    project = schema.normalize({"models": {"User": USER}})
    user = project.model("User")
    assert user.is_user_model
    assert user.field("email").unique and user.field("email").is_username
    password = user.field("password")
    assert password.is_password and password.secret and not password.readable
    assert password.column_length == 255


def test_user_model_missing_username_and_password_get_them() -> None:
    project = schema.normalize({"models": {"User": {"fields": {"name": "string"}}}})
    assert [f.name for f in project.model("User").fields] == ["id", "name", "email", "password"]


def test_custom_username_and_password_fields() -> None:
    project = schema.normalize(
        {
            "models": {
                "User": {
                    "fields": {
                        "login": {"type": "string", "max_length": 40},
                        "secret_hash": "string",
                    }
                }
            },
            "auth": {
                "username_field": "login",
                "password_field": "secret_hash",
                "registration": False,
            },
        }
    )
    user = project.model("User")
    assert user.field("login").unique and user.field("secret_hash").is_password
    assert project.auth.registration is False
    assert project.auth.username_field == "login"


def test_role_is_reserved_on_the_user_model_only() -> None:
    assert paths(
        {"models": {"User": {**USER, "fields": {**USER["fields"], "role": "string"}}}}
    ) == ["models.User.fields.role"]
    assert schema.check({"models": {"Job": {"fields": {"role": "string"}}}}) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("title__icontains", "'__' is reserved for list operators"),
        ("due__", "'__' is reserved for list operators"),
        ("q", "list parameter"),
        ("expand", "list and detail parameter"),
    ],
)
def test_list_query_names_are_reserved(name: str, words: str) -> None:
    problems = schema.check({"models": {"Post": {"fields": {name: "string"}}}})
    assert [p.path for p in problems] == [f"models.Post.fields.{name}"]
    assert words in problems[0].msg


@pytest.mark.parametrize("name", ["Queries", "Expand"])
def test_models_whose_modules_the_list_queries_take_are_refused(name: str) -> None:
    assert paths({"models": {name: {"fields": {"title": "string"}}}}) == [f"models.{name}"]


def test_user_model_must_exist() -> None:
    assert paths({"models": {"Post": {}}, "auth": {"user_model": "Member"}}) == ["auth.user_model"]


# -- whole-schema behaviour ----------------------------------------------------------------


def test_every_problem_is_listed_with_its_path() -> None:
    data = {
        "models": {
            "post": {},
            "Post": {
                "fields": {
                    "titel": "strin",
                    "limit": "int",
                    "n": {"type": "int", "ge": 2, "le": 1},
                },
                "relations": {"author_id": "Author"},
            },
        },
        "apis": {"Nope": {"read": "public"}, "Post": {"read": "everyone"}},
        "auth": {"registration": "closed"},
    }
    error = pytest.raises(schema.SchemaError, schema.normalize, data).value
    found = {p.path for p in error.problems}
    assert found == {
        "models.post",
        "models.Post",  # its module name 'post' is the same as post's
        "models.Post.fields.titel.type",
        "models.Post.fields.limit",
        "models.Post.fields.n.le",
        "models.Post.relations.author_id.model",
        "apis.Nope",
        "apis.Post.read",
        "auth.registration",
    }
    text = str(error)
    assert text.startswith(f"The project schema has {len(error.problems)} problems:")
    assert "models.Post.fields.titel.type: unknown type 'strin'" in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["models"]),
        ({"models": {}}, ["models"]),
        ({"models": None}, ["models"]),
        ({"models": ["Post"]}, ["models"]),
        ({"models": {"Post": "string"}}, ["models.Post"]),
        ({"models": {"Post": {"fields": ["a"]}}}, ["models.Post.fields"]),
        ({"models": {"Post": {}}, "extra": 1}, ["extra"]),
        ({"models": {"Post": {}}, "project_name": 3}, ["project_name"]),
        ({"models": {"Post": {}}, "auth": {"password": "x"}}, ["auth.password"]),
        ([], ["(schema)"]),
    ],
)
def test_shape_problems(data: object, expected: list[str]) -> None:
    assert paths(data) == expected


def test_check_returns_an_empty_list_for_valid_schemas() -> None:
    for example in schema.EXAMPLES.iterdir():
        assert schema.check(schema.load_file(example)) == [], example.name


# -- reading files strictly ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint", "message"),
    [
        ("models: {}\nmodels: {}\n", "s.yaml", "duplicate key 'models'"),
        ("models:\n  Post: {}\n  Post: {}\n", "s.yaml", "duplicate key 'Post'"),
        ('{"models": {}, "models": {}}', "s.json", "duplicate key 'models'"),
        ("", "s.yaml", "empty"),
        ("# only a comment\n", "s.yaml", "empty"),
        ("- a\n- b\n", "s.yaml", "list"),
        ("just text\n", "s.yaml", "str"),
        ("42\n", "s.yaml", "int"),
        ("[1, 2]", "s.json", "list"),
        ("models: [\n", "s.yaml", "not valid YAML"),
        ("{", "s.json", "not valid JSON"),
        ("models: !!python/object:os.system {}\n", "s.yaml", "not valid YAML"),
    ],
)
def test_load_text_is_strict(text: str, hint: str, message: str) -> None:
    error = pytest.raises(schema.SchemaError, schema.load_text, text, hint).value
    assert len(error.problems) == 1
    assert message in error.problems[0].msg


def test_load_text_reads_json_as_yaml_too() -> None:
    assert schema.load_text('{"models": {"Post": {}}}', "schema.yaml") == {"models": {"Post": {}}}


def test_json_written_by_python_reads_the_same_through_yaml() -> None:
    """Copier reads --data-file with YAML 1.1: json.dump's 💥 and 1e-05 must survive it."""
    data = {"models": {"Note": {"fields": {"size": {"type": "float", "default": 1e-05}}}}}
    data["models"]["Note"]["fields"]["size"]["description"] = "tiny 💥"
    as_yaml = schema.load_text(json.dumps(data), "schema.yaml")
    assert as_yaml["models"]["Note"]["fields"]["size"]["description"] == "tiny 💥"
    assert schema.normalize(as_yaml) == schema.normalize(data)
    size = schema.normalize(as_yaml).model("Note").field("size")
    assert size.default == 1e-05 and size.description == "tiny 💥"


def test_load_file_of_a_missing_file(tmp_path: Path) -> None:
    error = pytest.raises(schema.SchemaError, schema.load_file, tmp_path / "nope.yaml").value
    assert "cannot read" in error.problems[0].msg


# -- the check command ----------------------------------------------------------------------


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schema", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_cli_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("models:\n  Post:\n    fields: {title: string}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("models:\n  Post:\n    fields: {titel: strin}\n    relations: {a_id: Nope}\n")
    dup = tmp_path / "dup.yaml"
    dup.write_text("models: {}\nmodels: {}\n")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")

    ok = run_check("check", str(good), str(schema.EXAMPLES / "brief.json"))
    assert ok.returncode == 0, ok.stderr
    assert "good.yaml: OK (2 models)" in ok.stdout  # Post and the built-in User

    refused = run_check(
        "check", str(good), str(bad), str(dup), str(empty), str(tmp_path / "missing.yaml")
    )
    assert refused.returncode == 1
    assert "models.Post.fields.titel.type: unknown type 'strin'" in refused.stderr
    assert "models.Post.relations.a_id.model" in refused.stderr
    assert "duplicate key 'models'" in refused.stderr
    assert "empty" in refused.stderr
    assert "missing.yaml" in refused.stderr
    assert "good.yaml: OK" in refused.stdout

    usage = run_check("check")
    assert usage.returncode == 2


def test_jsonschema_cli_prints_the_schema() -> None:
    result = run_check("jsonschema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == schema.json_schema()


# -- names a database or a reader would trip over ---------------------------------------


@pytest.mark.parametrize(
    ("models", "path", "words"),
    [
        ({"Post": {}, "Posts": {}}, "models.Posts", "plural of 'Post'"),
        ({"Person": {}, "People": {}}, "models.People", "plural of 'Person'"),
        ({"P" + "x" * 70: {}}, "models.P" + "x" * 70, "PostgreSQL allows 63"),
        ({"Post": {"fields": {"t" * 64: "string"}}}, "models.Post.fields." + "t" * 64, "column"),
        (
            {"Post": {"fields": {"s" * 58: {"type": "string", "unique": True}}}},
            "models.Post.fields." + "s" * 58,
            "unique constraint",
        ),
        (
            {"Tag": {}, "Post": {"relations": {"t" * 50 + "_id": "Tag"}}},
            "models.Post.relations." + "t" * 50 + "_id",
            "foreign key",
        ),
    ],
    ids=["plural-s", "plural-irregular", "long-table", "long-column", "long-unique", "long-fk"],
)
def test_names_that_would_be_confused_or_cut(models: dict, path: str, words: str) -> None:
    problems = schema.check({"models": models})
    assert [p.path for p in problems] == [path]
    assert words in problems[0].msg


def test_an_explicit_user_field_the_user_model_lacks_is_refused() -> None:
    problems = schema.check(
        {"models": {"User": USER}, "auth": {"username_field": "emial", "password_field": "pw"}}
    )
    assert {p.path: p.msg for p in problems}.keys() == {
        "auth.username_field",
        "auth.password_field",
    }
    assert any("'emial'" in p.msg for p in problems)


def test_an_unknown_level_or_action_names_the_value() -> None:
    problems = schema.check(
        {"models": {"Post": {}}, "apis": {"Post": {"read": "everyone", "fetch": "auth"}}}
    )
    assert {p.path: "'everyone'" in p.msg or "'fetch'" in p.msg for p in problems} == {
        "apis.Post.read": True,
        "apis.Post.fetch": True,
    }


# -- version 2 types and options ---------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "path", "words"),
    [
        ({"type": "decimal", "max_digits": 3, "decimal_places": 5}, "decimal_places", "exceeds"),
        ({"type": "decimal", "decimal_places": 2, "default": "1.234"}, "default", "does not fit"),
        ({"type": "decimal", "max_length": 3}, "max_length", "only"),
        ({"type": "enum"}, "values", "lists its values"),
        ({"type": "enum", "values": []}, "values", "1 to 100"),
        ({"type": "enum", "values": ["a", "1b"]}, "values.1", "starts with a letter"),
        ({"type": "enum", "values": ["in-a", "in_a"]}, "values.1", "same value"),
        ({"type": "enum", "values": ["a", "b"], "default": "c"}, "default", "not one of"),
        ({"type": "email", "default": "nope"}, "default", "e-mail"),
        ({"type": "int", "values": ["a"]}, "values", "only enum"),
        ({"type": "int", "max_digits": 3}, "max_digits", "only decimal"),
        ({"type": "string", "admin_only": True}, "admin_only", "default or nullable"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_version_2_field_rules(spec: dict, path: str, words: str) -> None:
    problems = schema.check({"models": {"Thing": {"fields": {"x": spec}}}})
    assert [p.path for p in problems] == [f"models.Thing.fields.x.{path}"]
    assert words in problems[0].msg


def test_version_2_types_normalise() -> None:
    project = schema.normalize(
        {
            "models": {
                "Order": {
                    "unique_together": [["code", "total"]],
                    "search": ["code", "contact"],
                    "fields": {
                        "code": "string",
                        "total": {"type": "decimal", "default": 0},
                        "status": {"type": "enum", "values": ["new", "in-progress"]},
                        "contact": {"type": "email", "admin_only": True, "nullable": True},
                    },
                }
            }
        }
    )
    order = project.model("Order")
    assert (order.field("total").digits, order.field("total").places) == (12, 2)
    assert order.field("status").enum_class == "OrderStatus"
    assert order.field("status").values == ("new", "in-progress")
    assert order.field("contact").admin_only
    assert order.unique_together == [("code", "total")]
    assert order.search == ["code", "contact"]


def test_an_enum_class_that_clashes_is_refused() -> None:
    problems = schema.check(
        {
            "models": {
                "OrderStatus": {},
                "Order": {"fields": {"status": {"type": "enum", "values": ["a"]}}},
            }
        }
    )
    assert [p.path for p in problems] == ["models.Order.fields.status"]
