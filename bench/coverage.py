"""Line coverage of the generated code by the generated project's own test suite.

    .venv/bin/python bench/coverage.py                      # the shipped examples
    .venv/bin/python bench/coverage.py my-schema.yaml ...   # any schema files

Each schema is rendered with `copier copy` into a temporary directory, then its suite runs
there as its README says (`python -m pytest --cov`; the project's pyproject.toml measures
every file but tests/). Prints a markdown table: tests, statements, missed, coverage, and the
files below 100 % with their missed lines. The exit status is 1 when a suite fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "schema" / "examples").glob("*.*"))
AIM = 95.0


def measure(copier: str, python: str, schema: Path, root: Path) -> dict:
    project = root / schema.stem
    subprocess.run(
        [copier, "copy", "-q", "--trust", "--defaults", "--data-file", schema, REPO, project],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    suite = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "--cov", "--cov-report=json"]
        + ["--junitxml=junit.xml"],
        cwd=project,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
    )
    report = json.loads((project / "coverage.json").read_text())
    summary = report["totals"]
    partial = {
        name: data["missing_lines"]
        for name, data in sorted(report["files"].items())
        if data["missing_lines"]
    }
    junit = ElementTree.parse(project / "junit.xml").getroot().find("testsuite")
    assert junit is not None, suite.stderr[-2000:]
    failed = int(junit.get("failures", 0)) + int(junit.get("errors", 0))
    tests = f"{int(junit.get('tests', 0)) - failed - int(junit.get('skipped', 0))} passed"
    return {
        "schema": schema.name,
        "passed": suite.returncode == 0,
        "result": f"{tests}, {failed} failed",
        "statements": summary["num_statements"],
        "missed": summary["missing_lines"],
        "percent": summary["percent_covered"],
        "partial": partial,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schemas", nargs="*", type=Path, default=EXAMPLES)
    parser.add_argument("--copier", default=str(REPO / ".venv" / "bin" / "copier"))
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coverage-") as root:
        results = [measure(args.copier, args.python, s.resolve(), Path(root)) for s in args.schemas]
    print("| schema | suite | statements | missed | coverage |")
    print("| --- | --- | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['schema']} | {r['result']} | {r['statements']} | {r['missed']} | {r['percent']:.1f} % |"
        )
    for r in results:
        print(f"\n{r['schema']}: files below 100 % (missed lines)")
        for name, lines in r["partial"].items():
            print(f"  {name}: {', '.join(map(str, lines))}")
    below = [r["schema"] for r in results if r["percent"] < AIM]
    print(f"\naim {AIM:.0f} %: " + (f"below on {', '.join(below)}" if below else "reached on all"))
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
