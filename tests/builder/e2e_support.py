"""What the browser tests share: the builder in a subprocess, Chromium, and page helpers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builder.conftest import PUBLIC_SRC, REPO_ROOT

CHROMIUM = Path(os.environ.get("BUILDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long the server may take to answer /health (a loaded machine is slow to import).
START_SECONDS = float(os.environ.get("BUILDER_E2E_START_SECONDS", "120"))
PASSWORD = "correct horse battery"

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None
    Page = object  # type: ignore[assignment,misc]

BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        sync_playwright is None, reason="playwright is not installed (builder/requirements-dev.txt)"
    ),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    """Poll `url`/health until it answers 200; fail with the server's log if it never does."""
    deadline = time.monotonic() + seconds
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the builder exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200 and json.load(response).get("status") == "ok":
                    return
                last_error = f"HTTP {response.status}"
        except OSError as error:
            last_error = str(error)
        time.sleep(0.2)
    process.kill()
    pytest.fail(
        f"the builder did not answer {url}/health within {seconds:g} s ({last_error}):\n"
        + log.read_text()[-4000:]
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m builder` in a subprocess, on its own database and data folder."""
    home = tmp_path_factory.mktemp("builder-server")
    port = free_port()
    env = {
        **os.environ,
        "BUILDER_DATABASE_URL": f"sqlite:///{home / 'builder.db'}",
        "BUILDER_DATA_DIR": str(home / "data"),
        "BUILDER_TEMPLATE_SRC": PUBLIC_SRC,
        "BUILDER_SECRET_KEY": "e2e-secret-key-that-is-long-enough-for-hs256",
    }
    log = home / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "builder", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log, START_SECONDS)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, server: str, width: int, height: int, **options: object) -> Page:
    """A page in a fresh context; errors in the page, and failed requests, are collected."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, **options
    )
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            page.errors.append(f"{response.status} {response.url}")
            if response.status == 404
            else None
        ),
    )
    page.goto(server + "/")
    return page


def register(page: Page, email: str) -> None:
    page.fill("#auth-form input[name=email]", email)
    page.fill("#auth-form input[name=password]", PASSWORD)
    page.click("#register")
    expect(page.locator("#who")).to_have_text(email)


def create_project(page: Page, name: str) -> None:
    page.fill("#new-project input[name=name]", name)
    page.click("#create-project")
    expect(page.locator("#project-title")).to_have_text(name)


def wait_valid(page: Page, saved: bool = False) -> None:
    text = "Valid · saved" if saved else "Valid · unsaved changes"
    expect(page.locator("#status")).to_have_text(text, timeout=15_000)


def api_get(server: str, page: Page, path: str) -> object:
    token = page.evaluate("sessionStorage.getItem('builder.token')")
    request = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)
