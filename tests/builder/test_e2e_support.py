"""The browser tests' server fixture fails clearly, never runs on without a server."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builder.e2e_support import free_port, wait_for_health


def test_a_server_that_exits_fails_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("Traceback: the builder could not start\n")
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    with pytest.raises(pytest.fail.Exception, match="(?s)exited with 3.*could not start"):
        wait_for_health(f"http://127.0.0.1:{free_port()}", process, log, seconds=5)


def test_a_server_that_never_answers_fails_at_the_deadline(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("still importing\n")
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    started = time.monotonic()
    try:
        with pytest.raises(pytest.fail.Exception, match="(?s)within 1 s.*still importing"):
            wait_for_health(f"http://127.0.0.1:{free_port()}", process, log, seconds=1)
    finally:
        process.kill()
        process.wait()
    assert time.monotonic() - started < 10
