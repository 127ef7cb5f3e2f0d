"""Schemathesis against the running backend of every example, authenticated as an admin.

Bounded in examples per operation; passes only with 0 server errors and 0 responses that
break their declared schema or status codes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, Renderer, tool
from tests.projects import free_port

pytestmark = pytest.mark.slow

EXAMPLES = ["brief.json", "blog.yaml", "shop.yaml"]
ADMIN_PASSWORD = "an admin passphrase"
ADMIN_USERNAMES = {
    "brief.json": "admin@example.com",
    "blog.yaml": "admin@example.com",
    "shop.yaml": "root-admin",
}
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


@pytest.mark.parametrize("example", EXAMPLES)
def test_schemathesis_finds_no_server_errors(
    render: Renderer, tmp_path: Path, example: str
) -> None:
    if shutil.which("schemathesis", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("schemathesis is not installed (pip install -r requirements-dev.txt)")
    project = tmp_path / "project"
    render(REPO / "schema" / "examples" / example, project)
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{project / 'app.db'}",
        ADMIN_EMAIL=ADMIN_USERNAMES[example],
        ADMIN_PASSWORD=ADMIN_PASSWORD,
    )
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [tool("uvicorn"), "main:app", "--port", str(port), "--log-level", "warning"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        token = httpx.post(
            f"{base}/auth/token",
            data={"username": ADMIN_USERNAMES[example], "password": ADMIN_PASSWORD},
        ).json()["access_token"]
        result = subprocess.run(
            [
                tool("schemathesis"),
                "run",
                f"{base}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error,response_schema_conformance,status_code_conformance,"
                "content_type_conformance",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--workers",
                "1",
                "--seed",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "NO_COLOR": "1"},
            cwd=tmp_path,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    summary = re.search(r"(\d+) generated, (\d+) (?:found|passed|skipped)[^\n]*", result.stdout)
    operations = re.search(r"Tested: (\d+)", result.stdout)
    print(
        f"{example}: {operations.group(1) if operations else '?'} operations,"
        f" {summary.group(0) if summary else 'no summary'}"
    )
    assert result.returncode == 0, result.stdout[-6000:]
    server_log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in server_log, server_log[-4000:]
