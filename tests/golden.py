"""Golden files: the code generated for a few examples, kept under tests/data/expected/.

A change to the generated code shows up as a diff a reviewer reads. `tests/test_golden.py`
renders the examples again and compares; after a deliberate change, refresh them with

    .venv/bin/python -m tests.golden --update

and commit the diff together with the change that caused it. Left out: `.env` (a new
`SECRET_KEY` every render); `.copier-answers.yml` keeps its answers but not the template's
path and commit.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.conftest import run_copier, snapshot_template  # noqa: E402

EXPECTED = REPO / "tests" / "data" / "expected"
EXAMPLES = {
    "brief": REPO / "schema" / "examples" / "brief.json",
    "shop": REPO / "schema" / "examples" / "shop.yaml",
}
LEFT_OUT = {".env"}
# Lines of .copier-answers.yml that name where and when the template came from.
TEMPLATE_SOURCE = re.compile(rb"^(_commit|_src_path): .*$", re.MULTILINE)


def generated_files(project: Path) -> dict[str, bytes]:
    """The project's files as the golden copy keeps them (relative path -> content)."""
    files: dict[str, bytes] = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        if not path.is_file() or relative in LEFT_OUT or "/.git/" in f"/{relative}":
            continue
        content = path.read_bytes()
        if relative == ".copier-answers.yml":
            content = TEMPLATE_SOURCE.sub(rb"\1: <template>", content)
        files[relative] = content
    return files


def render_examples(workdir: Path) -> dict[str, dict[str, bytes]]:
    """Render every example from a committed snapshot of this checkout's template."""
    template = snapshot_template(workdir / "template" / "backend-builder")

    def one(name: str) -> tuple[str, dict[str, bytes]]:
        destination = workdir / "projects" / name
        result = run_copier(template, EXAMPLES[name], destination)
        if result.returncode != 0:
            raise RuntimeError(f"copier copy of {name} failed:\n{result.stderr}")
        return name, generated_files(destination)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(one, EXAMPLES))


def expected_files(name: str) -> dict[str, bytes]:
    root = EXPECTED / name
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def write_expected(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, files in rendered.items():
        root = EXPECTED / name
        shutil.rmtree(root, ignore_errors=True)
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/data/expected/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rendered = render_examples(Path(work))
    if args.update:
        write_expected(rendered)
        print(f"wrote {', '.join(rendered)} under {EXPECTED.relative_to(REPO)}")
        return 0
    changed = [
        f"{name}/{path}"
        for name, files in rendered.items()
        for path in sorted(set(files) | set(expected_files(name)))
        if files.get(path) != expected_files(name).get(path)
    ]
    print("\n".join(changed) or "the golden files match")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
