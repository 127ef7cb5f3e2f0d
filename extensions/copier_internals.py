"""The places where this template relies on how Copier and Jinja work inside.

Everything else uses their documented interfaces (extensions, filters, globals, call
blocks). These three pieces serve render speed (see formatting.py) and depend on details a
Copier or Jinja release may change; tests/test_copier_internals.py fails when one does, and
requirements.txt pins Copier to the range those tests passed on.

- `compile_strings_once`: Copier renders every part of every path through
  `Environment.from_string`, which Jinja does not cache; this keeps the compiled code, and
  relies on Copier's `yield` extension resetting its state in `preprocess`.
- `yield_loop`: Copier's `{% yield x from xs %}` tag in a file name, read back so the
  forked helpers of formatting.py can list the files of a render before Copier does.
- `destination`: the render's destination (`_copier_conf.dst_path` in the context), which
  tells apart the two renders of a `copier update`.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment
from jinja2.runtime import Context

YIELD_TAG = re.compile(r"\{%-?\s*yield\s+(\w+)\s+from\s+(.+?)\s*-?%\}")


def yield_loop(name: str) -> tuple[str, str] | None:
    """(variable, expression) of the `yield` tag in a template's file name, if it has one."""
    tag = YIELD_TAG.search(name)
    return (tag[1], tag[2]) if tag else None


def destination(context: Context) -> str:
    """Where the render that `context` belongs to is written."""
    conf = context.parent.get("_copier_conf")
    return str(getattr(conf, "dst_path", ""))


def compile_strings_once(environment: Environment) -> None:
    """Reuse what Jinja compiled from a template string.

    Copier renders every part of every path through `from_string`, which Jinja does not
    cache: a 200-model project compiled the same few path templates 1,800 times, a tenth of
    the render. Code compiled from a string depends on nothing but the string (the
    environment is set up once), so it is kept; `preprocess` still runs on every call, for
    the extensions that reset their state there (Copier's `yield` tag does).
    """
    compile_ = environment.compile
    compiled: dict[str, Any] = {}

    def compile_once(
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if name is not None or raw or defer_init or not isinstance(source, str):
            return compile_(source, name, filename, raw, defer_init)
        code = compiled.get(source)
        if code is None:
            code = compiled[source] = compile_(source, name, filename, raw, defer_init)
        else:
            environment.preprocess(source, name, filename)  # as compiling it again would
        return code

    environment.compile = compile_once  # type: ignore[method-assign]
