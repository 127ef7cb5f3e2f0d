"""Formatting split over two processes (extensions/formatting.py) changes nothing in the output.

Both renders start from an empty black cache, so black really runs in the helper process and
in Copier's; the files must come out byte for byte the same as from Copier's process alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, run_copier, tree


def test_the_helper_process_makes_the_same_project(
    template_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    projects = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("BACKEND_BUILDER_JOBS", jobs)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"cache-{jobs}"))
        destination = tmp_path / f"jobs-{jobs}"
        result = run_copier(template_repo, REPO / "schema/examples/shop.yaml", destination)
        assert result.returncode == 0, result.stderr
        files = tree(destination)
        del files[".env"]  # a new SECRET_KEY each time
        projects[jobs] = files
        cached = list((tmp_path / f"cache-{jobs}").rglob("*"))
        assert any(path.is_file() for path in cached), "black's output was not cached"
    assert projects["1"].keys() == projects["2"].keys()
    different = [name for name in projects["1"] if projects["1"][name] != projects["2"][name]]
    assert different == []
    assert sum(name.endswith(".py") for name in projects["2"]) > 40
