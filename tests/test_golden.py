"""The generated code of the examples is the code under tests/data/expected/ (see tests/golden.py).

After a deliberate change to the generated code: `.venv/bin/python -m tests.golden --update`,
and commit the golden diff with the change.
"""

from __future__ import annotations

import ast
import difflib
from pathlib import Path

import pytest

from tests.golden import EXAMPLES, expected_files, render_examples

REFRESH = "refresh with `.venv/bin/python -m tests.golden --update` if the change is deliberate"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    return render_examples(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_generated_code_matches_the_golden_files(
    rendered: dict[str, dict[str, bytes]], name: str
) -> None:
    expected = expected_files(name)
    assert expected, f"no golden files for {name}: {REFRESH}"
    actual = rendered[name]
    assert sorted(actual) == sorted(expected), REFRESH
    diffs = []
    for path in sorted(expected):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode().splitlines(),
                actual[path].decode().splitlines(),
                f"expected/{name}/{path}",
                f"generated/{name}/{path}",
                lineterm="",
            )
            diffs.append("\n".join(list(diff)[:60]))
    assert not diffs, REFRESH + "\n" + "\n".join(diffs)[:8000]


def test_the_golden_files_are_kept_out_of_the_linters() -> None:
    """Generated projects under tests/data/ follow their own pyproject, not the repository's."""
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    assert "tests/data" in pyproject


def test_auth_deps_offers_every_level_whatever_the_schema() -> None:
    """auth/deps.py defines the same names for the brief (no owner level) as for the shop:
    an update never deletes a dependency the owner's own code may import."""

    def names(example: str) -> set[str]:
        tree = ast.parse(expected_files(example)["auth/deps.py"])
        defined = {
            n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        for node in tree.body:
            if isinstance(node, ast.Assign):
                defined |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        return defined

    assert names("brief") == names("shop")
    assert {"OptionalUser", "CurrentUser", "AdminUser", "RequireUser", "RequireAdmin"} <= names(
        "brief"
    )
