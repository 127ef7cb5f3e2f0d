"""What extensions/copier_internals.py relies on in Copier and Jinja still holds.

These fail when a Copier or Jinja upgrade changes it: template strings compile once
(`compile_strings_once`) and Copier's `yield` tag keeps working with that; file names' yield
tags read the way Copier reads them (`yield_loop`); the destination is in the context
(`destination`).
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace
from typing import Any

import pytest
from copier._jinja_ext import YieldExtension, get_yield_context
from jinja2.sandbox import SandboxedEnvironment

from extensions.backend import BackendTools
from extensions.copier_internals import destination, yield_loop
from tests.conftest import REPO

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


def test_yield_tags_in_file_names_read_as_copier_reads_them() -> None:
    env = environment()
    context = get_yield_context(env)
    project = SimpleNamespace(models=["m1", "m2"], routed_models=["m2"])
    names = [p.name for p in (REPO / "template").rglob("*.jinja") if "yield" in p.name]
    assert len(names) >= 4
    for name in names:
        variable, expression = yield_loop(name)  # type: ignore[misc]
        iterable = env.compile_expression(expression)(project=project)
        env.from_string(name).render(project=project)  # as Copier reads the tag
        assert (variable, iterable) == (context.yield_name, context.yield_iterable)
        env.from_string("reset").render()
    assert yield_loop("models/__init__.py.jinja") is None


def test_the_destination_is_in_copier_s_configuration() -> None:
    import copier._main

    assert "_copier_conf" in inspect.getsource(copier._main)  # what renders see
    assert "dst_path" in inspect.signature(copier._main.Worker).parameters
    template = environment().from_string("")
    context = template.new_context({"_copier_conf": SimpleNamespace(dst_path="/somewhere")})
    assert destination(context) == "/somewhere"
