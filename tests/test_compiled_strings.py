"""Template strings compile once (extensions/backend.py, `compile_strings_once`).

Copier renders each path part through `Environment.from_string`; the extension keeps what
Jinja compiled, and must leave the results, and Copier's `yield` tag, as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from copier._jinja_ext import YieldExtension, get_yield_context
from jinja2.sandbox import SandboxedEnvironment

from extensions.backend import BackendTools

PATH = "{% yield model from models %}{{ model }}{% endyield %}.py"


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(extensions=[YieldExtension, BackendTools])


def test_a_string_compiles_once_and_renders_with_each_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = environment()
    parsed: list[str] = []
    parse = env._parse

    def counted(source: str, *args: Any) -> Any:
        parsed.append(source)
        return parse(source, *args)

    monkeypatch.setattr(env, "_parse", counted)
    rendered = [env.from_string(PATH).render(models=["a"], model=m) for m in ("post", "user")]
    assert rendered == ["post.py", "user.py"]
    assert env.from_string("plain").render() == "plain"
    assert parsed == [PATH, "plain"]


def test_a_reused_string_still_resets_the_yield_tag() -> None:
    env = environment()
    context = get_yield_context(env)
    env.from_string(PATH).render(models=["post", "user"])
    assert (context.yield_name, context.yield_iterable) == ("model", ["post", "user"])
    env.from_string("schemas").render()  # a path part without the tag clears it
    assert (context.yield_name, context.yield_iterable) == (None, None)
    env.from_string(PATH).render(models=["post"])
    assert context.yield_name == "model"
    env.from_string(PATH)  # compiling resets the tag's state: reusing the code must too
    assert (context.yield_name, context.yield_iterable) == (None, None)


def test_named_templates_are_left_to_jinja() -> None:
    env = environment()
    first = env.compile("{{ 1 }}", name="a.txt.jinja")
    assert env.compile("{{ 1 }}", name="a.txt.jinja") is not first
