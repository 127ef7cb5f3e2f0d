"""The repository's own code is black- and ruff-clean (generated code is checked elsewhere)."""

import subprocess

from tests.conftest import REPO, tool


def test_ruff_and_black_pass_on_the_repository() -> None:
    ruff = subprocess.run(
        [tool("ruff"), "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout[-3000:]
    black = subprocess.run(
        [tool("black"), "--check", "-q", "."], cwd=REPO, capture_output=True, text=True
    )
    assert black.returncode == 0, black.stderr[-3000:]
