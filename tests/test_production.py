"""A generated backend run the way production runs it: real servers, several workers.

Every test starts `uvicorn main:app` (or the Dockerfile's CMD) in a child process against
PostgreSQL (tests/postgres.py), SQLite or a real Redis (tests/redis_server.py) and talks to
it over loopback HTTP. Covered: no lost writes under concurrent load, startup work when
workers start together, database outages and recovery, startup failures in one clear line,
health checks, brute-force protection shared between workers, production settings, and the
deployment files (Dockerfile, compose.yaml).
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import Renderer
from tests.projects import PROJECT_VARS, free_port

try:
    from tests import postgres, redis_server
except ImportError:  # tests/ is not a package
    import postgres  # type: ignore[no-redef]
    import redis_server  # type: ignore[no-redef]

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
STRONG_KEY = "k" * 20 + "production-secret-key-0123456789"

# A small schema: a unique field and public CRUD, so a load test needs no tokens.
SCHEMA: dict[str, Any] = {
    "project_name": "Loadtest",
    "models": {
        "User": {
            "fields": {
                "email": {"type": "string", "max_length": 254},
                "password": {"type": "string", "min_length": 8, "max_length": 128},
            }
        },
        "Item": {
            "fields": {
                "code": {"type": "string", "max_length": 64, "unique": True},
                "qty": {"type": "int", "default": 0},
            }
        },
    },
    "apis": {
        "User": {"create": "admin", "read": "owner", "update": "owner", "delete": "admin"},
        "Item": {"create": "public", "read": "public", "update": "public", "delete": "public"},
    },
}


def server_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARS}
    env["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def run(
    project: Path, *command: str, timeout: float = 120, **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command),
        cwd=project,
        env=server_env(**settings),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def migrate(project: Path, database_url: str) -> None:
    result = run(project, str(BIN / "alembic"), "upgrade", "head", DATABASE_URL=database_url)
    assert result.returncode == 0, result.stdout + result.stderr


def libpq(url: str) -> str:
    """The SQLAlchemy URL of tests/postgres.py as a libpq URL for psycopg."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def sql(database_url: str, query: str) -> list[tuple[Any, ...]]:
    if database_url.startswith("sqlite:///"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return connection.execute(query).fetchall()
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(libpq(database_url)) as connection:
        return connection.execute(query).fetchall()  # type: ignore[arg-type]


def non_info_lines(output: str) -> list[str]:
    """The lines of a failed start that are not uvicorn's own progress notes."""
    return [
        line
        for line in output.splitlines()
        if line.strip() and not line.startswith(("INFO:", "INFO "))
    ]


class Server:
    """`uvicorn main:app` (or another command) in a child process; its output in a file."""

    def __init__(
        self,
        cwd: Path,
        settings: dict[str, str],
        *,
        workers: int = 1,
        command: list[str] | None = None,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.cwd = cwd
        self.workers = workers
        self.port = port or free_port()
        self.command = command or [
            str(BIN / "uvicorn"),
            "main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *(["--workers", str(workers)] if workers > 1 else []),
        ]
        self.env = env if env is not None else server_env(**settings)
        self.log_path = cwd / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 60) -> Server:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited ({self.process.returncode}):\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    started = self.log().count("Application startup complete")
                    if started >= self.workers:
                        return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"server did not start in {timeout}s:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> str:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process is not None:
            # Workers left behind by a killed supervisor belong to its session.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return self.log()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for(check: Any, timeout: float, interval: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            return result
        time.sleep(interval)


def require_postgres() -> postgres.PostgresServer:
    reason = postgres.skip_reason()
    if reason is not None:
        pytest.skip(reason)
    return postgres.postgres_server()


def require_redis() -> redis_server.RedisServer:
    reason = redis_server.skip_reason()
    if reason is not None:
        pytest.skip(reason)
    return redis_server.redis_server()


@pytest.fixture(scope="module")
def project(render: Renderer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dst = tmp_path_factory.mktemp("production") / "loadtest"
    render(SCHEMA, dst)
    return dst


# --------------------------------------------------------------------------- 1. load


@dataclass
class Ledger:
    """What the server acknowledged, from the clients' side."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    created: dict[int, str] = field(default_factory=dict)  # id -> code
    deleted: set[int] = field(default_factory=set)
    last_qty: dict[int, int] = field(default_factory=dict)  # id -> last acknowledged qty
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, method: str, path: str, response: httpx.Response) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.errors.append(f"{method} {path} -> {response.status_code} {response.text}")


CLIENTS = 16
OPS_PER_CLIENT = 25
UNIQUE_ROUNDS = 4


def client_session(
    base: str, index: int, ledger: Ledger, pool: list[int], pool_lock: threading.Lock
) -> None:
    rng = random.Random(index)
    own: list[int] = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for op in range(OPS_PER_CLIENT):
            roll = rng.random()
            try:
                if roll < 0.5 or not own:
                    code = f"c{index}-{op}"
                    r = client.post("/items", json={"code": code, "qty": 0})
                    ledger.note("POST", "/items", r)
                    if r.status_code == 201:
                        body = r.json()
                        assert body["code"] == code
                        with ledger.lock:
                            ledger.created[body["id"]] = code
                        own.append(body["id"])
                        with pool_lock:
                            pool.append(body["id"])
                    elif r.status_code < 500:
                        ledger.errors.append(f"create {code} -> {r.status_code} {r.text}")
                elif roll < 0.8:
                    # Only the owner updates an item, so its last acknowledged value is known.
                    target = rng.choice(own)
                    qty = rng.randint(1, 10**6)
                    r = client.patch(f"/items/{target}", json={"qty": qty})
                    ledger.note("PATCH", f"/items/{target}", r)
                    if r.status_code == 200:
                        assert r.json()["qty"] == qty
                        with ledger.lock:
                            ledger.last_qty[target] = qty
                    elif r.status_code not in (404, 500, 502, 503):
                        ledger.errors.append(f"update {target} -> {r.status_code} {r.text}")
                else:
                    # Anyone deletes anyone's item: deletes race updates and other deletes.
                    with pool_lock:
                        target = rng.choice(pool) if pool else None
                    if target is None:
                        continue
                    r = client.delete(f"/items/{target}")
                    ledger.note("DELETE", f"/items/{target}", r)
                    if r.status_code == 204:
                        with ledger.lock:
                            ledger.deleted.add(target)
                    elif r.status_code != 404 and r.status_code < 500:
                        ledger.errors.append(f"delete {target} -> {r.status_code} {r.text}")
            except httpx.TransportError as error:
                with ledger.lock:
                    ledger.errors.append(f"transport error: {error!r}")


def unique_race(base: str, code: str, ledger: Ledger) -> Counter[int]:
    """CLIENTS clients create the same unique value at the same moment."""
    barrier = threading.Barrier(CLIENTS)

    def attempt(index: int) -> int:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/health")  # connect first, so the creates really start together
            barrier.wait()
            r = client.post("/items", json={"code": code, "qty": index})
            ledger.note("POST", "/items", r)
            if r.status_code == 201:
                with ledger.lock:
                    ledger.created[r.json()["id"]] = code
            elif r.status_code == 409:
                assert isinstance(r.json()["detail"], str) and r.json()["detail"]
            return r.status_code

    with ThreadPoolExecutor(CLIENTS) as pool:
        return Counter(pool.map(attempt, range(CLIENTS)))


def unique_update_race(base: str, code: str, ledger: Ledger) -> Counter[int]:
    """CLIENTS clients each rename their own item to the same unique value at once."""
    ids = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for index in range(CLIENTS):
            r = client.post("/items", json={"code": f"{code}-src-{index}"})
            ledger.note("POST", "/items", r)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
            ledger.created[ids[-1]] = f"{code}-src-{index}"
    barrier = threading.Barrier(CLIENTS)

    def attempt(item_id: int) -> int:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/health")
            barrier.wait()
            r = client.patch(f"/items/{item_id}", json={"code": code})
            ledger.note("PATCH", f"/items/{item_id}", r)
            if r.status_code == 200:
                with ledger.lock:
                    ledger.created[item_id] = code
            return r.status_code

    with ThreadPoolExecutor(CLIENTS) as pool:
        return Counter(pool.map(attempt, ids))


def load_and_check(server: Server, database_url: str, label: str) -> dict[str, Any]:
    ledger = Ledger()
    pool: list[int] = []
    pool_lock = threading.Lock()
    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as executor:
        futures = [
            executor.submit(client_session, server.url, i, ledger, pool, pool_lock)
            for i in range(CLIENTS)
        ]
        for future in futures:
            future.result()
    races = [unique_race(server.url, f"same-{r}", ledger) for r in range(UNIQUE_ROUNDS)]
    update_race = unique_update_race(server.url, "renamed", ledger)
    duration = time.monotonic() - started

    rows = dict(sql(database_url, "SELECT id, code FROM items"))
    qtys = dict(sql(database_url, "SELECT id, qty FROM items"))
    codes = [code for (code,) in sql(database_url, "SELECT code FROM items")]
    expected = {i: c for i, c in ledger.created.items() if i not in ledger.deleted}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        listed = client.get("/items", params={"limit": 1})
    figures = {
        "database": label,
        "workers": server.workers,
        "requests": ledger.requests,
        "statuses": dict(sorted(ledger.statuses.items())),
        "creates acknowledged": len(ledger.created),
        "deletes acknowledged": len(ledger.deleted),
        "updates acknowledged": len(ledger.last_qty),
        "rows expected": len(expected),
        "rows found": len(rows),
        "unique create races (201/409)": [(c[201], c[409]) for c in races],
        "unique rename race (200/409)": (update_race[200], update_race[409]),
        "duration s": round(duration, 2),
        "requests/s": round(ledger.requests / duration, 1),
    }
    print(f"\nload figures: {json.dumps(figures)}")
    log = server.log()

    assert not ledger.errors, "\n".join(ledger.errors[:20])
    assert not [s for s in ledger.statuses if s >= 500], figures
    for race in races:
        assert race == Counter({201: 1, 409: CLIENTS - 1}), race
    assert update_race == Counter({200: 1, 409: CLIENTS - 1}), update_race
    missing = {i: c for i, c in expected.items() if rows.get(i) != c}
    assert not missing, f"acknowledged creates missing or changed: {missing}"
    resurrected = ledger.deleted & rows.keys()
    assert not resurrected, f"acknowledged deletes still present: {resurrected}"
    assert rows.keys() == expected.keys(), "rows nobody acknowledged"
    assert len(codes) == len(set(codes)), "duplicate unique values"
    lost_updates = {
        i: (q, qtys[i]) for i, q in ledger.last_qty.items() if i in qtys and qtys[i] != q
    }
    assert not lost_updates, f"acknowledged updates lost (expected, found): {lost_updates}"
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == str(len(rows))
    assert "database is locked" not in log
    assert "Traceback" not in log
    return figures


@pytest.mark.postgres
def test_several_workers_on_postgresql_lose_no_writes(project: Path) -> None:
    database_url = require_postgres().create_database("load")
    migrate(project, database_url)  # the documented production start: migrations once
    settings = {"DATABASE_URL": database_url, "MIGRATE_ON_STARTUP": "false"}
    with Server(project, settings, workers=2) as server:
        load_and_check(server, database_url, "postgresql")


def test_one_worker_on_sqlite_loses_no_writes_and_never_locks(project: Path) -> None:
    database_url = f"sqlite:///{project / 'load.db'}"
    migrate(project, database_url)
    settings = {"DATABASE_URL": database_url, "MIGRATE_ON_STARTUP": "false"}
    with Server(project, settings) as server:
        load_and_check(server, database_url, "sqlite")


# --------------------------------------------------------------------------- 2. startup


@pytest.mark.postgres
def test_workers_starting_together_migrate_once_and_create_one_admin(project: Path) -> None:
    workers = 4
    server_pg = require_postgres()
    head = run(project, str(BIN / "alembic"), "heads", DATABASE_URL="sqlite://").stdout.split()[0]
    for attempt in range(3):  # a race that passes once by luck rarely passes thrice
        database_url = server_pg.create_database("startup")
        settings = {
            "DATABASE_URL": database_url,
            "MIGRATE_ON_STARTUP": "true",
            "ADMIN_EMAIL": "root@example.com",
            "ADMIN_PASSWORD": "a-long-admin-password",
        }
        with Server(project, settings, workers=workers) as server:
            ready = httpx.get(f"{server.url}/health/ready", timeout=10)
            token = httpx.post(
                f"{server.url}/auth/token",
                data={"username": "root@example.com", "password": "a-long-admin-password"},
                timeout=10,
            )
        log = server.log()
        assert log.count("Application startup complete") == workers, log
        for bad in ("Traceback", "CRITICAL", "died", "failed to start", "ERROR"):
            assert bad not in log, f"attempt {attempt}: {bad!r} in the log:\n{log}"
        assert ready.status_code == 200, ready.text
        assert token.status_code == 200, token.text
        admins = sql(database_url, "SELECT email, role FROM users")
        assert admins == [("root@example.com", "admin")], admins
        assert sql(database_url, "SELECT version_num FROM alembic_version") == [(head,)]


# --------------------------------------------------------------------------- 3. faults


PG_OPTIONS = (
    "-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100 "
    "-c timezone=UTC"
)


@pytest.fixture
def own_postgres() -> Iterator[postgres.PostgresServer]:
    """A cluster of this test's own, so stopping it disturbs no other test."""
    require_postgres()
    bin_dir = postgres.find_bin_dir()
    assert bin_dir is not None
    server = postgres.PostgresServer(
        bin_dir, Path(tempfile.mkdtemp(prefix="pg-outage-")), free_port()
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pg_ctl(server: postgres.PostgresServer, action: str) -> None:
    if action == "stop":
        server._run("pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "stop")
    else:
        options = PG_OPTIONS.format(port=server.port, root=server.root)
        server._run(
            "pg_ctl", "-D", str(server.data_dir), "-l", str(server.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip


@pytest.mark.postgres
def test_database_outage_answers_503_and_recovers_without_restart(
    project: Path, own_postgres: postgres.PostgresServer
) -> None:
    database_url = own_postgres.create_database("outage")
    migrate(project, database_url)
    settings = {"DATABASE_URL": database_url, "MIGRATE_ON_STARTUP": "false"}
    with Server(project, settings, workers=2) as server:

        def fresh(method: str, path: str, **kwargs: Any) -> httpx.Response:
            # A new connection each time, so both workers get their share.
            return httpx.request(method, f"{server.url}{path}", timeout=30, **kwargs)

        before = fresh("POST", "/items", json={"code": "before"})
        assert before.status_code == 201, before.text
        for _ in range(4):
            assert fresh("GET", "/items").status_code == 200

        pg_ctl(own_postgres, "stop")
        down = {
            "GET /items": fresh("GET", "/items"),
            "GET /items/1": fresh("GET", "/items/1"),
            "POST /items": fresh("POST", "/items", json={"code": "during"}),
            "PATCH /items/1": fresh("PATCH", "/items/1", json={"qty": 3}),
            "DELETE /items/1": fresh("DELETE", "/items/1"),
            "POST /auth/token": fresh(
                "POST", "/auth/token", data={"username": "a@example.com", "password": "x" * 9}
            ),
            "GET /health/ready": fresh("GET", "/health/ready"),
            "GET /items (again)": fresh("GET", "/items"),
        }
        summary = {k: (r.status_code, r.text) for k, r in down.items()}
        print(f"\nwhile PostgreSQL is down: {summary}")
        for name, response in down.items():
            assert response.status_code == 503, f"{name}: {response.status_code} {response.text}"
            detail = response.json()["detail"]
            assert isinstance(detail, str) and "database" in detail.lower(), (name, detail)
        assert fresh("GET", "/health").json() == {"status": "ok"}  # the process is alive

        pg_ctl(own_postgres, "start")
        started = time.monotonic()

        def recovered() -> bool:
            return all(fresh("GET", "/health/ready").status_code == 200 for _ in range(4))

        assert wait_for(recovered, timeout=30), "the app did not recover from the outage"
        print(f"recovered {time.monotonic() - started:.2f}s after PostgreSQL came back")
        for attempt in range(4):
            assert fresh("GET", "/items").status_code == 200
            r = fresh("POST", "/items", json={"code": f"after-{attempt}"})
            assert r.status_code == 201, r.text
        codes = {code for (code,) in sql(database_url, "SELECT code FROM items")}
        assert codes == {"before", "after-0", "after-1", "after-2", "after-3"}
    assert "Traceback" not in server.log(), server.log()


STARTUP_FAILURES = {
    "malformed DATABASE_URL": ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    "unknown driver": (
        {"DATABASE_URL": "postgresql+nosuchdriver://u@127.0.0.1/db"},
        "DATABASE_URL",
    ),
    "unknown database": ({"DATABASE_URL": "nosuchdb://u@127.0.0.1/db"}, "DATABASE_URL"),
    "driver not installed": ({"DATABASE_URL": "mysql://u@127.0.0.1/db"}, "DATABASE_URL"),
    "unreachable host": (
        {"DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:{free_port}/db"},
        "DATABASE_URL",
    ),
    "ACCESS_TOKEN_EXPIRE_MINUTES=abc": (
        {"ACCESS_TOKEN_EXPIRE_MINUTES": "abc"},
        "ACCESS_TOKEN_EXPIRE_MINUTES",
    ),
    "unknown ENVIRONMENT": ({"ENVIRONMENT": "staging"}, "ENVIRONMENT"),
    "production with a short SECRET_KEY": (
        {"ENVIRONMENT": "production", "SECRET_KEY": "short"},
        "SECRET_KEY",
    ),
    "production with ADMIN_PASSWORD=admin": (
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": STRONG_KEY,
            "ADMIN_EMAIL": "root@example.com",
            "ADMIN_PASSWORD": "admin",
        },
        "ADMIN_PASSWORD",
    ),
    "MIGRATE_ON_STARTUP=perhaps": ({"MIGRATE_ON_STARTUP": "perhaps"}, "MIGRATE_ON_STARTUP"),
    "production with CORS_ORIGINS=*": (
        {"ENVIRONMENT": "production", "SECRET_KEY": STRONG_KEY, "CORS_ORIGINS": '["*"]'},
        "CORS_ORIGINS",
    ),
}


@pytest.mark.parametrize("case", list(STARTUP_FAILURES))
def test_wrong_setting_stops_uvicorn_with_one_clear_line(project: Path, case: str) -> None:
    settings, name = STARTUP_FAILURES[case]
    settings = {k: v.format(free_port=free_port()) for k, v in settings.items()}
    settings.setdefault("DATABASE_URL", f"sqlite:///{project / 'startup-failure.db'}")
    port = free_port()
    result = run(
        project, str(BIN / "uvicorn"), "main:app", "--port", str(port), timeout=60, **settings
    )
    output = result.stdout + result.stderr
    shown = non_info_lines(output)
    brief = shown if len(shown) < 3 else [shown[0], "...", shown[-1]]
    print(f"\n{case}: exit {result.returncode}: {brief}")
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = non_info_lines(output)
    assert len(lines) == 1, f"expected one clear line, got:\n{output}"
    assert name in lines[0], f"{name} is not named in: {lines[0]}"


def test_a_user_holding_the_admin_username_stops_startup_in_one_line(project: Path) -> None:
    """Registered before ADMIN_EMAIL was set: never promoted, whatever its case or spaces."""
    database_url = f"sqlite:///{project / 'admin-taken.db'}"
    migrate(project, database_url)
    settings = {"DATABASE_URL": database_url, "MIGRATE_ON_STARTUP": "false"}
    with Server(project, settings) as server:
        body = {"email": "root@example.com", "password": "the squatter's password"}
        registered = httpx.post(f"{server.url}/auth/register", json=body, timeout=10)
        assert registered.status_code == 201, registered.text
    result = run(
        project,
        str(BIN / "uvicorn"),
        "main:app",
        "--port",
        str(free_port()),
        timeout=60,
        ADMIN_EMAIL=" Root@Example.com",
        ADMIN_PASSWORD="a-long-admin-password",
        **settings,
    )
    output = result.stdout + result.stderr
    print(f"\nadmin username taken: exit {result.returncode}: {non_info_lines(output)}")
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = non_info_lines(output)
    assert len(lines) == 1 and "ADMIN_EMAIL" in lines[0], output
    assert sql(database_url, "SELECT email, role FROM users") == [("root@example.com", "user")]


def test_documented_start_with_unreachable_database_fails_in_one_line(project: Path) -> None:
    """The Dockerfile's `alembic upgrade head && uvicorn ...` when the database is away."""
    url = f"postgresql+psycopg://u@127.0.0.1:{free_port()}/db"
    result = run(project, str(BIN / "alembic"), "upgrade", "head", timeout=60, DATABASE_URL=url)
    output = result.stdout + result.stderr
    print(f"\nalembic upgrade head, unreachable database: exit {result.returncode}")
    assert result.returncode != 0
    assert "Traceback" not in output, output
    lines = non_info_lines(output)
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], output


# --------------------------------------------------------------------------- 4. health


def test_health_liveness_and_readiness_follow_migrations(project: Path) -> None:
    database_url = f"sqlite:///{project / 'health.db'}"
    settings = {"DATABASE_URL": database_url, "MIGRATE_ON_STARTUP": "false"}
    with Server(project, settings) as server:
        garbage = {"Authorization": "Bearer not-a-token"}

        def ready() -> httpx.Response:
            return httpx.get(f"{server.url}/health/ready", timeout=10)

        alive = httpx.get(f"{server.url}/health", timeout=10, headers=garbage)
        assert alive.status_code == 200 and alive.json() == {"status": "ok"}

        fresh = ready()  # an empty database: no migrations at all
        assert fresh.status_code == 503, fresh.text
        assert "migrat" in fresh.json()["detail"], fresh.text

        migrate(project, database_url)
        after = ready()
        assert after.status_code == 200 and after.json() == {"status": "ok"}, after.text
        assert httpx.get(f"{server.url}/health/ready", headers=garbage).status_code == 200

        down = run(project, str(BIN / "alembic"), "downgrade", "-1", DATABASE_URL=database_url)
        assert down.returncode == 0, down.stderr
        behind = ready()
        assert behind.status_code == 503 and "migrat" in behind.json()["detail"], behind.text

        migrate(project, database_url)
        assert ready().status_code == 200


# --------------------------------------------------------------------------- 4b. body limit


def raw_request(port: int, head: str, chunks: Iterator[bytes]) -> tuple[str, int]:
    """Send `head`, then `chunks` until the server answers; its status line and bytes sent."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.encode())
        connection.setblocking(False)
        for chunk in chunks:
            try:
                if connection.recv(1, socket.MSG_PEEK):
                    break  # answered before the body was all sent
            except BlockingIOError:
                pass
            try:
                connection.sendall(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            time.sleep(0.002)  # a client's pace: the answer has time to come
        connection.setblocking(True)
        answer = connection.recv(4096).decode(errors="replace")
    return answer.split("\r\n", 1)[0], sent


def test_bodies_over_max_body_bytes_are_refused_before_they_are_read(project: Path) -> None:
    database_url = f"sqlite:///{project / 'body-limit.db'}"
    migrate(project, database_url)
    settings = {"DATABASE_URL": database_url, "MAX_BODY_BYTES": "100000"}
    piece = b"x" * 16384
    with Server(project, settings) as server:
        head = "POST /items HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        declared, _ = raw_request(
            server.port, head + "Content-Length: 150000000\r\n\r\n", iter([piece])
        )
        chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        started = time.monotonic()
        chunked, sent = raw_request(
            server.port,
            head + "Transfer-Encoding: chunked\r\n\r\n",
            (chunk for _ in range(10_000)),  # 160 MiB, were it all sent
        )
        elapsed = time.monotonic() - started
        small = httpx.post(f"{server.url}/items", json={"code": "fits"}, timeout=10)
    print(f"\n150 MB declared: {declared}; chunked: {chunked} after {sent} bytes, {elapsed:.2f}s")
    assert declared.split()[1] == "413", declared
    assert chunked.split()[1] == "413", chunked
    assert sent < 1000 * 16384, sent  # far less than the 160 MiB it would have sent
    assert small.status_code == 201, small.text
    assert "Traceback" not in server.log(), server.log()
    assert sql(database_url, "SELECT code FROM items") == [("fits",)]


# --------------------------------------------------------------------------- 5. rate limits


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _tcp_connections() -> list[list[str]]:
    """The rows of Linux's /proc/net/tcp, split into fields."""
    return [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]


def serving_worker(master: int, server_port: int, client_port: int) -> int | None:
    """The worker process holding the server side of one loopback connection (Linux /proc)."""
    wanted_local = f"0100007F:{server_port:04X}"
    wanted_remote = f"0100007F:{client_port:04X}"
    inode = None
    for parts in _tcp_connections():
        if parts[1] == wanted_local and parts[2] == wanted_remote:
            inode = parts[9]
    if inode is None:
        return None
    for pid in _children(master):
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


def _client_ports(server_port: int) -> set[int]:
    """Local ports of established client-side connections to the server."""
    ports = set()
    wanted = f"0100007F:{server_port:04X}"
    for parts in _tcp_connections():
        if parts[2] == wanted and parts[3] == "01":
            ports.add(int(parts[1].split(":")[1], 16))
    return ports


def one_connection_per_worker(server: Server) -> list[httpx.Client]:
    """Keep-alive clients, one served by each worker, so attempts provably alternate."""
    assert server.process is not None
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc to tell the workers apart")
    by_worker: dict[int, httpx.Client] = {}
    spare: list[httpx.Client] = []
    for _ in range(80):
        before = _client_ports(server.port)
        client = httpx.Client(base_url=server.url, timeout=30)
        assert client.get("/health").status_code == 200
        new = _client_ports(server.port) - before
        pid = None
        if len(new) == 1:
            pid = serving_worker(server.process.pid, server.port, new.pop())
        if pid is not None and pid not in by_worker:
            by_worker[pid] = client
            if len(by_worker) == server.workers:
                break
        else:
            spare.append(client)
    for client in spare:
        client.close()
    if len(by_worker) < server.workers:
        for client in by_worker.values():
            client.close()
        pytest.fail(f"could not reach {server.workers} workers: {list(by_worker)}")
    return list(by_worker.values())


@pytest.fixture
def redis_url() -> str:
    server = require_redis()
    server.flush()
    return server.url(0)


def test_auth_rate_limit_is_shared_by_workers_through_redis(project: Path, redis_url: str) -> None:
    database_url = f"sqlite:///{project / 'ratelimit.db'}"
    migrate(project, database_url)
    settings = {
        "DATABASE_URL": database_url,
        "MIGRATE_ON_STARTUP": "false",
        "RATE_LIMIT_STORAGE": redis_url,
        "AUTH_RATE_LIMIT": "5 per minute",
    }
    with Server(project, settings, workers=2) as server:
        first, second = one_connection_per_worker(server)
        try:
            statuses = []
            for attempt in range(5):
                client = (first, second)[attempt % 2]
                r = client.post(
                    "/auth/token", data={"username": f"nobody{attempt}", "password": "wrong-pw"}
                )
                statuses.append(r.status_code)
            sixth = second.post("/auth/token", data={"username": "x", "password": "wrong-pw"})
            seventh = first.post("/auth/token", data={"username": "y", "password": "wrong-pw"})
        finally:
            first.close()
            second.close()
    print(
        f"\nattempts across both workers: {statuses} then {sixth.status_code}, "
        f"{seventh.status_code} (Retry-After {sixth.headers.get('Retry-After')})"
    )
    assert statuses == [401] * 5
    for blocked in (sixth, seventh):
        assert blocked.status_code == 429, blocked.text
        assert 1 <= int(blocked.headers["Retry-After"]) <= 60
        assert blocked.json()["detail"]


def test_failed_logins_per_username_are_shared_by_workers_through_redis(
    project: Path, redis_url: str
) -> None:
    database_url = f"sqlite:///{project / 'failedlogins.db'}"
    migrate(project, database_url)
    settings = {
        "DATABASE_URL": database_url,
        "MIGRATE_ON_STARTUP": "false",
        "RATE_LIMIT_STORAGE": redis_url,
        "AUTH_RATE_LIMIT": "1000 per minute",
        "FAILED_LOGIN_LIMIT": "3 per minute",
    }
    with Server(project, settings, workers=2) as server:
        first, second = one_connection_per_worker(server)
        try:
            for user in ("alice@example.com", "bob@example.com"):
                r = first.post("/auth/register", json={"email": user, "password": "correct-pw"})
                assert r.status_code == 201, r.text
            failures = [
                (first, second)[i % 2]
                .post("/auth/token", data={"username": "alice@example.com", "password": "bad-pw"})
                .status_code
                for i in range(3)
            ]
            good = {"username": "alice@example.com", "password": "correct-pw"}
            blocked = [first.post("/auth/token", data=good), second.post("/auth/token", data=good)]
            bob = first.post(
                "/auth/token", data={"username": "bob@example.com", "password": "correct-pw"}
            )
        finally:
            first.close()
            second.close()
    assert failures == [401, 401, 401]
    for r in blocked:
        assert r.status_code == 429, r.text
        assert int(r.headers["Retry-After"]) >= 1
    assert bob.status_code == 200 and bob.json()["token_type"] == "bearer", bob.text


def test_in_memory_defaults_leave_room_for_normal_use_in_local(project: Path) -> None:
    database_url = f"sqlite:///{project / 'defaults.db'}"
    settings = {"DATABASE_URL": database_url}  # local, memory://, default limits
    with Server(project, settings) as server:

        def register(i: int) -> int:
            body = {"email": f"user{i}@example.com", "password": "password-1"}
            return httpx.post(f"{server.url}/auth/register", json=body, timeout=30).status_code

        def login(i: int) -> int:
            form = {"username": f"user{i % 40}@example.com", "password": "password-1"}
            return httpx.post(f"{server.url}/auth/token", data=form, timeout=30).status_code

        with ThreadPoolExecutor(4) as pool:
            registered = Counter(pool.map(register, range(40)))
            logged_in = Counter(pool.map(login, range(100)))
    assert registered == Counter({201: 40}), registered
    assert logged_in == Counter({200: 100}), logged_in


# --------------------------------------------------------------------------- 6. production


def test_production_without_secret_key_refuses_to_start(project: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"  # a fresh clone: no .env, so no generated SECRET_KEY
    shutil.copytree(project, clone, ignore=shutil.ignore_patterns(".env", "*.db*", "*.log"))
    result = run(
        clone,
        str(BIN / "uvicorn"),
        "main:app",
        "--port",
        str(free_port()),
        timeout=60,
        ENVIRONMENT="production",
        DATABASE_URL=f"sqlite:///{clone / 'app.db'}",
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = non_info_lines(output)
    assert len(lines) == 1 and "SECRET_KEY" in lines[0], output


UVICORN_ACCESS_LINE = re.compile(r'"[A-Z]+ /\S* HTTP/[\d.]+" \d{3}')


def uvicorn_access_lines(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if UVICORN_ACCESS_LINE.search(line) and '"GET /health HTTP' not in line
    ]


ACCESS_LINE = re.compile(r"^INFO access: (\S+) (\S+) (\d{3}) (\d+(?:\.\d+)?)ms$")


def test_production_settings_docs_cors_and_access_log(project: Path) -> None:
    database_url = f"sqlite:///{project / 'production.db'}"
    migrate(project, database_url)
    settings = {
        "ENVIRONMENT": "production",
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": database_url,
        "DOCS_ENABLED": "false",
        "CORS_ORIGINS": '["https://app.example"]',
        "LOG_LEVEL": "info",
    }
    sent: list[tuple[str, str, int]] = []
    with Server(project, settings) as server, httpx.Client(base_url=server.url) as client:

        def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
            r = client.request(method, path, **kwargs)
            sent.append((method, path, r.status_code))
            return r

        for path in ("/docs", "/redoc", "/openapi.json", "/docs/assets/swagger-ui.css"):
            assert call("GET", path).status_code == 404, path

        preflight = call(
            "OPTIONS",
            "/items",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,authorization",
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        listed = call("GET", "/items", headers={"Origin": "https://app.example"})
        assert listed.headers["access-control-allow-origin"] == "https://app.example"
        exposed = listed.headers.get("access-control-expose-headers", "").lower()
        assert "x-total-count" in exposed, listed.headers
        stranger = call(
            "OPTIONS",
            "/items",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in stranger.headers
        assert stranger.status_code == 400

        created = call("POST", "/items", json={"code": "logged"})
        assert created.status_code == 201
        item = created.json()["id"]
        call("GET", f"/items/{item}")
        call("PATCH", f"/items/{item}", json={"qty": 2})
        call("POST", "/items", json={"code": "logged"})  # 409
        call("POST", "/items", json={"code": 5})  # 422
        call("DELETE", f"/items/{item}")
        call("GET", f"/items/{item}")  # 404
    log = server.log()
    lines = [ACCESS_LINE.match(line) for line in log.splitlines()]
    logged = [(m[1], m[2], int(m[3])) for m in lines if m is not None and m[2] != "/health"]
    print(f"\naccess log lines: {len(logged)} for {len(sent)} requests")
    # A line is written once the response is sent: the next request may log first.
    assert Counter(logged) == Counter(sent), f"access log:\n{log}"
    # One line per request: not uvicorn's own access line as well.
    assert not uvicorn_access_lines(log), f"two access-log lines per request:\n{log}"
    assert {s for _, _, s in sent} >= {200, 201, 204, 400, 404, 409, 422}


# --------------------------------------------------------------------------- 7. deployment


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerignored(name: str, patterns: list[str]) -> bool:
    import fnmatch

    return any(fnmatch.fnmatch(name, p.strip("/")) for p in patterns)


def test_dockerfile_shape(project: Path) -> None:
    steps = dockerfile_instructions((project / "Dockerfile").read_text())
    kinds = [k for k, _ in steps]
    base = next(v for k, v in steps if k == "FROM")
    assert "slim" in base or "alpine" in base, base
    users = [v for k, v in steps if k == "USER"]
    assert users and users[-1] not in ("root", "0"), users
    copy_requirements = next(
        i for i, (k, v) in enumerate(steps) if k == "COPY" and "requirements.txt" in v
    )
    install = next(i for i, (k, v) in enumerate(steps) if k == "RUN" and "-r requirements.txt" in v)
    copy_code = next(
        i for i, (k, v) in enumerate(steps) if k == "COPY" and v.split()[-2:][0] == "."
    )
    assert copy_requirements < install < copy_code, steps
    assert kinds.index("USER") > install  # dependencies installed as root, run as app
    assert "CMD" in kinds
    ignored = (project / ".dockerignore").read_text().split()
    for secret in (".env", "app.db", ".venv"):
        assert dockerignored(secret, ignored), f"{secret} would be baked into the image"


def _dockerfile_env(steps: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for kind, value in steps:
        if kind == "ENV":
            for pair in shlex.split(value):
                key, _, val = pair.partition("=")
                env[key] = val
    return env


def test_dockerfile_install_and_start_commands_work(project: Path, tmp_path: Path) -> None:
    steps = dockerfile_instructions((project / "Dockerfile").read_text())
    install = next(v for k, v in steps if k == "RUN" and "-r requirements.txt" in v)
    cmd = json.loads(next(v for k, v in steps if k == "CMD"))
    healthcheck = next(v for k, v in steps if k == "HEALTHCHECK")

    # A fresh venv that sees this venv's packages (no downloads), like the image's Python.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "test_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    venv_env = server_env()
    venv_env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    venv_env["VIRTUAL_ENV"] = str(venv)
    venv_env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    # The build: `COPY requirements.txt .`, the RUN line, then `COPY . .` minus .dockerignore.
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy2(project / "requirements.txt", app / "requirements.txt")
    installed = subprocess.run(
        ["sh", "-c", install], cwd=app, env=venv_env, capture_output=True, text=True, timeout=600
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    # Requirements already satisfied through the .pth get no console scripts of their own:
    # give the venv this venv's (alembic, uvicorn, ...), pointed at the new interpreter.
    for script in BIN.iterdir():
        target = venv / "bin" / script.name
        if target.exists() or not script.is_file():
            continue
        with script.open("rb") as handle:
            first = handle.readline()
        if first.startswith(b"#!") and b"python" in first:
            body = script.read_bytes().split(b"\n", 1)[1]
            target.write_bytes(b"#!" + str(venv / "bin" / "python").encode() + b"\n" + body)
            target.chmod(0o755)
    ignored = (project / ".dockerignore").read_text().split()
    for entry in project.iterdir():
        if dockerignored(entry.name, ignored) or entry.name.endswith(".log"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, app / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(entry, app / entry.name)
    assert not (app / ".env").exists()

    if postgres.skip_reason() is None:
        database_url = postgres.postgres_server().create_database("docker")
    else:
        database_url = f"sqlite:///{tmp_path / 'docker.db'}"
    port = free_port()
    env = dict(venv_env)
    env.update(_dockerfile_env(steps))
    assert env["ENVIRONMENT"] == "production" and env["MIGRATE_ON_STARTUP"] == "false"
    env.update(SECRET_KEY=STRONG_KEY, DATABASE_URL=database_url, WEB_CONCURRENCY="2")
    command = [
        part.replace("--host 0.0.0.0", "--host 127.0.0.1").replace("--port 8000", f"--port {port}")
        for part in cmd
    ]
    assert f"--port {port}" in command[-1] and "--workers $WEB_CONCURRENCY" in command[-1]
    server = Server(app, {}, workers=2, command=command, port=port, env=env)
    with server:
        ready = httpx.get(f"{server.url}/health/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        probe = healthcheck.split(" CMD ", 1)[1].replace(":8000/", f":{port}/")
        checked = subprocess.run(
            ["sh", "-c", probe], cwd=app, env=env, capture_output=True, text=True, timeout=30
        )
        assert checked.returncode == 0, checked.stderr
        created = httpx.post(f"{server.url}/items", json={"code": "docker"}, timeout=10)
        assert created.status_code == 201, created.text
    log = server.log()
    assert "Traceback" not in log, log
    assert log.count("Application startup complete") == 2, log
    assert [m[2] for m in map(ACCESS_LINE.match, log.splitlines()) if m].count("/items") == 1
    assert not uvicorn_access_lines(log), f"two access-log lines per request:\n{log}"


def test_compose_file_matches_the_settings(project: Path) -> None:
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    services = compose["services"]
    databases = [
        name for name, s in services.items() if str(s.get("image", "")).startswith("postgres")
    ]
    assert databases, services
    db = databases[0]
    assert services[db]["healthcheck"]["test"], services[db]
    api = next(name for name, s in services.items() if "build" in s)
    assert services[api]["depends_on"][db]["condition"] == "service_healthy"
    environment = services[api]["environment"]
    names = (
        set(environment)
        if isinstance(environment, dict)
        else {entry.split("=", 1)[0] for entry in environment}
    )
    fields = run(
        project,
        sys.executable,
        "-c",
        "import json, config; print(json.dumps(sorted(config.Settings.model_fields)))",
        DATABASE_URL="sqlite://",
    )
    assert fields.returncode == 0, fields.stderr
    known = {name.upper() for name in json.loads(fields.stdout)} | {"WEB_CONCURRENCY"}
    assert names <= known, f"not settings: {sorted(names - known)}"
    assert environment["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert environment["ENVIRONMENT"] == "production"
