"""The shipped examples and the embedded default render into clean projects whose own tests pass.

Renders (in parallel, once per module): brief.json, blog.yaml, shop.yaml, the default (no data
file), and, written as JSON files, a schema with models but no `apis` and one of legal corners
(EDGE_CASES) where the generated tests must still find valid, distinct data.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import schema
from tests.conftest import Renderer, project_env, run_in, tool

pytestmark = pytest.mark.slow

EXAMPLES = {
    "brief": schema.EXAMPLES / "brief.json",
    "blog": schema.EXAMPLES / "blog.yaml",
    "shop": schema.EXAMPLES / "shop.yaml",
    "tasks": schema.EXAMPLES / "tasks.yaml",
    "default": None,
}
NO_APIS = {"models": schema.DEFAULT_SCHEMA["models"]}
# Legal corners the generated tests must still find valid data in: number bounds at the
# edges, a username and password of at most 8 characters, an FK named list_id (its
# relationship attribute `list` sits beside `list[...]` annotations); and a description
# beyond the BMP, which json.dump escapes as a surrogate pair.
EDGE_CASES = {
    "models": {
        "User": {
            "fields": {
                "email": {"type": "string", "max_length": 8},
                "password": {"type": "string", "min_length": 3, "max_length": 8},
            }
        },
        "TodoList": {
            "fields": {
                "title": {"type": "string", "description": "Shown first 💥 — ünïcode"},
                "pinned": {"type": "bool", "unique": True},  # two values; its User comes first
            },
            "relations": {"owner_id": {"model": "User", "on_delete": "cascade"}},
        },
        "Reading": {
            "fields": {
                "below": {"type": "int", "le": -5},
                "fixed": {"type": "int", "ge": 7, "le": 7, "unique": True},
                "narrow": {"type": "int", "ge": -100, "le": -90, "unique": True},
                "falling": {"type": "int", "le": -5, "unique": True},
                "cold": {"type": "float", "le": -5},
                "huge": {"type": "float", "ge": 1.0e300},
                "widest": {"type": "float", "ge": -1.0e308, "le": 1.0e308, "unique": True},
                "lowest": {"type": "float", "le": -1.7e308, "unique": True},
                "pinned": {"type": "float", "ge": 2.5, "le": 2.5},
            },
            "relations": {
                "list_id": {"model": "TodoList", "on_delete": "cascade"},
                # a second FK to a model of two rows at most (pinned): test records share them
                "spare_list_id": {"model": "TodoList", "back_populates": "spare_readings"},
                "previous_id": {"model": "Reading", "on_delete": "set_null"},
            },
        },
    },
    "apis": {
        "User": {"create": "admin", "read": "owner", "update": "owner", "delete": "admin"},
        "TodoList": {"create": "owner", "read": "owner", "update": "owner", "delete": "owner"},
        "Reading": {"create": "public", "read": "public", "update": "auth"},
    },
}
SCHEMAS = {"no-apis": NO_APIS, "edge-cases": EDGE_CASES}
PYTHON = str(Path(tool("copier")).parent / "python")
if not Path(PYTHON).exists():
    PYTHON = sys.executable

PROBE = """
import json
from fastapi.testclient import TestClient
from main import app
with TestClient(app) as client:
    print("PROBE " + json.dumps({
        "list_posts": client.get("/posts").status_code,
        "read_post": client.get("/posts/1").status_code,
        "create_post": client.post("/posts", json={}).status_code,
        "list_users": client.get("/users").status_code,
    }))
"""


@pytest.fixture(scope="module")
def projects(render: Renderer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("examples")
    jobs = {**EXAMPLES, **SCHEMAS}

    def one(item: tuple[str, object]) -> tuple[str, Path]:
        name, source = item
        if isinstance(source, dict):  # as Python's json.dump writes it: 💥 as "\ud83d\udca5"
            source = root / f"{name}.json"
            source.write_text(json.dumps(SCHEMAS[name]))
        dst = root / name
        render(source, dst)
        return name, dst

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, jobs.items()))


ALL = [*EXAMPLES, *SCHEMAS]


def probe(project: Path) -> dict[str, int]:
    result = run_in(project, PYTHON, "-c", PROBE, env=project_env(project, "probe.db"))
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE "))
    return yaml.safe_load(line.removeprefix("PROBE "))


@pytest.mark.parametrize("name", ALL)
def test_ruff_check_passes(projects: dict[str, Path], name: str) -> None:
    result = run_in(projects[name], tool("ruff"), "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", ALL)
def test_black_check_passes(projects: dict[str, Path], name: str) -> None:
    result = run_in(projects[name], tool("black"), "--check", "--diff", "-q", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


@pytest.mark.parametrize("name", ALL)
def test_mypy_passes(projects: dict[str, Path], name: str) -> None:
    """Type-honest code: mypy with the pydantic plugin (the project's pyproject.toml)."""
    result = run_in(projects[name], tool("mypy"), "--no-incremental", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize("name", ALL)
def test_generated_suite_passes(projects: dict[str, Path], name: str) -> None:
    project = projects[name]
    if not (project / "tests").is_dir():
        pytest.skip("the generated project has no tests/ yet (template/tests/ is in progress)")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    result = run_in(
        project, PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", env=env, timeout=900
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize("name", ALL)
def test_project_carries_its_schema_with_all_sections(projects: dict[str, Path], name: str) -> None:
    written = yaml.safe_load((projects[name] / "schema.yaml").read_text())
    assert {"models", "apis", "auth"} <= set(written)
    source = EXAMPLES.get(name)
    expected = schema.load_file(source) if source else SCHEMAS.get(name, schema.DEFAULT_SCHEMA)
    assert schema.check(written) == []
    if name in SCHEMAS:
        # Read back from JSON by Copier's YAML 1.1 parser, 1e+308 is the string "1e+308": the
        # same project all the same.
        named = written["project_name"]
        assert schema.normalize(written, project_name=named) == schema.normalize(
            expected, project_name=named
        )
        return
    assert written["models"] == expected["models"]
    assert written["apis"] == expected.get("apis", {})


def test_bare_copy_uses_the_brief(projects: dict[str, Path]) -> None:
    project = projects["default"]
    written = yaml.safe_load((project / "schema.yaml").read_text())
    assert written["models"] == schema.DEFAULT_SCHEMA["models"]
    assert written["apis"] == {
        "Post": {"create": "auth", "read": "public", "update": "auth", "delete": "admin"}
    }
    assert sorted(p.name for p in (project / "models").glob("*.py")) == [
        "__init__.py",
        "post.py",
        "user.py",
    ]
    assert probe(project) == {
        "list_posts": 200,  # read: public
        "read_post": 404,  # public, and there is no post 1
        "create_post": 401,  # create: auth
        "list_users": 401,  # User has no apis entry: admin
    }


def test_models_without_apis_get_admin_everywhere(projects: dict[str, Path]) -> None:
    project = projects["no-apis"]
    router = (project / "routers" / "post.py").read_text()
    assert router.count("RequireAdmin") >= 5, router
    assert "RequireUser" not in router
    assert probe(project) == {
        "list_posts": 401,
        "read_post": 401,
        "create_post": 401,
        "list_users": 401,
    }
