"""Code preview: the files a draft generates, rendered by the template exactly as a build.

Rendering runs in the same child process a build uses (`builder.render`). Results are
kept per schema hash (and project name), so browsing an unchanged draft costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from .generate import _build_slots, render_to
from .settings import Settings

CACHE_SIZE = 32
MAX_SHOWN_BYTES = 200_000  # a larger (or binary) file is listed without its content

_cache: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
_cache_lock = threading.Lock()
_key_locks: dict[str, threading.Lock] = {}


def schema_hash(schema: dict[str, Any], name: str) -> str:
    text = json.dumps([schema, name], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def preview_files(settings: Settings, schema: dict[str, Any], name: str) -> tuple[str, list]:
    """(hash, files) for `schema`: each file's path, size and text, sorted by path."""
    key = schema_hash(schema, name)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return key, _cache[key]
        lock = _key_locks.setdefault(key, threading.Lock())
    try:
        with lock:  # two requests for one draft render it once
            with _cache_lock:
                if key in _cache:
                    return key, _cache[key]
            files = _render_files(settings, schema, name)
            with _cache_lock:
                _cache[key] = files
                while len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
    finally:
        with _cache_lock:
            _key_locks.pop(key, None)
    return key, files


def _render_files(settings: Settings, schema: dict[str, Any], name: str) -> list[dict[str, Any]]:
    with (
        _build_slots(settings.max_concurrent_builds),
        tempfile.TemporaryDirectory(prefix="builder-preview-") as tmp,
    ):
        dst = Path(tmp) / "project"
        render_to(settings, schema, name, dst)
        return [_describe(path, dst) for path in sorted(dst.rglob("*")) if _shown(path)]


def _shown(path: Path) -> bool:
    return path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts


def _describe(path: Path, root: Path) -> dict[str, Any]:
    data = path.read_bytes()
    entry: dict[str, Any] = {"path": path.relative_to(root).as_posix(), "size": len(data)}
    if len(data) > MAX_SHOWN_BYTES:
        entry["content"] = None
        entry["note"] = "too large to show"
        return entry
    try:
        entry["content"] = data.decode("utf-8")
    except UnicodeDecodeError:
        entry["content"] = None
        entry["note"] = "binary file"
    return entry


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
