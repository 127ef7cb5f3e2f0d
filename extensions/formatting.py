"""Black formatting of the generated Python files, cached, and shared among processes.

Black is most of a render's time. Its output is remembered in memory (`copier update`
renders the old and the new project) and on disk (the next update renders them again).

On a cold cache, `ParallelFormatter` shares the work among cores: Copier renders files one by
one in this process, while forked helpers (one per extra core) render and format the same list
of files from its other end. Each file is claimed once, by whichever process reaches it first;
this process takes a file a helper claimed from that helper, without rendering it, so they meet
in the middle. Every process renders a file from the same template and context, so the output
is the same wherever it was made.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import queue
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import black
from copier.errors import UserMessageError
from jinja2 import Environment
from jinja2.runtime import Context

from .copier_internals import destination, yield_loop

# The generated project's [tool.black] settings, so `black --check` there agrees.
BLACK_MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)
_formatted: dict[str, str] = {}
_CACHE_DIR = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "backend-builder"
    / f"black-{black.__version__}"
)
# How many processes format a render: BACKEND_BUILDER_JOBS=1 keeps it to this one.
JOBS_VARIABLE = "BACKEND_BUILDER_JOBS"
HELPER, MAIN = 1, 2  # who claimed a file
STALL_SECONDS = 60.0  # no file from the helpers for this long: this process does the rest


def format_python(source: str, name: str | None = None) -> str:
    """Black's formatting of a generated file."""
    if source in _formatted:
        return _formatted[source]
    digest = hashlib.sha256(f"{BLACK_MODE!r}\0{source}".encode()).hexdigest()
    cached = _CACHE_DIR / digest[:2] / digest
    try:
        result = cached.read_text(encoding="utf-8")
    except OSError:
        try:
            result = _black(source)
        except black.InvalidInput as error:  # a template bug, never a user's
            raise UserMessageError(f"generated code in {name} does not parse: {error}") from None
        _store(cached, result)
    _formatted[source] = result
    return result


# Black formats a text twice when its first pass changed it: a workaround for rare cases of
# trailing commas meeting optional parentheses. Templates print calls on one line and leave
# the splitting to black, so every file would take two passes; one is enough for the code they
# print (the golden files, the examples' and random schemas' `black --check` show it), and the
# second would cost a third of a render. `_format_str_once` is black's own first pass, private:
# tests/test_formatting.py fails when a black upgrade removes it (then both passes run).
_black_pass = getattr(black, "_format_str_once", black.format_str)


def _black(source: str) -> str:
    """One pass of black, with the cycle collector paused while it runs.

    Black's syntax tree is a web of parent links that only the cycle collector frees.
    Left running, the collector walks each tree again and again while black builds it
    (a seventh of a 200-model render); paused, it frees the whole tree in one pass after.
    """
    if not gc.isenabled():
        return _black_pass(source, mode=BLACK_MODE)
    gc.disable()
    try:
        return _black_pass(source, mode=BLACK_MODE)
    finally:
        gc.enable()


def _store(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # atomic: concurrent renders never read half a file
    except OSError:
        pass  # a cache that cannot be written is only slower


def _helpers_wanted() -> int:
    """How many helper processes to fork: one per core beyond this one's."""
    try:
        jobs = int(os.environ.get(JOBS_VARIABLE) or os.cpu_count() or 1)
    except ValueError:
        jobs = 1
    # fork shares the loaded template and answers; elsewhere, one process does it all
    return max(jobs - 1, 0) if sys.platform.startswith("linux") else 0


class ParallelFormatter:
    """The Python files of one render (one template, one set of answers, one destination)."""

    _in_helper = False  # set in the forked helper, which only renders and formats

    def __init__(self, environment: Environment, context: Context) -> None:
        self.environment = environment
        self.yield_names: set[str] = set()
        self.jobs: list[tuple[str, str | None, Any]] = []  # template, yield variable, value
        self.index: dict[tuple[str, Any], int] = {}
        templates = sorted(environment.list_templates(filter_func=_is_python_template))
        base = dict(context.parent)
        for name in templates:
            loop = yield_loop(name)
            if loop:
                self.yield_names.add(loop[0])
        for variable in self.yield_names:
            base.pop(variable, None)
        self.base = base
        for name in templates:
            loop = yield_loop(name)
            if loop is None:
                self._add(name, None, None)
                continue
            try:
                values = environment.compile_expression(loop[1])(**base)
            except Exception:  # Copier will report it when it renders the file
                continue
            for value in values or ():
                self._add(name, loop[0], value)
        self.claims: Any = None
        self.results: dict[int, str | None] = {}
        self.helpers: list[Any] = []
        helpers = _helpers_wanted()
        if self.jobs and helpers:
            self._start_helpers(helpers)

    def _add(self, name: str, variable: str | None, value: Any) -> None:
        self.index[(name, _key(value))] = len(self.jobs)
        self.jobs.append((name, variable, value))

    def _start_helpers(self, count: int) -> None:
        fork = multiprocessing.get_context("fork")
        self.claims = fork.RawArray("b", len(self.jobs))
        self.lock = fork.Lock()
        self.queue = fork.Queue()
        self.helpers = [fork.Process(target=self._help, daemon=True) for _ in range(count)]
        for helper in self.helpers:
            helper.start()

    def _help(self) -> None:
        ParallelFormatter._in_helper = True
        gc.freeze()  # what this process inherited lives until it exits: never collect it
        for number in reversed(range(len(self.jobs))):
            with self.lock:
                if self.claims[number]:
                    continue
                self.claims[number] = HELPER
            name, variable, value = self.jobs[number]
            context = dict(self.base, **({variable: value} if variable else {}))
            try:
                text: str | None = self.environment.get_template(name).render(context)
            except Exception:  # this process renders it again and reports the error
                text = None
            self.queue.put((number, text))
        self.queue.close()
        self.queue.join_thread()

    def render(self, name: str, context: Context, body: Callable[[], str]) -> str:
        """The formatted file: taken from the helper, or rendered and formatted here."""
        variable = next((v for v in self.yield_names if v in context.parent), None)
        number = self.index.get((name, _key(context.parent.get(variable))))
        if number is not None and self.helpers:
            with self.lock:
                claimed = self.claims[number]
                if not claimed:
                    self.claims[number] = MAIN
            if claimed == HELPER:
                text = self._result(number)
                if text is not None:
                    return text
        return format_python(body(), name)

    def _result(self, number: int) -> str | None:
        """A helper's file; None when the helpers are gone or stuck (it is rendered here)."""
        waited = 0.0
        while number not in self.results:
            try:
                done, text = self.queue.get(timeout=0.1)
            except queue.Empty:
                waited += 0.1
                if waited > STALL_SECONDS:
                    for helper in self.helpers:
                        helper.kill()
                        helper.join()
                if not any(h.is_alive() for h in self.helpers) and self.queue.empty():
                    return None
                continue
            self.results[done] = text
            waited = 0.0
        return self.results.pop(number)


def _is_python_template(name: str) -> bool:
    return name.endswith(".py.jinja")


def _key(value: Any) -> Any:
    """What tells the files of one yield apart (a model's module name)."""
    if value is None:
        return None
    return getattr(value, "module", None) or repr(value)


_formatters: dict[tuple[int, str], ParallelFormatter] = {}


def python_file(
    environment: Environment, context: Context, name: str, body: Callable[[], str]
) -> str:
    """A generated `.py` file, formatted: the body of the template's `{% python_file %}` tag."""
    if ParallelFormatter._in_helper:
        return format_python(body(), name)
    render = (id(context.parent.get("project")), destination(context))
    formatter = _formatters.get(render)
    if formatter is None:
        formatter = _formatters[render] = ParallelFormatter(environment, context)
    return formatter.render(name, context, body)
