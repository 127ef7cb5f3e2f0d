"""Regeneration (SPEC §6): `copier update` after a schema change, and template updates.

Projects are git repositories with committed user edits; every Copier run, Alembic
command and generated test suite runs in a subprocess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from tests import postgres, projects
except ImportError:  # tests/ is not a package
    import postgres  # type: ignore[no-redef]
    import projects  # type: ignore[no-redef]

pytestmark = pytest.mark.slow

SCHEMA_V1 = """\
project_name: Blog
models:
  User:
    fields: {id: int, email: string, password: string}
  Post:
    fields: {id: int, title: string, content: string, user_id: int}
    relations: {user_id: User}
  Note:
    fields: {text: string}
apis:
  Post: {create: auth, read: public, update: auth, delete: admin}
  Note: {create: auth, read: public, update: auth, delete: auth}
auth: {}
"""

# Adds a model with a relation and a required field without a default, removes a model,
# and changes a permission level (deleting a post: admin -> auth).
SCHEMA_V2 = """\
project_name: Blog
models:
  User:
    fields: {id: int, email: string, password: string}
  Post:
    fields: {id: int, title: string, content: string, user_id: int, published: bool}
    relations: {user_id: User}
  Comment:
    fields: {body: text}
    relations: {post_id: {model: Post, on_delete: cascade}}
apis:
  Post: {create: auth, read: public, update: auth, delete: auth}
  Comment: {create: auth, read: public, update: auth, delete: auth}
auth: {}
"""

CUSTOM_ENDPOINT = """

@router.get("/stats/count", tags=["custom"])
def count_posts(session: SessionDep) -> dict[str, int]:
    from sqlalchemy import func, select

    return {"count": session.scalar(select(func.count()).select_from(Post)) or 0}
"""

MAIN_EDIT = """

@app.get("/health", tags=["custom"])
def health() -> dict[str, str]:
    return {"status": "ok"}
"""

OWN_FILE = '"""The user\'s own module: regeneration never touches it."""\n\nGREETING = "hi"\n'

SEED = """
import sqlalchemy as sa
from database import engine
with engine.begin() as c:
    c.execute(sa.text("INSERT INTO users (email, password, role) VALUES ('a@x.org', 'h', 'user')"))
    for i in range(1, 8):
        c.execute(sa.text("INSERT INTO posts (title, content, user_id) VALUES (:t, 'c', 1)"),
                  {"t": f"post {i}"})
    c.execute(sa.text("INSERT INTO notes (text) VALUES ('a note')"))
"""

# Runs inside the regenerated project: the custom endpoints, old posts, and comments.
EXERCISE = """
import json
from fastapi.testclient import TestClient
from main import app

with TestClient(app) as client:
    out = {}
    out["health"] = client.get("/health").json()
    out["count"] = client.get("/posts/stats/count").json()
    posts = client.get("/posts", params={"limit": 100}).json()
    out["posts"] = [[p["id"], p["title"], p["published"]] for p in posts]
    r = client.post("/auth/register", json={"email": "b@x.org", "password": "secret-pass-1"})
    assert r.status_code == 201, r.text
    token = client.post(
        "/auth/token", data={"username": "b@x.org", "password": "secret-pass-1"}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    # Comments refer to posts, which have an owner: b comments on b's own post (SPEC 9.2).
    r = client.post("/comments", json={"body": "not mine", "post_id": posts[0]["id"]}, headers=auth)
    out["comment_on_others_post"] = r.status_code
    own = client.post(
        "/posts", json={"title": "b's", "content": "c", "published": False}, headers=auth
    ).json()
    r = client.post("/comments", json={"body": "first!", "post_id": own["id"]}, headers=auth)
    out["comment_status"] = r.status_code
    out["comments"] = [c["body"] for c in client.get("/comments").json()]
    r = client.delete(f"/posts/{posts[-1]['id']}", headers=auth)
    out["delete_post_as_user"] = r.status_code
    print(json.dumps(out))
"""


@dataclass
class Regenerated:
    project: Path
    before: dict[str, str]  # files whose bytes must not change
    refused: object  # the `copier update` without --data-file
    status_after_refusal: str
    update: object
    pg_url: str | None


def _read(project: Path, *names: str) -> dict[str, str]:
    return {name: (project / name).read_text() for name in names}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Regenerated:
    base = tmp_path_factory.mktemp("regen")
    template = projects.template_repo(base / "template")
    data = base / "schema-v1.yaml"
    data.write_text(SCHEMA_V1)
    project = projects.generate(template, base / "blog", data)

    # The user's edits, committed.
    with (project / "routers" / "post.py").open("a") as f:
        f.write(CUSTOM_ENDPOINT)
    with (project / "main.py").open("a") as f:
        f.write(MAIN_EDIT)
    (project / "services").mkdir()
    (project / "services" / "__init__.py").write_text("")
    (project / "services" / "greeting.py").write_text(OWN_FILE)
    projects.commit(project, "custom endpoint, health check, own module")

    # Existing data, on the default SQLite file and (where installed) on PostgreSQL.
    projects.alembic(project, "upgrade", "head")
    projects.python(project, SEED)
    pg_url = None
    if postgres.skip_reason() is None:
        pg_url = postgres.postgres_server().create_database("regen")
        projects.alembic(project, "upgrade", "head", DATABASE_URL=pg_url)
        projects.python(project, SEED, DATABASE_URL=pg_url)

    before = _read(project, ".env", "migrations/versions/0001_initial.py")

    # The user edits schema.yaml and commits; forgetting --data-file is refused.
    (project / "schema.yaml").write_text(SCHEMA_V2)
    projects.commit(project, "schema: comments, published, no notes")
    refused = projects.copier("update", "--trust", "--defaults", cwd=project, check=False)
    status = projects.git(project, "status", "--porcelain").stdout

    update = projects.regenerate(project)
    projects.alembic(project, "revision", "--autogenerate", "-m", "comments and published")
    projects.alembic(project, "upgrade", "head")
    if pg_url:
        projects.alembic(project, "upgrade", "head", DATABASE_URL=pg_url)
    projects.commit(project, "regenerated")
    return Regenerated(project, before, refused, status, update, pg_url)


def test_update_without_data_file_says_schema_yaml_was_ignored(regenerated: Regenerated) -> None:
    refused = regenerated.refused
    assert refused.returncode != 0, "an edited schema.yaml was silently ignored"
    assert "schema.yaml differs" in refused.stderr
    assert "--data-file schema.yaml" in refused.stderr
    assert regenerated.status_after_refusal == "", "a refused update changed files"


def test_regenerate_adds_removes_and_changes_files(regenerated: Regenerated) -> None:
    project = regenerated.project
    for kind in ("models", "schemas", "crud", "routers"):
        assert (project / kind / "comment.py").is_file(), f"{kind}/comment.py missing"
        assert not (project / kind / "note.py").exists(), f"{kind}/note.py not removed"
    assert "published" in (project / "models" / "post.py").read_text()
    assert "comment_router" in (project / "main.py").read_text()
    assert "note" not in (project / "main.py").read_text().lower()
    delete_route = (project / "routers" / "post.py").read_text().split("def delete_post")[0]
    assert "RequireAdmin" not in delete_route.rsplit("@router.delete", 1)[1]
    answers = (project / ".copier-answers.yml").read_text()
    assert "Comment" in answers and "Note" not in answers


def test_user_edits_survive_without_conflicts(regenerated: Regenerated) -> None:
    project = regenerated.project
    assert projects.conflicts(project) == []
    assert CUSTOM_ENDPOINT.strip() in (project / "routers" / "post.py").read_text()
    assert MAIN_EDIT.strip() in (project / "main.py").read_text()
    assert (project / "services" / "greeting.py").read_text() == OWN_FILE


def test_env_schema_and_initial_revision_are_never_overwritten(regenerated: Regenerated) -> None:
    project = regenerated.project
    assert _read(project, *regenerated.before) == regenerated.before
    assert (project / "schema.yaml").read_text() == SCHEMA_V2


def test_revision_is_formatted_and_fills_required_columns(regenerated: Regenerated) -> None:
    project = regenerated.project
    [revision] = [
        p for p in (project / "migrations" / "versions").glob("*.py") if p.name != "0001_initial.py"
    ]
    source = revision.read_text()
    assert "server_default=sa.false()" in source
    assert "Sequence, Union" not in source
    projects.run([projects.BIN / "black", "--check", "-q", revision], project)
    projects.run([projects.BIN / "ruff", "check", "-q", revision], project)
    projects.alembic(project, "check")


def test_old_posts_survive_and_new_endpoints_work(regenerated: Regenerated) -> None:
    out = json.loads(projects.python(regenerated.project, EXERCISE).stdout.splitlines()[-1])
    assert out["health"] == {"status": "ok"}
    assert out["count"] == {"count": 7}
    assert out["posts"] == [[i, f"post {i}", False] for i in range(1, 8)]
    assert out["comment_on_others_post"] == 422
    assert out["comment_status"] == 201
    assert out["comments"] == ["first!"]
    assert out["delete_post_as_user"] in (204, 403)  # auth now, no longer admin-only (401/403)


def test_generated_suite_passes_after_regeneration(regenerated: Regenerated) -> None:
    result = projects.run(
        [projects.PYTHON, "-m", "pytest", "-x", "-p", "no:cacheprovider"],
        regenerated.project,
    )
    assert "passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.postgres
def test_regeneration_on_postgresql(regenerated: Regenerated) -> None:
    if regenerated.pg_url is None:
        pytest.skip(postgres.skip_reason() or "PostgreSQL unavailable")
    project = regenerated.project
    titles = projects.python(
        project,
        "import sqlalchemy as sa; from database import engine\n"
        "with engine.connect() as c:\n"
        "    print(c.execute(sa.text('SELECT title, published FROM posts ORDER BY id')).all())",
        DATABASE_URL=regenerated.pg_url,
    ).stdout
    assert titles.strip() == str([(f"post {i}", False) for i in range(1, 8)])
    projects.alembic(project, "check", DATABASE_URL=regenerated.pg_url)
    result = projects.run(
        [projects.PYTHON, "-m", "pytest", "-x", "-p", "no:cacheprovider"],
        project,
        TEST_DATABASE_URL=postgres.postgres_server().create_database("suite"),
    )
    assert "passed" in result.stdout and "failed" not in result.stdout


# -- pulling a newer template version ------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def template_update(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("tplupdate")
    template = projects.template_repo(base / "template")
    project = projects.generate(template, base / "app", projects.EXAMPLES / "brief.json")

    with (project / "main.py").open("a") as f:
        f.write(MAIN_EDIT)
    # A conflicting edit: the same line the template changes in v2.
    _edit(project / "config.py", "docs_enabled: bool = True", "docs_enabled: bool = False")
    projects.commit(project, "user edits")
    before = _read(project, ".env", "schema.yaml", "migrations/versions/0001_initial.py")

    t = template / "template"
    _edit(
        t / "main.py.jinja", ': the FastAPI application."""', ': the FastAPI application (v2)."""'
    )
    _edit(t / "config.py.jinja", "docs_enabled: bool = True", "docs_enabled: bool = True  # v2")
    with (t / ".env.jinja").open("a") as f:
        f.write("# v2\n")
    with (t / "schema.yaml.jinja").open("a") as f:
        f.write("\n# v2\n")
    with (t / "migrations" / "versions" / "0001_initial.py.jinja").open("a") as f:
        f.write("# v2\n")
    (t / "CHANGES.md").write_text("Template v2\n")
    projects.commit(template, "v2")
    projects.git(template, "tag", "v2")

    result = projects.copier(
        "update",
        "-q",
        "--trust",
        "--defaults",
        "--data-file",
        "schema.yaml",
        cwd=project,
        check=False,
    )
    return {"project": project, "before": before, "result": result}


def test_template_update_brings_changes_and_keeps_edits(template_update: dict) -> None:
    project = template_update["project"]
    assert template_update["result"].returncode == 0, template_update["result"].stderr
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
    main = (project / "main.py").read_text()
    assert "the FastAPI application (v2)." in main
    assert MAIN_EDIT.strip() in main
    assert (project / "CHANGES.md").read_text() == "Template v2\n"


def test_template_update_conflict_is_shown_inline(template_update: dict) -> None:
    project = template_update["project"]
    assert projects.conflicts(project) == ["config.py"]
    config = (project / "config.py").read_text()
    assert "docs_enabled: bool = False" in config  # the user's line, not lost
    assert "docs_enabled: bool = True  # v2" in config  # the template's line


def test_template_update_never_overwrites_env_schema_or_initial_revision(
    template_update: dict,
) -> None:
    project = template_update["project"]
    before = template_update["before"]
    assert _read(project, *before) == before


# -- version 2: a value added to an enum, a unique_together added ---------------------------

ENUM_V1 = """
models:
  User: {fields: {email: string, password: string}}
  Order:
    fields:
      code: string
      status: {type: enum, values: [new, paid], default: new}
apis:
  Order: {create: public, read: public, update: public, delete: public}
auth: {}
"""
ENUM_V2 = ENUM_V1.replace("[new, paid]", "[new, paid, shipped]").replace(
    "    fields:\n      code", "    unique_together: [[code, status]]\n    fields:\n      code"
)
ORDERS_SEED = """
import sqlalchemy as sa
from database import engine
with engine.begin() as c:
    for i, status in enumerate(["new", "paid", "new", "paid"]):
        c.execute(sa.text("INSERT INTO orders (code, status) VALUES (:c, :s)"),
                  {"c": f"o{i}", "s": status})
"""
ORDERS_EXERCISE = """
import json
from fastapi.testclient import TestClient
from main import app

with TestClient(app) as client:
    out = {"rows": [[o["code"], o["status"]] for o in client.get("/orders").json()]}
    body = {"code": "o9", "status": "shipped"}
    out["shipped"] = client.post("/orders", json=body).status_code
    again = client.post("/orders", json=body)
    out["again"] = [again.status_code, again.json()["detail"]]
    out["unknown"] = client.post("/orders", json={"code": "x", "status": "lost"}).status_code
    print(json.dumps(out))
"""


def test_a_new_enum_value_and_unique_together_migrate_keeping_every_row(
    tmp_path: Path,
) -> None:
    template = projects.template_repo(tmp_path / "template")
    data = tmp_path / "v1.yaml"
    data.write_text(ENUM_V1)
    project = projects.generate(template, tmp_path / "orders", data)
    projects.alembic(project, "upgrade", "head")
    projects.python(project, ORDERS_SEED)
    (project / "schema.yaml").write_text(ENUM_V2)
    projects.commit(project, "schema: a shipped status, code and status unique together")
    projects.regenerate(project)
    revision = projects.alembic(project, "revision", "--autogenerate", "-m", "shipped")
    assert "check constraint" in revision.stderr  # the enum's constraint is replaced
    projects.alembic(project, "upgrade", "head")
    out = json.loads(projects.python(project, ORDERS_EXERCISE).stdout.splitlines()[-1])
    assert out["rows"] == [["o0", "new"], ["o1", "paid"], ["o2", "new"], ["o3", "paid"]]
    assert out["shipped"] == 201
    assert out["again"][0] == 409 and "code" in out["again"][1] and "status" in out["again"][1]
    assert out["unknown"] == 422
