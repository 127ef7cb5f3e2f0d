"""A throwaway Redis server for tests: `redis-server` on a free loopback port, no persistence.

`redis_server()` starts one server per test process (on first use) and stops it at exit.
Where no `redis-server` binary is installed, `skip_reason()` says why and tests skip.

Override discovery with REDIS_SERVER=/path/to/redis-server.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.projects import free_port


def find_binary() -> str | None:
    configured = os.environ.get("REDIS_SERVER")
    if configured and Path(configured).exists():
        return configured
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


def skip_reason() -> str | None:
    """Why Redis tests cannot run here, or None when they can."""
    if find_binary() is None:
        return "redis-server not found: install Debian's redis-server or set REDIS_SERVER"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis client package is not installed (limits[redis])"
    return None


@dataclass
class RedisServer:
    process: subprocess.Popen[bytes]
    root: Path
    port: int

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def flush(self) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            client.flushall()
        finally:
            client.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


_server: RedisServer | None = None


def redis_server() -> RedisServer:
    """The test process's Redis, started on first use; raises if it cannot start."""
    global _server
    if _server is not None:
        return _server
    binary = find_binary()
    if binary is None:
        raise RuntimeError(skip_reason())
    import redis

    root = Path(tempfile.mkdtemp(prefix="redis-test-"))
    port = free_port()
    log = root / "redis.log"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
            "--logfile",
            str(log),
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = RedisServer(process, root, port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
            client.ping()
            client.close()
            break
        except redis.exceptions.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                detail = log.read_text() if log.exists() else ""
                server.stop()
                raise RuntimeError(f"redis-server did not start:\n{detail}") from None
            time.sleep(0.1)
    atexit.register(server.stop)
    _server = server
    return server
