"""Helpers for tests that render projects, regenerate them and run them in subprocesses.

A generated project's modules (`main`, `models`, ...) must never be imported into the
test process: each project runs in its own subprocess, with this venv's Python.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
EXAMPLES = ROOT / "schema" / "examples"

# Every setting of the generated config.Settings, and the server's own: none may leak in from
# the caller's environment.
PROJECT_VARS = (
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "SECRET_KEY",
    "ENVIRONMENT",
    "MIGRATE_ON_STARTUP",
    "ADMIN_EMAIL",
    "ADMIN_PASSWORD",
    "CORS_ORIGINS",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
    "DOCS_ENABLED",
    "LOG_LEVEL",
    "RATE_LIMIT_STORAGE",
    "AUTH_RATE_LIMIT",
    "FAILED_LOGIN_LIMIT",
    "MAX_BODY_BYTES",
    "WEB_CONCURRENCY",
    "PYTEST_ADDOPTS",
    "PYTHONPATH",
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARS}
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.update(extra)
    return env


def run(
    args: list[str | Path], cwd: Path, *, check: bool = True, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed ({result.returncode}) in {cwd}\n"
            f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
        )
    return result


def copier(*args: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([BIN / "copier", *args], cwd, check=check)


def alembic(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run([BIN / "alembic", *args], project, **env)


def python(project: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run([PYTHON, "-c", code], project, **env)


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["git", *args], repo, check=check)


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)


def template_repo(dest: Path, tag: str = "v1") -> Path:
    """This checkout's template as it is now (tracked and new files), committed and tagged.

    Copier renders the old side of an update from the commit in `_commit`, so tests of
    regeneration need the template committed (COPIER_NOTES, "Versions and refs").
    """
    listed = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if name.startswith((".venv/", "tests/")) or not source.is_file():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(dest, "init", "-q", "-b", "main")
    commit(dest, "template")
    git(dest, "tag", tag)
    return dest


def generate(template: Path, dest: Path, data_file: Path) -> Path:
    copier(
        "copy",
        "-q",
        "--trust",
        "--defaults",
        "--data-file",
        data_file,
        template,
        dest,
        cwd=dest.parent,
    )
    git(dest, "init", "-q", "-b", "main")
    commit(dest, "generated")
    return dest


REGENERATE = (
    "update",
    "-q",
    "--trust",
    "--defaults",
    "--vcs-ref=:current:",
    "--data-file",
    "schema.yaml",
)


def regenerate(project: Path) -> subprocess.CompletedProcess[str]:
    return copier(*REGENERATE, cwd=project)


MARKER = re.compile(r"^(<<<<<<<|>>>>>>>) ", re.MULTILINE)


def conflicts(project: Path) -> list[str]:
    """Files with inline conflict markers, and .rej files."""
    found = []
    for path in project.rglob("*"):
        if ".git" in path.parts or not path.is_file():
            continue
        if path.suffix == ".rej":
            found.append(str(path.relative_to(project)))
        elif path.suffix in {".py", ".yaml", ".yml", ".md", ".ini", ".txt", ".toml", ".mako"}:
            if MARKER.search(path.read_text(errors="replace")):
                found.append(str(path.relative_to(project)))
    return sorted(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_and_get(project: Path, paths: list[str], timeout: float = 60, **env: str) -> dict:
    """Start `uvicorn main:app` in the project, GET each path, stop; {path: (status, body)}."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "uvicorn"), "main:app", "--port", str(port)],
        cwd=project,
        env=clean_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.communicate()[0]
                    raise AssertionError(f"uvicorn did not start:\n{output[-4000:]}") from None
                time.sleep(0.2)
        results = {}
        for path in paths:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                    results[path] = (r.status, r.read().decode())
            except urllib.error.HTTPError as error:
                results[path] = (error.code, error.read().decode())
        return results
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if process.stdout:
            process.stdout.close()
