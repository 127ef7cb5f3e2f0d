"""The builder accepts exactly the schemas `copier copy` accepts (issue 5, point 5).

The same schemas go to POST /api/validate and, as a --data-file, to `copier copy` of
this repository's template in a subprocess; both must agree on every one.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

import schema
from tests.builder.conftest import BLOG, REPO_ROOT, real_template_problem

pytestmark = pytest.mark.skipif(
    real_template_problem() is not None,
    reason=f"needs the real template: {real_template_problem()}",
)


def example(name: str) -> dict:
    return yaml.safe_load((REPO_ROOT / "schema" / "examples" / name).read_text())


VALID = {
    "brief": schema.DEFAULT_SCHEMA,
    "models only": {"models": {"Tag": {"fields": {"label": "string"}}}},
    "options": {
        "project_name": "Options",
        "models": {
            "User": {"fields": {"email": {"type": "string", "unique": True}, "password": "string"}},
            "Note": {
                "fields": {
                    "body": {"type": "text", "min_length": 1, "description": "what it says"},
                    "stars": {"type": "int", "default": 0, "ge": 0, "le": 5},
                    "secret_word": {"type": "string", "secret": True, "nullable": True},
                },
                "relations": {"author_id": {"model": "User", "on_delete": "cascade"}},
                "timestamps": True,
            },
        },
        "apis": {"Note": {"create": "auth", "read": "owner", "delete": False}},
        "auth": {"token_expire_minutes": 15, "registration": "off"},
    },
    "shop example": example("shop.yaml"),
}

INVALID = {
    "unknown type": {"models": {"Post": {"fields": {"title": "strin"}}}},
    "reserved field": {"models": {"Post": {"fields": {"limit": "int"}}}},
    "lower-case model": {"models": {"post": {"fields": {"title": "string"}}}},
    "missing parent": {"models": {"Post": {"fields": {}, "relations": {"user_id": "Nobody"}}}},
    "unknown level": {**BLOG, "apis": {"Post": {"create": "everyone"}}},
    "optional without default": {
        "models": {"Post": {"fields": {"title": {"type": "string", "required": False}}}}
    },
    "owner without fk": {
        "models": {"Tag": {"fields": {"label": "string"}}},
        "apis": {"Tag": {"update": "owner"}},
    },
}


def copier_accepts(data: dict, workdir: Path) -> bool:
    data_file = workdir / "schema.yaml"
    data_file.write_text(yaml.safe_dump(data, sort_keys=False))
    destination = workdir / "project"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "copier",
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--data-file",
            str(data_file),
            str(REPO_ROOT),
            str(destination),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    accepted = result.returncode == 0
    if not accepted:  # a refused schema writes nothing
        assert not destination.exists() or not any(destination.iterdir()), result.stderr
    return accepted


# Each case clones and renders the template (seconds each), so the list stays short;
# tests/test_schema_rules.py covers the rules themselves.


def test_builder_and_copier_agree(client: TestClient, tmp_path: Path) -> None:
    cases = {
        **{f"valid: {k}": v for k, v in VALID.items()},
        **{f"invalid: {k}": v for k, v in INVALID.items()},
    }
    builder = {
        name: client.post("/api/validate", json=data).json()["problems"] == []
        for name, data in cases.items()
    }

    def run(item: tuple[int, str]) -> tuple[str, bool]:
        index, name = item
        workdir = tmp_path / f"case{index}"
        workdir.mkdir()
        return name, copier_accepts(cases[name], workdir)

    with ThreadPoolExecutor(max_workers=3) as pool:
        copier = dict(pool.map(run, enumerate(cases)))

    assert builder == copier
    assert all(builder[f"valid: {k}"] for k in VALID)
    assert not any(builder[f"invalid: {k}"] for k in INVALID)
