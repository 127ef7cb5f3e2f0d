"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl under a temporary directory.

`postgres_server()` starts one cluster per test process (on first use) and stops it at
exit; `create_database()` gives each caller its own empty database. PostgreSQL refuses to
run as root, so as root the cluster belongs to the `postgres` system user (`runuser`).
Where no server binaries are installed, `skip_reason()` says why and tests skip.

Override discovery with PG_BIN=/path/to/bin.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.projects import free_port

RUN_AS = "postgres"  # the system user that owns the cluster when we are root


def find_bin_dir() -> Path | None:
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def skip_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    if find_bin_dir() is None:
        return (
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's "
            "postgresql package or set PG_BIN"
        )
    if _is_root():
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing: cannot start PostgreSQL"
        try:
            import pwd

            pwd.getpwnam(RUN_AS)
        except KeyError:
            return f"running as root and there is no {RUN_AS!r} user to run PostgreSQL"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    user: str = "postgres"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if _is_root():
            command = ["runuser", "-u", RUN_AS, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if _is_root():
            shutil.chown(self.root, RUN_AS, RUN_AS)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            self.user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 "
            "-c timezone=UTC"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


_server: PostgresServer | None = None


def postgres_server() -> PostgresServer:
    """The test process's cluster, started on first use; raises if it cannot start."""
    global _server
    if _server is None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError(skip_reason())
        root = Path(tempfile.mkdtemp(prefix="pg-test-"))
        server = PostgresServer(bin_dir, root, free_port())
        try:
            server.start()
        except subprocess.CalledProcessError as error:
            log = server.root / "server.log"
            detail = log.read_text() if log.exists() else ""
            server.stop()
            raise RuntimeError(f"PostgreSQL did not start: {error.stderr}\n{detail}") from None
        atexit.register(server.stop)
        _server = server
    return _server
