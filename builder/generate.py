"""Generate & download: render the template in a child process, then zip the project.

The child (`builder.render`) runs Copier's Python API into a fresh temporary
directory with a time limit; the parent then points `.copier-answers.yml` at the
template's public source and zips the tree with relative paths only.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import yaml

from .settings import REPO_ROOT, Settings

ANSWERS_FILE = ".copier-answers.yml"
_SRC_PATH_LINE = re.compile(r"^_src_path:.*$", re.MULTILINE)
_PLACEHOLDER_LINK = re.compile(r"\[([^\]\n]+)\]\(https://github\.com/?\)")
_OUTPUT_TAIL = 4000  # characters of the child's stderr kept for the error message


class BuildError(Exception):
    """The render failed; `detail` says why, for the HTTP answer."""

    def __init__(self, detail: str, *, timed_out: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.timed_out = timed_out


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _build_slots(limit: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        return _slots.setdefault(limit, threading.BoundedSemaphore(limit))


def copier_data(schema: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """The Copier answers for a schema: its three sections, empty ones spelled out.

    A schema without `apis` or `auth` means empty sections (SPEC §3), so they are
    passed explicitly rather than left to the questions' defaults. Without its own
    `project_name`, the project is named after the builder's project `name`.
    """
    data = {
        "models": schema["models"],
        "apis": schema.get("apis") or {},
        "auth": schema.get("auth") or {},
    }
    if schema.get("project_name"):
        data["project_name"] = schema["project_name"]
    elif name and name.strip():
        data["project_name"] = name.strip()
    return data


def slug(name: str) -> str:
    """A folder name for the project inside the ZIP."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    return text or "backend"


def build_zip(settings: Settings, schema: dict[str, Any], name: str, zip_path: Path) -> None:
    """Render `schema` and write the project, in a folder `slug(name)`, to `zip_path`."""
    with (
        _build_slots(settings.max_concurrent_builds),
        tempfile.TemporaryDirectory(prefix="builder-build-") as tmp,
    ):
        folder = slug(name)
        dst = Path(tmp) / folder
        render_to(settings, schema, name, dst)
        zip_path.parent.mkdir(parents=True, exist_ok=True)
        partial = zip_path.with_suffix(".part")
        write_zip(dst, folder, partial)
        partial.replace(zip_path)


def render_to(settings: Settings, schema: dict[str, Any], name: str, dst: Path) -> None:
    """Render `schema` into `dst` (a folder that does not exist yet), as a build does."""
    _render(settings, copier_data(schema, name), dst, cwd=dst.parent)
    point_answers_at(dst / ANSWERS_FILE, settings.public_template_src())
    link_readme_to(dst / "README.md", settings.public_template_src())


def _render(settings: Settings, data: dict[str, Any], dst: Path, cwd: Path) -> None:
    job = {
        "template": str(settings.template_path),
        "dst": str(dst),
        "data": data,
        "vcs_ref": settings.template_ref,
    }
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "builder.render"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
        start_new_session=True,  # its own process group, so a timeout ends git too
    )
    try:
        _, stderr = process.communicate(
            json.dumps(job).encode(), timeout=settings.build_timeout_seconds
        )
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise BuildError(
            f"Generation took longer than {settings.build_timeout_seconds:g} s and was stopped",
            timed_out=True,
        ) from None
    if process.returncode != 0:
        message = stderr.decode(errors="replace").strip()[-_OUTPUT_TAIL:]
        raise BuildError(f"Copier could not render the project: {message or 'no output'}")
    if not dst.is_dir():
        raise BuildError("Copier rendered nothing")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


def point_answers_at(answers: Path, source: str) -> None:
    """Name the template by its public source in the answers file, never a server path."""
    if not answers.is_file():
        raise BuildError(f"The template wrote no {ANSWERS_FILE}")
    text = answers.read_text(encoding="utf-8")
    line = yaml.safe_dump({"_src_path": source}, default_flow_style=False, width=10_000).strip()
    if _SRC_PATH_LINE.search(text):
        text = _SRC_PATH_LINE.sub(lambda _: line, text, count=1)
    else:
        text = text.rstrip("\n") + "\n" + line + "\n"
    answers.write_text(text, encoding="utf-8")
    if (yaml.safe_load(text) or {}).get("_src_path") != source:
        raise BuildError(f"Could not record the template source in {ANSWERS_FILE}")


def link_readme_to(readme: Path, source: str) -> None:
    """Point the README's bare `https://github.com/` link at the template's public source.

    The template links "Backend Builder" to a placeholder; the builder knows the real
    source (BUILDER_TEMPLATE_SRC). A source that is not a web address leaves plain text.
    """
    if not readme.is_file():
        return
    text = readme.read_text(encoding="utf-8")
    target = _web_address(source)
    replaced = _PLACEHOLDER_LINK.sub(
        lambda match: f"[{match.group(1)}]({target})" if target else match.group(1), text
    )
    if replaced != text:
        readme.write_text(replaced, encoding="utf-8")


def _web_address(source: str) -> str | None:
    """An https address for a git source (`git@host:o/r.git` and `.git` suffixes too)."""
    if match := re.fullmatch(r"git@([\w.-]+):(.+?)(?:\.git)?/?", source):
        return f"https://{match.group(1)}/{match.group(2)}"
    if re.fullmatch(r"https?://[^\s()<>]+", source):
        return re.sub(r"\.git/?$", "", source)
    return None


def write_zip(root: Path, folder: str, zip_path: Path) -> None:
    """Zip `root` as `folder/...`: relative paths only, regular files only."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_symlink() or not path.is_file() or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(root).as_posix()
            if relative.startswith("/") or ".." in relative.split("/"):
                continue
            archive.write(path, f"{folder}/{relative}")
