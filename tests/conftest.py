"""Shared fixtures: render the template with Copier (in a child process) and look at the result.

- `template_repo` (session): a committed snapshot of the template (copier.yml, template/,
  extensions/, schema/) in a temporary git repository, so renders do not depend on, or warn
  about, uncommitted work in the checkout, and every test of a session sees the same template.
- `render(schema, dst)` (session): `copier copy --trust --defaults [--data-file f] <template>
  <dst>` in a subprocess with the venv's copier. `schema` is a dict (written to a YAML file),
  a path to a schema file, or None (no data file: the embedded default).
- `run_copier()`, `write_schema()`, `project_env()`, `run_in()`: the same, as plain functions
  for tests that render from threads or from hypothesis.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
# Golden copies of generated projects (tests/golden.py): their tests are not ours to collect.
collect_ignore = ["data"]

# Schema pieces the schema tests share.
USER = {"fields": {"email": "string", "password": "string"}}
# Two foreign keys from a model to User: which one names the owner is ambiguous.
AUTHOR_AND_EDITOR = {
    "author_id": {"model": "User", "back_populates": "authored"},
    "editor_id": {"model": "User", "back_populates": "edited"},
}
BIN = Path(sys.executable).parent
TEMPLATE_PARTS = ("copier.yml", "template", "extensions", "schema", "requirements.txt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def tool(name: str) -> str:
    """A console script of the venv running the tests (copier, ruff, black), else from PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def snapshot_template(dst: Path) -> Path:
    """Copy the template's files into `dst` and commit them there (Copier wants a clean repo)."""
    dst.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ruff_cache")
    for part in TEMPLATE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dst / part, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dst / part)
    git = ["git", "-c", "user.name=tests", "-c", "user.email=tests@example.com"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "template snapshot"]):
        subprocess.run([*git, *command], cwd=dst, check=True, capture_output=True)
    return dst


def write_schema(schema: dict[str, Any], directory: Path, name: str = "schema.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(schema, sort_keys=False, allow_unicode=True))
    return path


def copier_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["NO_COLOR"] = "1"
    env["PYTHONWARNINGS"] = "ignore"
    return env


def run_copier(
    src: Path,
    data_file: Path | None,
    dst: Path,
    extra_args: Sequence[str] = (),
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`copier copy --trust --defaults` in a child process (Copier changes the cwd)."""
    command = [tool("copier"), "copy", "-q", "--trust", "--defaults", *extra_args]
    if data_file is not None:
        command += ["--data-file", str(data_file)]
    command += [str(src), str(dst)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=copier_env(), cwd=src.parent
    )
    result.stderr = ANSI.sub("", result.stderr)
    return result


def project_env(project: Path, db_name: str = "test.db") -> dict[str, str]:
    """Environment for running a generated project: its own SQLite file, no .env surprises."""
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{project / db_name}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def run_in(
    project: Path,
    *command: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env if env is not None else project_env(project),
    )


def tree(path: Path) -> dict[str, bytes]:
    """Every file under `path` with its content (to prove a directory was left untouched)."""
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template") / "backend-builder")


Renderer = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def render(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    """render(schema dict / path / None, dst, *, check=True, extra_args=()) -> CompletedProcess."""

    def _render(
        schema: dict[str, Any] | str | Path | None,
        dst: Path,
        *,
        check: bool = True,
        extra_args: Sequence[str] = (),
    ) -> subprocess.CompletedProcess[str]:
        data_file: Path | None
        if isinstance(schema, dict):
            data_file = write_schema(schema, tmp_path_factory.mktemp("schema"))
        else:
            data_file = Path(schema) if schema is not None else None
        result = run_copier(template_repo, data_file, Path(dst), extra_args)
        if check and result.returncode != 0:
            pytest.fail(f"copier copy failed ({result.returncode}):\n{result.stderr}")
        return result

    return _render
