"""Generation-time benchmark: `copier copy` and a one-field `copier update`, by schema size.

    .venv/bin/python bench/generation.py                 # sizes 1, 50, 200; median of 3
    .venv/bin/python bench/generation.py --sizes 1,50,200,400 --repeat 5 --keep

What it does, per size N:

1. Writes a synthetic schema of N models. Model 1 is `User` (email, password); every other
   model has 8 declared fields of mixed types (string, text, int, float, bool, datetime,
   date; some unique, indexed, nullable, with defaults or bounds), a relation to an earlier
   model (cascade / set_null / restrict in turn), `timestamps` on every 4th model, and an
   `apis` entry with mixed levels (public, auth, owner, admin, off) on two models of three.
2. `copier copy` of that schema into a fresh directory: timed, median of --repeat runs.
3. `copier update` that adds one field: a baseline project is rendered and git-committed
   once; each timed run starts from a fresh copy of it (with its .git), adds a field to the
   middle model in `schema.yaml`, commits, then times
       copier update --trust --defaults --vcs-ref=:current: --data-file schema.yaml
   and checks that the field reached models/<module>.py and that no conflict markers appeared.

Regeneration needs a git-tagged template, so the template is snapshotted first: the files
`git ls-files` lists, plus the uncommitted working-tree content (untracked files too) of
copier.yml, template/, extensions/, schema/ and requirements.txt, are copied into a temporary
repository, committed and tagged v1. The template repository itself is never touched.

Copies run with an empty cache each (cold: black formats every file), plus one more with
the first copy's cache (warm); updates run with the cache their project's copy left, as on
the machine that made the project.

Prints a markdown table (median seconds, and seconds per model so linear growth is visible),
the per-run times, and a verdict line against the targets (200-model copy < 10 s, its
update < 20 s, time linear in the number of models).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT_PATHS = ("copier.yml", "template", "extensions", "schema", "requirements.txt")
COPY_TARGET_S = 10.0  # 200 models
UPDATE_TARGET_S = 20.0  # 200 models
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# (type spec, ...) cycled over models so each model gets 8 fields of mixed types.
FIELD_KINDS = [
    ("title", {"type": "string", "max_length": 120}),
    ("body", "text"),
    ("quantity", {"type": "int", "ge": 0, "default": 0}),
    ("price", {"type": "float", "ge": 0}),
    ("active", {"type": "bool", "default": True}),
    ("happened_at", {"type": "datetime", "nullable": True}),
    ("due_on", {"type": "date", "nullable": True}),
    ("code", {"type": "string", "max_length": 32, "unique": True, "index": True}),
]
LEVEL_SETS = [
    {"create": "auth", "read": "public", "update": "owner", "delete": "admin"},
    {"create": "public", "list": "auth", "detail": "public", "update": "auth", "delete": "off"},
    None,  # absent: every action admin
]
ON_DELETE = ["cascade", "set_null", "restrict"]


def model_name(i: int) -> str:
    return "User" if i == 0 else f"Item{i:04d}"


def synthetic_schema(n: int) -> dict:
    """A valid project schema with n models (see the module docstring)."""
    models: dict[str, dict] = {
        "User": {
            "fields": {
                "email": {"type": "string", "unique": True, "max_length": 200},
                "password": "string",
                "display_name": {"type": "string", "nullable": True},
            }
        }
    }
    apis: dict[str, dict] = {
        "User": {"create": "admin", "read": "owner", "update": "owner", "delete": "admin"}
    }
    for i in range(1, n):
        name = model_name(i)
        fields = {f"{field}_{i}" if field == "code" else field: spec for field, spec in FIELD_KINDS}
        # relation to an earlier model; the user model for every 3rd so `owner` levels apply
        target = 0 if i % 3 == 1 else max(0, i - 1 - (i % 5))
        on_delete = ON_DELETE[i % 3]
        fk = "user_id" if target == 0 else f"{model_name(target).lower()}_id"
        model: dict = {
            "fields": fields,
            "relations": {fk: {"model": model_name(target), "on_delete": on_delete}},
        }
        if i % 4 == 0:
            model["timestamps"] = True
        models[name] = model
        levels = LEVEL_SETS[i % 3]
        if levels is not None:
            if target != 0 and "owner" in levels.values():
                levels = {k: ("auth" if v == "owner" else v) for k, v in levels.items()}
            apis[name] = dict(levels)
    return {
        "project_name": f"bench{n}",
        "models": models,
        "apis": apis,
        "auth": {"registration": "open"},
    }


# --- helpers ------------------------------------------------------------------------------


def run(
    cmd: list[str], cwd: Path | None = None, check: bool = True, cache: Path | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)  # where the template keeps black's output
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        sys.exit(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


CPU_TIMES: list[float] = []  # CPU seconds (user+sys) of each timed child, in order


def timed(cmd: list[str], cwd: Path | None = None, cache: Path | None = None) -> float:
    """Wall seconds of one command; its CPU seconds go to CPU_TIMES (less sensitive to
    other load on the machine than wall time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run(cmd, cwd=cwd, cache=cache)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_TIMES.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def git(cwd: Path, *args: str) -> str:
    return run(["git", *args], cwd=cwd).stdout


def snapshot_template(dst: Path) -> Path:
    """Copy the template repo's files (with uncommitted content) into a repo tagged v1."""
    tracked = git(REPO, "ls-files", "-z").split("\0")
    untracked = git(
        REPO, "ls-files", "-z", "--others", "--exclude-standard", "--", *SNAPSHOT_PATHS
    ).split("\0")
    for rel in sorted({p for p in tracked + untracked if p}):
        src = REPO / rel
        if not src.is_file() or "__pycache__" in Path(rel).parts:
            continue  # deleted in the working tree
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-q", "-m", "template snapshot for bench/generation.py")
    git(dst, "tag", "v1")
    return dst


def add_field(project: Path, model: str) -> str:
    """Add one string field to `model` in the project's schema.yaml; return its name."""
    path = project / "schema.yaml"
    schema = yaml.safe_load(path.read_text())
    field = "bench_added_note"
    schema["models"][model]["fields"][field] = {"type": "string", "nullable": True}
    path.write_text(yaml.safe_dump(schema, sort_keys=False))
    return field


def module_name(model: str) -> str:
    return "user" if model == "User" else f"item{model[4:]}"


# --- measurements -------------------------------------------------------------------------


def measure(copier: str, template: Path, work: Path, n: int, repeat: int, budget: float) -> dict:
    schema_file = work / f"schema-{n}.yaml"
    schema_file.write_text(yaml.safe_dump(synthetic_schema(n), sort_keys=False))
    copy_cmd = [
        copier,
        "copy",
        "-q",
        "--trust",
        "--defaults",
        "--data-file",
        str(schema_file),
        str(template),
    ]

    copies: list[float] = []
    copy_cpu: list[float] = []
    for r in range(repeat):
        if copies and sum(copies) > budget:
            break  # a slow size gets fewer runs; the table says how many
        dst = work / f"copy-{n}-{r}"
        # Cold: a fresh cache each run, so no copy reuses black's output of another.
        copies.append(timed([*copy_cmd, str(dst)], cache=work / f"cache-{n}-{r}"))
        copy_cpu.append(CPU_TIMES[-1])
        if r:
            shutil.rmtree(dst)
    print(
        f"#   copy {n}: {', '.join(f'{t:.2f}' for t in copies)} s (CPU {', '.join(f'{t:.2f}' for t in copy_cpu)})",
        file=sys.stderr,
        flush=True,
    )
    # Warm: a copy of the same schema again, with the first run's cache.
    warm_copy = timed([*copy_cmd, str(work / f"copy-{n}-warm")], cache=work / f"cache-{n}-0")
    shutil.rmtree(work / f"copy-{n}-warm")
    first = work / f"copy-{n}-0"
    files = sum(1 for p in first.rglob("*.py"))
    lines = sum(len(p.read_text().splitlines()) for p in first.rglob("*.py"))

    # baseline project for updates: the first copy, committed
    base = work / f"project-{n}"
    first.rename(base)
    git(base, "init", "-q", "-b", "main")
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "generated")

    target = model_name(n // 2)
    updates: list[float] = []
    update_cpu: list[float] = []
    for r in range(repeat):
        if updates and sum(updates) > budget:
            break
        proj = work / f"update-{n}-{r}"
        shutil.copytree(base, proj, symlinks=True)
        field = add_field(proj, target)
        git(proj, "commit", "-q", "-am", "add a field")
        updates.append(
            timed(
                [
                    copier,
                    "update",
                    "-q",
                    "--trust",
                    "--defaults",
                    "--vcs-ref=:current:",
                    "--data-file",
                    "schema.yaml",
                ],
                cwd=proj,
                cache=work / f"cache-{n}-0",  # the cache the project's copy left on this machine
            )
        )
        update_cpu.append(CPU_TIMES[-1])
        model_py = (proj / "models" / f"{module_name(target)}.py").read_text()
        if field not in model_py:
            sys.exit(f"update of {n} models: {field} not in models/{module_name(target)}.py")
        conflicts = run(
            ["git", "grep", "-l", "-E", "^(<<<<<<<|>>>>>>>) "], cwd=proj, check=False
        ).stdout
        if conflicts.strip():
            sys.exit(f"update of {n} models left conflict markers in: {conflicts.split()}")
        if any(proj.rglob("*.rej")):
            sys.exit(f"update of {n} models left .rej files")
        if r:
            shutil.rmtree(proj)
    print(
        f"#   update {n}: {', '.join(f'{t:.2f}' for t in updates)} s (CPU {', '.join(f'{t:.2f}' for t in update_cpu)})",
        file=sys.stderr,
        flush=True,
    )
    return {
        "n": n,
        "copy": copies,
        "warm_copy": warm_copy,
        "update": updates,
        "copy_cpu": copy_cpu,
        "update_cpu": update_cpu,
        "files": files,
        "lines": lines,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,50,200", help="model counts, comma separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--budget",
        type=float,
        default=90.0,
        help="stop repeating a measurement once its runs took this many seconds (default 90)",
    )
    parser.add_argument("--copier", default=str(REPO / ".venv" / "bin" / "copier"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="bench-gen-"))
    try:
        template = snapshot_template(work / "template")
        commit = git(template, "rev-parse", "--short", "HEAD").strip()
        results = []
        for n in sizes:
            print(f"# measuring {n} models ...", file=sys.stderr, flush=True)
            results.append(measure(args.copier, template, work, n, args.repeat, args.budget))
    finally:
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    copier_version = run([args.copier, "--version"]).stdout.strip()
    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M UTC}  ")
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        "?",
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {copier_version}  "
    )
    load_after = os.getloadavg()
    print(
        f"Load average (1/5/15 min): {'/'.join(f'{x:.1f}' for x in load_before)} before, "
        f"{'/'.join(f'{x:.1f}' for x in load_after)} after (other work on the machine skews timings)  "
    )
    print(
        f"Template: snapshot of {REPO} (working tree) as commit {commit}, tag v1; median of up to"
        f" {args.repeat} runs (fewer once a measurement's runs exceed {args.budget:.0f} s)  "
    )
    print()
    print(
        "| models | .py files | .py lines | copy s | copy CPU s | copy ms/model | copy, warm cache s "
        "| update (+1 field) s | update CPU s | update ms/model | runs |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        c, u = statistics.median(r["copy"]), statistics.median(r["update"])
        cc, uc = statistics.median(r["copy_cpu"]), statistics.median(r["update_cpu"])
        print(
            f"| {r['n']} | {r['files']} | {r['lines']} | {c:.2f} | {cc:.2f} | {1000 * c / r['n']:.0f} "
            f"| {r['warm_copy']:.2f} "
            f"| {u:.2f} | {uc:.2f} | {1000 * u / r['n']:.0f} | {len(r['copy'])}/{len(r['update'])} |"
        )
    print()
    print(
        "Per run (s): "
        + "; ".join(
            f"{r['n']}: copy {', '.join(f'{t:.2f}' for t in r['copy'])} / update {', '.join(f'{t:.2f}' for t in r['update'])}"
            for r in results
        )
    )

    # Linearity: the marginal cost per model between consecutive sizes should stay flat.
    verdicts = []
    ok = True
    for kind, target in (("copy", COPY_TARGET_S), ("update", UPDATE_TARGET_S)):
        med = {r["n"]: statistics.median(r[kind]) for r in results}
        # linearity is judged on CPU time: wall time also counts other load on the machine
        cpu = {r["n"]: statistics.median(r[f"{kind}_cpu"]) for r in results}
        slopes = [
            (a, b, 1000 * (cpu[b] - cpu[a]) / (b - a))
            for a, b in zip(sizes, sizes[1:], strict=False)
        ]
        slope_txt = ", ".join(f"{a}→{b}: {s:.0f} ms/model" for a, b, s in slopes)
        linear = True
        if len(slopes) >= 2 and slopes[0][2] > 0:
            ratio = slopes[-1][2] / slopes[0][2]
            linear = ratio <= 1.5  # the last step costs at most 1.5x per model what the first did
            slope_txt += f" (last/first {ratio:.2f})"
        line = f"{kind}: marginal CPU {slope_txt} → {'linear' if linear else 'SUPERLINEAR'}"
        if 200 in med:
            meets = med[200] < target
            line += (
                f"; 200 models {med[200]:.2f} s wall ({cpu[200]:.2f} s CPU) vs target < {target:.0f} s"
                f" → {'PASS' if meets else 'FAIL'}"
            )
            ok &= meets
        ok &= linear
        verdicts.append(line)
    print()
    for line in verdicts:
        print(f"- {line}")
    print(f"- **Verdict: {'PASS' if ok else 'FAIL'}**")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
