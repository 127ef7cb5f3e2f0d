"""Bad schemas are refused by `copier copy` before anything is written (SPEC §3 Validation).

Every case goes through Copier's CLI (`copier copy --trust --defaults --data-file`) twice:
into a destination that does not exist (it must stay absent) and into an existing folder
holding one file (it must stay exactly as it was); the exit code is non-zero and stderr names
the offending path.

A fresh `copier` process costs ~2 s (mostly importing inflect), so by default the cases run
through Copier's CLI application (`CopierApp.run([...], exit=False)`, what the `copier` script
calls) in two long-lived child processes, one render after the other in each: the same code
path as the command line, a tenth of the time. BB_REAL_COPIER=1 runs every case as its own
`copier` process instead. The multi-problem test always uses real `copier` processes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import schema
from tests.conftest import (
    ANSI,
    AUTHOR_AND_EDITOR,
    USER,
    copier_env,
    run_copier,
    tool,
    tree,
    write_schema,
)

pytestmark = pytest.mark.slow

KEEP = "keep.txt"
KEEP_TEXT = "the user's own file\n"


@dataclass(frozen=True)
class Case:
    id: str
    data: dict[str, Any]
    path: str  # the path the refusal must name
    copier_bug: str | None = None  # a known bug: `copier copy` does not refuse it yet


def case(id_: str, data: dict[str, Any], path: str, *, xfail: str | None = None) -> Case:
    return Case(id_, data, path, xfail)


def post(**fields: Any) -> dict[str, Any]:
    return {"models": {"Post": {"fields": fields or {"title": "string"}}}}


def post_with(**options: Any) -> dict[str, Any]:
    return {"models": {"Post": {"fields": {"title": "string"}, **options}}}


CASES = [
    # identifiers and keywords
    case("model-lowercase", {"models": {"post": {}}}, "models.post"),
    case("model-digit-first", {"models": {"2Post": {}}}, "models.2Post"),
    case("model-underscore", {"models": {"Blog_Post": {}}}, "models.Blog_Post"),
    case("field-keyword", post(**{"class": "string"}), "models.Post.fields.class"),
    case("field-soft-keyword", post(match="string"), "models.Post.fields.match"),
    case("field-dash", post(**{"first-name": "string"}), "models.Post.fields.first-name"),
    case("field-leading-underscore", post(_x="int"), "models.Post.fields._x"),
    case(
        "fk-keyword",
        {"models": {"User": USER, "Post": {"relations": {"class": "User"}}}},
        "models.Post.relations.class",
    ),
    case(
        "back-populates-keyword",
        {
            "models": {
                "User": USER,
                "Post": {"relations": {"user_id": {"model": "User", "back_populates": "class"}}},
            }
        },
        "models.Post.relations.user_id.back_populates",
    ),
    case(
        "relationship-attribute-shadows",
        {"models": {"User": USER, "Post": {"relations": {"int_id": "User"}}}},
        "models.Post.relations.int_id",
    ),
    # clashes with generated names
    case("model-reserved-class", {"models": {"Session": {}}}, "models.Session"),
    case("model-reserved-module", {"models": {"Config": {}}}, "models.Config"),
    case("model-keyword-module", {"models": {"Class": {}}}, "models.Class"),
    case("model-generated-class", {"models": {"Post": {}, "PostCreate": {}}}, "models.PostCreate"),
    case("field-pydantic-attr", post(model_dump="string"), "models.Post.fields.model_dump"),
    case("field-sqlalchemy-metadata", post(metadata="string"), "models.Post.fields.metadata"),
    case("field-self", post(self="string"), "models.Post.fields.self"),
    case("field-case-duplicate", post(title="string", Title="text"), "models.Post.fields.Title"),
    case(
        "timestamps-field",
        {"models": {"Post": {"timestamps": True, "fields": {"created_at": "datetime"}}}},
        "models.Post.fields.created_at",
    ),
    # collisions after snake_case / plural
    case("collide-snake", {"models": {"HTTPRequest": {}, "HttpRequest": {}}}, "models.HttpRequest"),
    case("collide-acronym", {"models": {"APIKey": {}, "ApiKey": {}}}, "models.ApiKey"),
    case(
        "collide-table",
        {"models": {"Post": {}, "Article": {"table": "posts"}}},
        "models.Article.table",
    ),
    case(
        "collide-path",
        {"models": {"BlogPost": {}, "Story": {"path": "blog-posts"}}},
        "models.Story.path",
    ),
    # relations
    case(
        "relation-target",
        {"models": {"Post": {"relations": {"author_id": "Author"}}}},
        "models.Post.relations.author_id.model",
    ),
    case(
        "relation-on-delete",
        {
            "models": {
                "User": USER,
                "Post": {"relations": {"user_id": {"model": "User", "on_delete": "nullify"}}},
            }
        },
        "models.Post.relations.user_id.on_delete",
    ),
    case(
        "fk-not-int",
        {
            "models": {
                "User": USER,
                "Post": {"fields": {"user_id": "string"}, "relations": {"user_id": "User"}},
            }
        },
        "models.Post.fields.user_id.type",
    ),
    case(
        "relationship-attribute-collides",
        {
            "models": {
                "User": USER,
                "Post": {"fields": {"author": "string"}, "relations": {"author_id": "User"}},
            }
        },
        "models.Post.relations.author_id",
    ),
    case(
        "two-fks-same-back-populates",
        {
            "models": {
                "User": USER,
                "Post": {"relations": {"author_id": "User", "editor_id": "User"}},
            }
        },
        "models.Post.relations.editor_id.back_populates",
    ),
    case(
        "back-populates-collides-field",
        {
            "models": {
                "User": {"fields": {**USER["fields"], "posts": "int"}},
                "Post": {"relations": {"user_id": "User"}},
            }
        },
        "models.Post.relations.user_id.back_populates",
    ),
    case(
        "required-fk-cycle",
        {"models": {"Aa": {"relations": {"bb_id": "Bb"}}, "Bb": {"relations": {"aa_id": "Aa"}}}},
        "models.Aa.relations",
    ),
    # types, options and defaults
    case("unknown-type", post(titel="strin"), "models.Post.fields.titel.type"),
    case("unknown-type-money", post(price="money"), "models.Post.fields.price.type"),
    case(
        "unknown-field-option",
        post(title={"type": "string", "maxlength": 3}),
        "models.Post.fields.title.maxlength",
    ),
    case("unknown-model-option", post_with(tabel="posts"), "models.Post.tabel"),
    case("id-not-int", post(id="string"), "models.Post.fields.id.type"),
    case("default-type", post(n={"type": "int", "default": "abc"}), "models.Post.fields.n.default"),
    case(
        "default-bool-for-int",
        post(n={"type": "int", "default": True}),
        "models.Post.fields.n.default",
    ),
    case(
        "default-bad-date",
        post(d={"type": "date", "default": "2024-13-01"}),
        "models.Post.fields.d.default",
    ),
    case(
        "default-int-too-big",
        post(n={"type": "int", "default": 2**63}),
        "models.Post.fields.n.default",
    ),
    case(
        "default-int-too-small",
        post(n={"type": "int", "default": -(2**63) - 1}),
        "models.Post.fields.n.default",
    ),
    case(
        "default-nan",
        post(x={"type": "float", "default": float("nan")}),
        "models.Post.fields.x.default",
    ),
    case(
        "default-infinity",
        post(x={"type": "float", "default": float("inf")}),
        "models.Post.fields.x.default",
    ),
    case(
        "default-nul",
        post(s={"type": "string", "default": "a\x00b"}),
        "models.Post.fields.s.default",
    ),
    case(
        "default-above-le",
        post(n={"type": "int", "default": 10, "le": 5}),
        "models.Post.fields.n.default",
    ),
    case(
        "min-length-above-max",
        post(s={"type": "string", "min_length": 5, "max_length": 2}),
        "models.Post.fields.s.max_length",
    ),
    case("ge-above-le", post(n={"type": "int", "ge": 5, "le": 2}), "models.Post.fields.n.le"),
    case("ge-on-string", post(s={"type": "string", "ge": 1}), "models.Post.fields.s.ge"),
    case(
        "required-false",
        post(s={"type": "string", "required": False}),
        "models.Post.fields.s.required",
    ),
    # reserved names and paths
    case("reserved-limit", post(limit="int"), "models.Post.fields.limit"),
    case("reserved-offset", post(offset="int"), "models.Post.fields.offset"),
    case("reserved-sort", post(sort="string"), "models.Post.fields.sort"),
    case(
        "role-on-user-model",
        {"models": {"User": {"fields": {**USER["fields"], "role": "string"}}}},
        "models.User.fields.role",
    ),
    case("path-auth", post_with(path="auth"), "models.Post.path"),
    case("path-health", post_with(path="health"), "models.Post.path"),
    case("path-docs", post_with(path="docs"), "models.Post.path"),
    case("path-redoc", post_with(path="redoc"), "models.Post.path"),
    case("path-openapi", post_with(path="openapi.json"), "models.Post.path"),
    case("path-not-kebab", post_with(path="Blog_Posts"), "models.Post.path"),
    case("table-not-snake", post_with(table="Blog-Posts"), "models.Post.table"),
    # apis
    case("apis-unknown-model", {**post(), "apis": {"Article": {"read": "public"}}}, "apis.Article"),
    case(
        "apis-unknown-action", {**post(), "apis": {"Post": {"patch": "public"}}}, "apis.Post.patch"
    ),
    case(
        "apis-unknown-level", {**post(), "apis": {"Post": {"read": "everyone"}}}, "apis.Post.read"
    ),
    case("apis-not-mapping", {**post(), "apis": ["Post"]}, "apis"),
    # owners and the user model
    case(
        "owner-without-fk",
        {"models": {"User": USER, "Post": {}}, "apis": {"Post": {"update": "owner"}}},
        "apis.Post.update",
    ),
    case(
        "owner-ambiguous",
        {
            "models": {
                "User": USER,
                "Post": {"relations": AUTHOR_AND_EDITOR},
            },
            "apis": {"Post": {"read": "owner"}},
        },
        "apis.Post.read",
    ),
    case(
        "owner-option-not-fk-to-user",
        {
            "models": {
                "User": USER,
                "Category": {},
                "Post": {"owner": "category_id", "relations": {"category_id": "Category"}},
            }
        },
        "models.Post.owner",
    ),
    case("owner-on-user-model", {"models": {"User": {**USER, "owner": "id"}}}, "models.User.owner"),
    case("user-model-missing", {**post(), "auth": {"user_model": "Member"}}, "auth.user_model"),
    case(
        "username-not-string",
        {"models": {"User": {"fields": {"email": "int", "password": "string"}}}},
        "models.User.fields.email.type",
    ),
    case(
        "auth-unknown-option", {**post(), "auth": {"registration": "closed"}}, "auth.registration"
    ),
    # the document itself
    case("models-empty", {"models": {}}, "models"),
    case(
        "models-missing",
        {"apis": {"Post": {"read": "public"}}},
        "models",
    ),
    case(
        "top-level-typo",
        {**post(), "api": {"Post": {"read": "public"}}},
        "api",
    ),
]


def check_params() -> list[Any]:
    return [pytest.param(c.data, c.path, id=c.id) for c in CASES]


def copier_params() -> list[Any]:
    return [
        pytest.param(
            c.id,
            c.path,
            id=c.id,
            marks=[pytest.mark.xfail(strict=True, reason=c.copier_bug)] if c.copier_bug else [],
        )
        for c in CASES
    ]


@dataclass
class Outcome:
    returncode: int | str
    stderr: str
    before: dict[str, bytes] | None  # None: the destination did not exist
    after: dict[str, bytes] | None


WORKER = r"""
import contextlib, io, json, os, sys, traceback, warnings
warnings.simplefilter("ignore")
from copier.__main__ import CopierApp
jobs = json.loads(open(sys.argv[1]).read())
home = os.getcwd()
results = []
for argv in jobs:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            _, code = CopierApp.run(["copier", *argv], exit=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            code = "crash"
            err.write(traceback.format_exc())
    os.chdir(home)
    results.append({"returncode": code, "stderr": err.getvalue()})
with open(sys.argv[2], "w") as stream:
    json.dump(results, stream)
"""


def _copier_in_workers(jobs: list[list[str]], workdir: Path, workers: int = 2) -> list[dict]:
    chunks = [jobs[i::workers] for i in range(workers)]
    python = str(Path(tool("copier")).parent / "python")
    python = python if Path(python).exists() else sys.executable

    def run(index: int) -> list[dict]:
        jobs_file, results_file = workdir / f"jobs{index}.json", workdir / f"results{index}.json"
        jobs_file.write_text(json.dumps(chunks[index]))
        proc = subprocess.run(
            [python, "-c", WORKER, str(jobs_file), str(results_file)],
            capture_output=True,
            text=True,
            env=copier_env(),
            cwd=workdir,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(results_file.read_text())

    with ThreadPoolExecutor(workers) as pool:
        per_worker = list(pool.map(run, range(workers)))
    results: list[dict] = [{}] * len(jobs)
    for index, chunk_results in enumerate(per_worker):
        for position, result in zip(range(index, len(jobs), workers), chunk_results, strict=True):
            results[position] = result
    return results


def _prepare(root: Path, key: str, data: dict[str, Any], existing: bool) -> tuple[Path, Path]:
    case_dir = root / key
    data_file = write_schema(data, case_dir)
    dst = case_dir / "dst"
    if existing:
        dst.mkdir()
        (dst / KEEP).write_text(KEEP_TEXT)
    return data_file, dst


@pytest.fixture(scope="module")
def outcomes(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Every case, into both kinds of destination, rendered once for the whole module."""
    root = tmp_path_factory.mktemp("invalid")
    # The in-process runs use a plain copy of the template: no `git clone` per run (0.1 s
    # instead of 0.4 s); the real `copier` processes below use the git repository.
    plain = root / "template"
    shutil.copytree(template_repo, plain, ignore=shutil.ignore_patterns(".git"))
    src = template_repo if os.environ.get("BB_REAL_COPIER") else plain
    keys, dsts, jobs = [], [], []
    for c in CASES:
        for existing in (False, True):
            key = f"{c.id}-{'existing' if existing else 'absent'}"
            data_file, dst = _prepare(root, key, c.data, existing)
            keys.append(key)
            dsts.append(dst)
            jobs.append(
                [
                    "copy",
                    "-q",
                    "--trust",
                    "--defaults",
                    "--data-file",
                    str(data_file),
                    str(src),
                    str(dst),
                ]
            )
    befores = [tree(dst) if dst.exists() else None for dst in dsts]
    if os.environ.get("BB_REAL_COPIER"):

        def real(job: list[str]) -> dict:
            result = run_copier(template_repo, Path(job[5]), Path(job[7]))
            return {"returncode": result.returncode, "stderr": result.stderr}

        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(real, jobs))
    else:
        results = _copier_in_workers(jobs, root)
    return {
        key: Outcome(
            returncode=result["returncode"],
            stderr=ANSI.sub("", result["stderr"]),
            before=before,
            after=tree(dst) if dst.exists() else None,
        )
        for key, dst, before, result in zip(keys, dsts, befores, results, strict=True)
    }


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("data", "path"), check_params())
def test_schema_check_names_the_path(data: dict[str, Any], path: str) -> None:
    problems = schema.check(data)
    assert problems, "schema.check accepted it"
    assert path in {p.path for p in problems}, [str(p) for p in problems]


@pytest.mark.parametrize("existing", [False, True], ids=["absent-dst", "existing-dst"])
@pytest.mark.parametrize(("case_id", "path"), copier_params())
def test_copier_refuses_and_writes_nothing(
    outcomes: dict[str, Outcome], case_id: str, path: str, existing: bool
) -> None:
    outcome = outcomes[f"{case_id}-{'existing' if existing else 'absent'}"]
    assert outcome.returncode not in (0, "crash"), outcome.stderr
    if existing:
        assert outcome.after == {KEEP: KEEP_TEXT.encode()}, "the destination was changed"
    else:
        assert outcome.after is None, f"the destination was created: {sorted(outcome.after)}"
    assert f"{path}:" in outcome.stderr, outcome.stderr
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert "The project schema has" in outcome.stderr


MANY_PROBLEMS = {
    "models": {
        "User": {"fields": {"email": "string", "password": "string", "role": "string"}},
        "Post": {
            "fields": {"titel": "strin", "limit": "int", "n": {"type": "int", "ge": 5, "le": 1}},
            "relations": {"author_id": "Author", "user_id": "User"},
        },
        "Comment": {"path": "docs", "fields": {"class": "string"}},
        "Tag": {"fields": {"s": {"type": "string", "required": False}}},
    },
    "apis": {
        "Article": {"read": "public"},
        "Post": {"patch": "auth", "read": "everyone"},
        "Tag": {"update": "owner"},
    },
    "auth": {"token_expire_minutes": 0},
}
MANY_PATHS = [
    "models.User.fields.role",
    "models.Post.fields.titel.type",
    "models.Post.fields.limit",
    "models.Post.fields.n.le",
    "models.Post.relations.author_id.model",
    "models.Comment.path",
    "models.Comment.fields.class",
    "models.Tag.fields.s.required",
    "apis.Article",
    "apis.Post.patch",
    "apis.Post.read",
    "auth.token_expire_minutes",
]


def test_schema_check_lists_every_problem() -> None:
    found = {p.path for p in schema.check(MANY_PROBLEMS)}
    assert set(MANY_PATHS) <= found, sorted(set(MANY_PATHS) - found)


def test_copier_lists_every_problem_in_one_run(template_repo: Path, tmp_path: Path) -> None:
    """A real `copier` process per destination kind: exit 1, every path, nothing written."""
    data_file = write_schema(MANY_PROBLEMS, tmp_path / "schema")
    absent = tmp_path / "absent"
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / KEEP).write_text(KEEP_TEXT)
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda dst: run_copier(template_repo, data_file, dst), [absent, existing])
        )
    for result in results:
        assert result.returncode == 1, result.stderr
        missing = [path for path in MANY_PATHS if f"{path}:" not in result.stderr]
        assert not missing, result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.splitlines()) < 40, "the message should be short"
    assert not absent.exists()
    assert tree(existing) == {KEEP: KEEP_TEXT.encode()}


def test_real_copier_process_refuses_a_single_problem(template_repo: Path, tmp_path: Path) -> None:
    """The in-process runs above match what the `copier` command itself does."""
    data_file = write_schema(post(titel="strin"), tmp_path / "schema")
    result = run_copier(template_repo, data_file, tmp_path / "dst")
    assert result.returncode == 1
    assert "models.Post.fields.titel.type: unknown type 'strin'" in result.stderr
    assert not (tmp_path / "dst").exists()
