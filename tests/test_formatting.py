"""Formatting shared with helper processes (extensions/formatting.py).

Both renders start from an empty black cache, so black really runs. With one process, Copier's
process formats every file; with two, a helper formats part of them, and the project must come
out byte for byte the same.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import black
import pytest

from extensions import formatting
from tests.conftest import REPO, copier_env, tree
from tests.golden import EXPECTED

# Copier in a child process (it changes the working directory), counting the files black
# formats in that process; a forked helper's black calls are not counted.
RENDER = """
import sys
import black
import copier
import yaml

calls = 0
format_once = black._format_str_once


def counted(*args, **kwargs):
    global calls
    calls += 1
    return format_once(*args, **kwargs)


black._format_str_once = counted
with open(sys.argv[2], encoding="utf-8") as schema:
    data = yaml.safe_load(schema)
copier.run_copy(sys.argv[1], sys.argv[3], data=data, defaults=True, unsafe=True, quiet=True)
print(calls)
"""


def render(template: Path, destination: Path, jobs: str, cache: Path) -> int:
    env = copier_env() | {"BACKEND_BUILDER_JOBS": jobs, "XDG_CACHE_HOME": str(cache)}
    schema = REPO / "schema/examples/shop.yaml"
    command = [sys.executable, "-c", RENDER, str(template), str(schema), str(destination)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=env, cwd=template.parent
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux only")
def test_a_helper_process_formats_part_of_the_same_project(
    template_repo: Path, tmp_path: Path
) -> None:
    alone = render(template_repo, tmp_path / "one", "1", tmp_path / "cache-1")
    shared = render(template_repo, tmp_path / "two", "2", tmp_path / "cache-2")
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    del one[".env"], two[".env"]  # a new SECRET_KEY each time
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    python_files = sum(name.endswith(".py") for name in one)
    assert python_files > 40
    assert 0 < shared < alone <= python_files
    print(f"\nblack calls in Copier's process: {alone} alone, {shared} with a helper")


@pytest.mark.parametrize("jobs", ["1", "not a number"])
def test_one_process_when_asked_or_when_the_setting_is_not_a_number(
    template_repo: Path, tmp_path: Path, jobs: str
) -> None:
    alone = render(template_repo, tmp_path / "project", jobs, tmp_path / "cache")
    formatted = {p for p in tree(tmp_path / "project") if p.endswith(".py")}
    assert 0 < alone <= len(formatted)
    baseline = render(template_repo, tmp_path / "again", "1", tmp_path / "cache-again")
    assert alone == baseline


def test_black_runs_once_per_file() -> None:
    """formatting.py runs black's first pass only; this fails when black renames it."""
    assert formatting._black_pass is black._format_str_once  # type: ignore[attr-defined]


def test_one_pass_of_black_is_what_black_check_wants() -> None:
    """The golden files were formatted by one pass: a second one changes nothing."""
    files = sorted(EXPECTED.rglob("*.py"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert formatting._black(text) == text, path
