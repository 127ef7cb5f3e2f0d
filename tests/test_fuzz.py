"""Fuzz: hostile bodies, query strings, path ids and tokens against the generated apps.

The apps of the examples (every file of schema/examples, and the embedded default) and of a few
random valid schemas (the hypothesis strategy of test_property.py, derandomized) are rendered
once per module and each started as a real server (`uvicorn main:app` on 127.0.0.1, its own
SQLite file, an admin from ADMIN_EMAIL/ADMIN_PASSWORD). Every operation of the app's OpenAPI
document then gets, as anonymous, user and admin where it matters:

- bodies: NaN, Infinity, 1e999, lone surrogates (raw `\\ud800` escapes), NUL, huge strings
  and ints, deeply nested arrays and objects, wrong types for every field, extreme datetimes
  and dates, invalid JSON, empty and non-object bodies, thousands of keys, a body over 1 MiB;
- query strings: thousands of parameters and sort keys, unknown and `__`-operator parameters,
  every filter with hostile values, `limit`/`offset` extremes;
- path ids: 0, -1, 2**63, 2**64, "abc", "1e3", long digit strings;
- tokens: garbage, alg=none, a wrong key, and tokens signed with the project's SECRET_KEY
  (read from its .env) whose `sub` or `exp` is out of range, of the wrong type or missing.

A test fails on any 5xx (the database is a local SQLite file, always reachable, so a 503 is
a failure too), any request without an answer within BB_FUZZ_REQUEST_TIMEOUT seconds (a
hang), a dropped connection, a response body that is not strict JSON (valid UTF-8, no NaN),
a traceback or ERROR line in the server's log, and an error that echoes more than 1 KiB of an
input value (SPEC 9.4). The failures are reported grouped by cause, with their routes and
inputs.

Bounds: one request at a time, only to 127.0.0.1; each kind of field, filter, path id and
token gets every hostile value once per app and a few on the other routes (the same
generated code handles them); the module has a time budget (BB_FUZZ_SECONDS, shared out
between the apps still to run, then between an app's phases), and an app stops after
MAX_HANGS unanswered requests. A phase cut short by the budget is reported as a warning, not
a failure. BB_FUZZ_RANDOM_SCHEMAS sets how many random schemas are drawn
(BB_HYPOTHESIS_EXPLORE=1 draws fresh ones).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

import schema
from schema import naming
from tests.conftest import REPO, run_copier, snapshot_template, tool, write_schema
from tests.projects import PROJECT_VARS, free_port
from tests.test_property import EXPLORE, valid_schemas

pytestmark = pytest.mark.slow

EXAMPLES = sorted(
    path for path in (REPO / "schema" / "examples").iterdir() if path.suffix in (".json", ".yaml")
)
RANDOM_SCHEMAS = int(os.environ.get("BB_FUZZ_RANDOM_SCHEMAS", "3"))
APPS = [
    *(path.stem for path in EXAMPLES),
    "default",
    *(f"random{i}" for i in range(RANDOM_SCHEMAS)),
]
REQUEST_TIMEOUT = float(os.environ.get("BB_FUZZ_REQUEST_TIMEOUT", "10"))
# Seconds of fuzzing for the whole module (renders and server starts not counted), shared
# out between the apps still to run: what one app leaves goes to the next.
FUZZ_SECONDS = float(os.environ.get("BB_FUZZ_SECONDS", "90"))
MAX_HANGS = 3  # per app: after that many unanswered requests the app's run stops
ADMIN_USERNAME = "admin@example.com"
ADMIN_PASSWORD = "fuzz-admin-pass-1"
USER_PASSWORD = "fuzz-user-pass-1"
MIB = 1024 * 1024


# --------------------------------------------------------------------------- hostile values


@dataclass(frozen=True)
class Raw:
    """JSON text sent as is (NaN, 1e999, a lone surrogate escape, 10**400, deep nesting)."""

    text: str
    label: str = ""


def encode(value: Any) -> str:
    """JSON text of `value`, with Raw pieces spliced in verbatim."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value)


def label_of(value: Any) -> str:
    if isinstance(value, Raw):
        return value.label or value.text[:40]
    text = encode(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} chars)"


DEEP = 10_000
NON_FINITE = [Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e999"), Raw("-1e999")]
SURROGATES = [Raw('"\\ud800"'), Raw('"\\udfff"'), Raw('"a\\udc00b"'), Raw('"\\udbff\\ud800"')]
NULS = [Raw('"\\u0000"'), Raw('"a\\u0000b"')]
SHARP = [*NON_FINITE, *SURROGATES[:2], NULS[1]]  # sent everywhere, also as user
HUGE_INTS = [
    2**63 - 1,
    2**63,
    -(2**63),
    -(2**63) - 1,
    2**64,
    -(2**70),
    Raw("1" + "0" * 400, "10**400"),
    Raw("-1" + "0" * 400, "-10**400"),
]
EXTREME_DATETIMES = [
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999-23:59",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00",
    "10000-01-01",
    "10000-01-01T00:00:00",
    "0000-01-01T00:00:00",
    "2024-02-30T00:00:00",
    "2024-01-01T24:00:00",
    "2024-01-01T00:00:00+24:00",
    253402300800,  # year 10000 as a timestamp
    -62135596801,  # before year 1
    1e20,
]
EXTREME_DATES = [
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "0000-01-01",
    "2024-02-30",
    "9999-12-31T23:59:59-01:00",
    253402300800,
    -62135596801,
]
STRINGS = [
    "",
    " ",
    "\u202e\u200b",
    "\U0001f4a5" * 50,
    "'; DROP TABLE x; --",
    "%s%n{0}{{7*7}}",
    "\r\n\t\x01\x1f\x7f",
    "x" * 10_000,
]
FLOATS = [1e308, -1e308, 5e-324, -0.0, 2**64, Raw("1" + "0" * 400, "10**400")]
WRONG_TYPES = [0, 1.5, True, None, [], {"a": 1}, "abc"]
HUGE_STRING = "x" * (2 * MIB)
SAMPLE_BODIES = {
    "invalid JSON",
    "array",
    "NaN",
    "1e999",
    "lone surrogate",
    "surrogate key",
    "5000 keys",
    f"{DEEP} nested arrays",
    "body over 1 MiB",
}


def json_type(prop: dict[str, Any]) -> tuple[str, str | None, bool]:
    """(type, format, nullable) of a property schema (anyOf with null unwrapped)."""
    nullable = False
    options = prop.get("anyOf") or prop.get("oneOf") or [prop]
    concrete = []
    for option in options:
        if option.get("type") == "null":
            nullable = True
        else:
            concrete.append(option)
    first = concrete[0] if concrete else {}
    kind = first.get("type", "string")
    if "enum" in first:
        kind = "enum"
    return kind, first.get("format"), nullable


def values_for(prop: dict[str, Any], name: str) -> list[Any]:
    """Hostile values for one body field of this schema."""
    kind, fmt, _nullable = json_type(prop)
    typed: list[Any]
    if fmt == "date-time":
        typed = EXTREME_DATETIMES
    elif fmt == "date":
        typed = EXTREME_DATES
    elif kind == "integer":
        typed = [*HUGE_INTS, 1e20, 1.0]
    elif kind == "number":
        typed = FLOATS
    elif kind in ("string", "enum"):
        typed = [*STRINGS, *SURROGATES[2:], NULS[0], Raw(encode("A" * 300_000), "300 KB string")]
    else:
        typed = ["yes", 2, "true"]
    return [*SHARP, *typed, *WRONG_TYPES]


# Query values, already percent-encoded.
def q(text: str) -> str:
    return urllib.parse.quote(text, safe="")


Q_SHARP = ["NaN", "Infinity", "-Infinity", "1e999", "%ED%A0%80", "a%00b", "%FF"]
Q_GENERIC = [*Q_SHARP, "%ED%BF%BF", "%00", "", "x" * 10_000, "abc", "1.5", "null", "[]"]
Q_INTS = [str(2**63), str(-(2**63) - 1), str(2**64), str(-(2**70)), "1" + "0" * 400, "1e3"]
Q_DATETIMES = [q(str(v)) for v in EXTREME_DATETIMES] + ["9999-12-31T23:59:59 01:00"]
Q_DATES = [q(str(v)) for v in EXTREME_DATES]
Q_FLOATS = ["1e308", "-1e308", "5e-324", "1" + "0" * 400]


def query_values(kind: str, fmt: str | None) -> tuple[list[str], list[str]]:
    """(values for equality, values for range operators) of a filter of this type."""
    if fmt == "date-time":
        typed = Q_DATETIMES
    elif fmt == "date":
        typed = Q_DATES
    elif kind == "integer":
        typed = Q_INTS
    elif kind == "number":
        typed = Q_FLOATS + Q_INTS[:3]
    elif kind == "boolean":
        typed = ["maybe", "2", "TRUE "]
    else:
        typed = []
    return [*Q_GENERIC, *typed], [Q_SHARP[0], Q_SHARP[4], *typed[:4]]


# --------------------------------------------------------------------------- the apps


def draw_random_schemas(count: int) -> list[dict[str, Any]]:
    """`count` valid schemas from test_property's strategy, picked from 50 draws."""
    if count <= 0:
        return []
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=50,
        derandomize=not EXPLORE,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=valid_schemas(clean=False))
    def collect(data: dict[str, Any]) -> None:
        drawn.append(data)

    collect()
    # The strategy may lag behind the validator: only schemas `copier copy` accepts.
    drawn = [data for data in drawn if not schema.check(data)]

    def richness(data: dict[str, Any]) -> tuple[int, int]:
        models = data["models"]
        fields = sum(
            len(m.get("fields", {})) + len(m.get("relations", {})) for m in models.values()
        )
        routes = sum(len(a) for a in (data.get("apis") or {}).values()) if "apis" in data else 99
        return (min(routes, 12) + fields, len(json.dumps(data)))

    def mode(data: dict[str, Any]) -> str:
        if (data.get("auth") or {}).get("user_model"):
            return "custom user model"
        return "declared User" if "User" in data["models"] else "built-in User"

    def names(data: dict[str, Any]) -> set[str]:
        return set(data["models"]) - {"User", "Member"}

    # The richest of each kind of user model, then the richest others; no two share a model
    # name (the strategy's draws come in families of near-copies).
    picked: list[dict[str, Any]] = []
    used: set[str] = set()
    for wanted in ["custom user model", "declared User", "built-in User", *[None] * count]:
        if len(picked) >= count:
            break
        candidates = [
            d
            for d in drawn
            if (wanted is None or mode(d) == wanted) and not names(d) & used and d not in picked
        ]
        if candidates:
            chosen = max(candidates, key=richness)
            picked.append(chosen)
            used |= names(chosen)
    for index, data in enumerate(picked):
        data["project_name"] = f"Fuzz{index}"
    return picked


@dataclass
class Project:
    name: str
    path: Path
    schema: dict[str, Any]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("fuzz-template") / "template")


@pytest.fixture(scope="module")
def random_schemas() -> list[dict[str, Any]]:
    return draw_random_schemas(RANDOM_SCHEMAS)


def render(name: str, template: Path, random_schemas: list[dict[str, Any]], base: Path) -> Project:
    """The app `name` rendered into `base` (each app is rendered once: one test per app)."""
    sources: dict[str, Path | None] = {path.stem: path for path in EXAMPLES}
    sources["default"] = None
    if name in sources:
        data_file = sources[name]
    else:
        data_file = write_schema(random_schemas[int(name.removeprefix("random"))], base)
    path = base / name
    result = run_copier(template, data_file, path)
    assert result.returncode == 0, f"{name}: {result.stderr[-3000:]}"
    return Project(name, path, yaml.safe_load((path / "schema.yaml").read_text()))


def server_env(project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARS}
    env.update(
        DATABASE_URL=f"sqlite:///{project / 'fuzz.db'}",
        ADMIN_EMAIL=ADMIN_USERNAME,
        ADMIN_PASSWORD=ADMIN_PASSWORD,
        LOG_LEVEL="warning",
        # The fuzzer logs in and registers far more often than a person.
        AUTH_RATE_LIMIT="1000000 per minute",
        FAILED_LOGIN_LIMIT="1000000 per minute",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Server:
    project: Project
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(project: Project, timeout: float = 60) -> Server:
    port = free_port()
    log_path = project.path / f"server-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [tool("uvicorn"), "main:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=project.path,
            env=server_env(project.path),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(project, port, process, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{project.name}: server exited:\n{server.log()[-4000:]}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise AssertionError(f"{project.name}: server did not start:\n{server.log()[-4000:]}")
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture(params=APPS)
def server(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> Iterator[Server]:
    name = request.param
    schemas = request.getfixturevalue("random_schemas") if name.startswith("random") else []
    if name.startswith("random") and int(name.removeprefix("random")) >= len(schemas):
        pytest.skip(f"{name}: not drawn")
    running = start_server(render(name, template, schemas, tmp_path))
    try:
        yield running
    finally:
        stop_server(running)


# --------------------------------------------------------------------------- the fuzzer


@dataclass
class Op:
    method: str
    path: str
    op_id: str
    query: list[dict[str, Any]]
    body: dict[str, Any] | None
    form: bool
    secured: bool

    @property
    def has_id(self) -> bool:
        return "{" in self.path


@dataclass
class Failure:
    method: str
    route: str
    kind: str
    who: str
    status: str
    excerpt: str

    def key(self) -> tuple[str, ...]:
        return (self.method, self.route, self.kind, self.status)

    def cause(self) -> str:
        """What went wrong, with the details that vary per input blanked out."""
        text = re.sub(r"position \d+(-\d+)?", "position N", self.excerpt)
        text = re.sub(r"echoes \d+ characters", "echoes more than 1 KiB", text)
        text = re.sub(r"'\\ud[89a-f][0-9a-f]{2}'", "'<surrogate>'", text)
        return f"{self.status}: {text}"

    def __str__(self) -> str:
        return f"{self.method} {self.route} [{self.kind}] as {self.who}"


def report(failures: list[Failure], repeats: dict[tuple[str, ...], int]) -> str:
    """The failures grouped by cause: each cause, its routes and a sample of its inputs."""
    causes: dict[str, list[Failure]] = {}
    for failure in failures:
        causes.setdefault(failure.cause(), []).append(failure)
    lines = []
    for cause, group in sorted(causes.items(), key=lambda item: -len(item[1])):
        routes = sorted({f"{f.method} {f.route}" for f in group})
        kinds = sorted({f"{f.kind} as {f.who}" for f in group})
        cases = sum(repeats[f.key()] for f in group)
        lines.append(f"* {cause}")
        lines.append(f"    {cases} requests; routes: {', '.join(routes)}")
        shown = "; ".join(kinds[:15]) + (f"; ... ({len(kinds)} kinds)" if len(kinds) > 15 else "")
        lines.append(f"    inputs: {shown}")
    return "\n".join(lines)


class BudgetExhausted(Exception):
    pass


def strict_json(data: bytes) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


ECHO_LIMIT = 1024  # SPEC 9.4: no error response echoes more than 1 KiB of any input value


def longest_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return max((longest_string(v) for v in items), key=len, default="")


LAST_LINE = re.compile(r"^(\w[\w.]*(Error|Exception|Exit)\b|(ERROR|CRITICAL)\b)")
ERROR_LINE = re.compile(r"^(ERROR|CRITICAL)\b.*$|^Traceback", re.MULTILINE)


@dataclass
class Fuzzer:
    server: Server
    seconds: float
    spec: dict[str, Any] = field(default_factory=dict)
    ops: list[Op] = field(default_factory=list)
    failures: dict[tuple[str, ...], Failure] = field(default_factory=dict)
    repeats: dict[tuple[str, ...], int] = field(default_factory=dict)
    sent: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    cut: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    hangs: int = 0
    tokens: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, dict[str, int]] = field(default_factory=dict)
    counter: int = 0
    seen: set[str] = field(default_factory=set)
    user_id: int = 0
    log_offset: int = 0
    deadline: float = 0.0

    def __post_init__(self) -> None:
        self.client = httpx.Client(
            base_url=self.server.url,
            timeout=httpx.Timeout(REQUEST_TIMEOUT, connect=5),
            # A fresh connection per request: after a 500 uvicorn closes the connection.
            limits=httpx.Limits(max_keepalive_connections=0),
        )
        self.deadline = time.monotonic() + self.seconds
        self.spec = self.client.get("/openapi.json").json()
        self.ops = self._operations()
        self.log_offset = self.server.log_path.stat().st_size
        schema_data = self.server.project.schema
        auth = schema_data.get("auth") or {}
        self.user_model = auth.get("user_model", "User")
        self.username_field = auth.get("username_field", "email")
        self.password_field = auth.get("password_field", "password")
        self.user_snake = naming.snake_case(self.user_model)

    # -- the OpenAPI document

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.spec["components"]["schemas"][name]
        return schema

    def _operations(self) -> list[Op]:
        ops = []
        for path, methods in self.spec["paths"].items():
            if path.startswith("/health"):
                continue
            for method, operation in methods.items():
                body = None
                form = False
                content = (operation.get("requestBody") or {}).get("content", {})
                if "application/json" in content:
                    body = self.resolve(content["application/json"]["schema"])
                elif "application/x-www-form-urlencoded" in content:
                    body = self.resolve(content["application/x-www-form-urlencoded"]["schema"])
                    form = True
                query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
                ops.append(
                    Op(
                        method.upper(),
                        path,
                        operation["operationId"],
                        query,
                        body,
                        form,
                        bool(operation.get("security")),
                    )
                )
        return ops

    def op(self, op_id: str) -> Op | None:
        return next((o for o in self.ops if o.op_id == op_id), None)

    # -- sending and checking

    def check_budget(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExhausted
        if self.hangs >= MAX_HANGS:
            raise BudgetExhausted

    def fail(self, failure: Failure) -> None:
        key = failure.key()
        self.repeats[key] = self.repeats.get(key, 0) + 1
        self.failures.setdefault(key, failure)

    def new_log(self, wait: bool) -> str:
        """What the server logged since the last call. After a 5xx (`wait`), uvicorn may log
        the traceback just after answering: wait (at most a second) until the new text ends
        with a complete exception or ERROR line."""
        deadline = time.monotonic() + (1.0 if wait else 0)
        text = ""
        size = self.log_offset
        while True:
            size = self.server.log_path.stat().st_size
            if size > self.log_offset:
                with self.server.log_path.open("rb") as log:
                    log.seek(self.log_offset)
                    text = log.read(size - self.log_offset).decode(errors="replace")
                last = text.rstrip("\n").rsplit("\n", 1)[-1]
                if not wait or (text.endswith("\n") and LAST_LINE.match(last)):
                    break
            if time.monotonic() >= deadline:
                break
            time.sleep(0.005)
        self.log_offset = max(size, self.log_offset)
        return text

    def send(
        self,
        method: str,
        url: str,
        *,
        kind: str,
        route: str,
        who: str = "anonymous",
        content: bytes | str | None = None,
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response | None:
        """One request; any 5xx, hang, dropped connection, non-JSON body or logged error
        becomes a failure. Returns the response (None without one)."""
        self.check_budget()
        all_headers = dict(headers or {})
        token = self.tokens.get(who) if who in ("user", "admin") else None
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if content is not None and content_type:
            all_headers["Content-Type"] = content_type
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogatepass")
        self.sent += 1
        response = None
        status = ""
        excerpt = ""
        # Each request has its own connection (no stale keep-alive), so a transport error is
        # the server's doing: no retry.
        try:
            response = self.client.request(method, url, content=content, headers=all_headers)
        except httpx.TimeoutException:
            self.hangs += 1
            status, excerpt = "no answer", f"no answer within {REQUEST_TIMEOUT:g}s"
        except httpx.TransportError as error:
            status, excerpt = "connection dropped", repr(error)[:200]
        log = self.new_log(wait=response is None or response.status_code >= 500)
        logged = [m.group(0)[:200] for m in ERROR_LINE.finditer(log)]
        last_exception = next(
            (
                line
                for line in reversed(log.splitlines())
                if re.match(r"^\w[\w.]*(Error|Exception)", line)
            ),
            "",
        )
        if response is None:
            if self.server.process.poll() is not None:
                excerpt += f"; server exited: {log[-500:]}"
            self.fail(Failure(method, route, kind, who, status, excerpt))
            return None
        self.statuses[str(response.status_code)] = (
            self.statuses.get(str(response.status_code), 0) + 1
        )
        body = response.content
        not_json = echo = ""
        if body:
            try:
                parsed = strict_json(body)
            except ValueError as error:
                not_json = f"body not JSON ({str(error)[:60]}): {body[:100]!r}"
            else:
                longest = longest_string(parsed) if response.status_code >= 400 else ""
                sent = url + (content or b"").decode(errors="replace")
                if len(longest) > ECHO_LIMIT and longest[:64] in sent:
                    echo = f"an error echoes {len(longest)} characters of the input"
        if response.status_code >= 500:
            detail = body[:100].decode(errors="replace")
            if last_exception:
                detail += f" | log: {last_exception[:240]}"
            elif logged:
                detail += f" | log: {logged[-1]}"
            self.fail(Failure(method, route, kind, who, str(response.status_code), detail))
        elif logged:
            detail = last_exception or logged[-1]
            status = f"{response.status_code} with an error logged"
            self.fail(Failure(method, route, kind, who, status, detail))
        elif not_json:
            self.fail(Failure(method, route, kind, who, str(response.status_code), not_json))
        if echo:
            self.fail(Failure(method, route, kind, who, str(response.status_code), echo))
        return response

    def request_json(
        self, method: str, url: str, who: str, body: Any, *, kind: str, route: str
    ) -> httpx.Response | None:
        return self.send(method, url, kind=kind, route=route, who=who, content=encode(body))

    # -- valid values and base records

    def valid_value(self, prop: dict[str, Any], name: str) -> Any:
        prop = self.resolve(prop)
        options = prop.get("anyOf") or [prop]
        concrete = [self.resolve(o) for o in options if o.get("type") != "null"]
        if not concrete:
            return None
        schema = concrete[0]
        self.counter += 1
        n = self.counter
        kind = schema.get("type", "string")
        if "enum" in schema:
            return schema["enum"][n % len(schema["enum"])]
        if name.endswith("_id") and kind == "integer":
            return 1
        if kind == "integer":
            low = max(int(schema.get("minimum", -1000)), -(10**6))
            high = min(int(schema.get("maximum", 10**6)), low + 10**6)
            return low + n % (max(high, low) - low + 1)
        if kind == "number":
            low = float(schema.get("minimum", schema.get("exclusiveMinimum", -1000.0)))
            high = float(schema.get("maximum", schema.get("exclusiveMaximum", low + 2000.0)))
            high = min(high, low + 2000.0)
            return low + (high - low) * ((n % 7) + 1) / 9
        if kind == "boolean":
            return n % 2 == 0
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2024-05-06T07:08:09Z"
        if fmt == "date":
            return "2024-05-06"
        if fmt == "email":
            return f"fz{n}@example.com"
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", 60))
        text = f"fz{n}"
        if len(text) < low:
            text += "x" * (low - len(text))
        return text[-high:] if len(text) > high else text

    def base_body(self, schema: dict[str, Any], owner_is_caller: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {}
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            _kind, _fmt, nullable = json_type(self.resolve(prop))
            if name.endswith("_id") and nullable and (owner_is_caller or name not in required):
                continue
            if name not in required and name.endswith("_id"):
                continue
            body[name] = self.valid_value(prop, name)
        return body

    def username_value(self) -> str:
        register = self.op("register")
        schema = register.body if register and register.body else {}
        prop = schema.get("properties", {}).get(self.username_field, {"type": "string"})
        return str(self.valid_value(prop, self.username_field))

    def login(self, username: str, password: str) -> str | None:
        response = self.send(
            "POST",
            "/auth/token",
            kind="login (setup)",
            route="/auth/token",
            content=urllib.parse.urlencode({"username": username, "password": password}),
            content_type="application/x-www-form-urlencoded",
        )
        if response is not None and response.status_code == 200:
            return response.json()["access_token"]
        return None

    def new_user(self) -> tuple[str, int] | None:
        """Register (or, with registration off, have the admin create) a user; its token."""
        register = self.op("register")
        create = self.op(f"create_{self.user_snake}")
        for op, who in ((register, "anonymous"), (create, "admin")):
            if op is None or op.body is None:
                continue
            body = self.base_body(op.body)
            username = self.username_value()
            body[self.username_field] = username
            body[self.password_field] = self.password_value(op.body)
            body.pop("role", None)
            response = self.request_json(
                "POST", op.path, who, body, kind="create user (setup)", route=op.path
            )
            if response is not None and response.status_code == 201:
                token = self.login(username, body[self.password_field])
                if token:
                    return token, response.json()["id"]
        return None

    def password_value(self, schema: dict[str, Any]) -> str:
        prop = self.resolve(schema.get("properties", {}).get(self.password_field, {}))
        options = prop.get("anyOf") or [prop]
        high = min(int(o.get("maxLength", 64)) for o in options if o.get("type") != "null")
        return USER_PASSWORD[:high]

    def refresh_user(self) -> None:
        """A working user token (a fuzzed PATCH may have changed the user's password)."""
        token = self.tokens.get("user")
        if token:
            me = self.send("GET", "/auth/me", kind="who am I (setup)", route="/auth/me", who="user")
            if me is not None and me.status_code == 200:
                return
        made = self.new_user()
        self.tokens["user"], self.user_id = made if made else (None, 0)

    def setup(self) -> None:
        self.tokens = {"anonymous": None}
        self.tokens["admin"] = self.login(ADMIN_USERNAME, ADMIN_PASSWORD)
        assert self.tokens["admin"], f"admin login failed:\n{self.server.log()[-3000:]}"
        self.refresh_user()
        creates = [
            o
            for o in self.ops
            if o.method == "POST" and not o.has_id and not o.path.startswith("/auth")
        ]
        pending = list(creates)
        for _round in range(len(creates) + 1):
            for op in list(pending):
                body = self.base_body(op.body or {})
                if op.op_id == f"create_{self.user_snake}":
                    body[self.password_field] = self.password_value(op.body or {})
                    body.pop("role", None)
                response = self.request_json(
                    "POST", op.path, "admin", body, kind="base record (setup)", route=op.path
                )
                if response is not None and response.status_code == 201:
                    self.ids.setdefault(op.path, {})["admin"] = response.json()["id"]
                    pending.remove(op)
        for op in creates:
            if self.tokens.get("user") and op.op_id != f"create_{self.user_snake}":
                body = self.base_body(op.body or {}, owner_is_caller=True)
                response = self.request_json(
                    "POST", op.path, "user", body, kind="base record (setup)", route=op.path
                )
                if response is not None and response.status_code == 201:
                    self.ids.setdefault(op.path, {})["user"] = response.json()["id"]

    def record_id(self, op: Op, who: str) -> int:
        """The id of a base record for `op`'s path: the caller's own where there is one."""
        user_ops = {f"{verb}_{self.user_snake}" for verb in ("read", "update", "delete")}
        if who == "user" and op.op_id in user_ops:
            return self.user_id
        ids = self.ids.get(op.path.split("/{")[0], {})
        return ids.get(who, ids.get("admin", 1))

    def url_for(self, op: Op, record: int | str) -> str:
        return re.sub(r"\{[^}]+\}", str(record), op.path)

    # -- the attacks

    def fuzz_tokens(self) -> None:
        key = self.server.project.path.joinpath(".env").read_text()
        secret = re.search(r"^SECRET_KEY=(.*)$", key, re.MULTILINE)
        assert secret, "no SECRET_KEY in the generated .env"
        secret_key = secret.group(1).strip()
        far = 2**62

        def signed(payload: str, key: str = secret_key, alg: str = "HS256") -> str:
            return jwt.api_jws.encode(payload.encode("utf-8", "surrogatepass"), key, algorithm=alg)

        def unsigned(payload: str) -> str:
            header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
            body = jwt.utils.base64url_encode(payload.encode()).decode()
            return f"{header}.{body}."

        # Minted tokens carry the claims of a real one (today `sub`, `exp` and `pwd`, a stamp of
        # the password hash), so each reaches the check of the claim it varies.
        real = jwt.decode(
            self.tokens.get("user") or self.tokens["admin"] or "",
            options={"verify_signature": False},
        )

        def claims(changes: dict[str, str | None] | None = None) -> str:
            """The real token's claims as JSON text, `exp` far ahead, with raw JSON changes
            (None removes a claim)."""
            raw = {name: json.dumps(value) for name, value in real.items()}
            raw["exp"] = str(far)
            for name, value in (changes or {}).items():
                if value is None:
                    raw.pop(name, None)
                else:
                    raw[name] = value
            return "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in raw.items()) + "}"

        valid = claims()
        subs = {
            "sub 99999999999999999999": '"99999999999999999999"',
            "sub 2**63": f'"{2**63}"',
            "sub -2**63-1": f'"{-(2**63) - 1}"',
            "sub -1": '"-1"',
            "sub 0": '"0"',
            "sub abc": '"abc"',
            "sub 1e3": '"1e3"',
            "sub NUL": '"1\\u0000"',
            "sub surrogate": '"\\ud800"',
            "sub fullwidth digit": json.dumps("\uff11"),
            "sub 1.5": "1.5",
            "sub []": "[]",
            "sub {}": "{}",
            "sub null": "null",
            "sub true": "true",
            "sub int 10**400": "1" + "0" * 400,
            "sub NaN": "NaN",
            "sub huge string": json.dumps("9" * 100_000),
        }
        tokens: dict[str, str] = {
            "garbage": "garbage",
            "three dots": "a.b.c",
            "empty segments": "..",
            "huge garbage (12 KB)": "A" * 12_000,
            "alg none": unsigned(valid),
            "wrong key": signed(valid, "a wrong key that is long enough to pass 1234"),
            "HS512 with the real key": signed(valid, secret_key, "HS512"),
            "payload not JSON": signed("not json"),
            "payload a list": signed("[1]"),
            "payload NaN": signed("NaN"),
        }
        for label, sub in subs.items():
            tokens[label] = signed(claims({"sub": sub}))
        tokens["sub missing"] = signed(claims({"sub": None}))
        for label, exp in {
            "exp 1 (past)": "1",
            "exp 2**64": str(2**64),
            "exp 10**400": "1" + "0" * 400,
            "exp 1e999": "1e999",
            "exp NaN": "NaN",
            "exp -1e999": "-1e999",
            "exp string": '"tomorrow"',
            "exp null": "null",
            "exp []": "[]",
        }.items():
            tokens[label] = signed(claims({"exp": exp}))
        tokens["exp missing"] = signed(claims({"exp": None}))
        tokens["nbf 1e999"] = signed(claims({"nbf": "1e999"}))
        tokens["iat NaN"] = signed(claims({"iat": "NaN"}))
        tokens["huge valid token (200 KB claim)"] = signed(
            claims({"pad": json.dumps("p" * 200_000)})
        )
        for name in sorted(set(real) - {"sub", "exp"}):
            for label, value in {
                "NaN": "NaN",
                "1.5": "1.5",
                "[]": "[]",
                "null": "null",
                "surrogate": '"\\ud800"',
                "non-ASCII": json.dumps("\u00e9t\u00e9"),
                "100 KB": json.dumps("s" * 100_000),
                "missing": None,
            }.items():
                tokens[f"{name} {label}"] = signed(claims({name: value}))
        # The token is read by one dependency for every route: every token goes to /auth/me
        # and to the first secured GET and POST, the sharpest to every operation.
        # /auth/me first, with every token: if the time budget cuts the phase short, the
        # shared dependency has met them all.
        targets = sorted(
            (o for o in self.ops if o.secured or o.path == "/auth/me"),
            key=lambda o: o.path != "/auth/me",
        )
        every = {
            o.op_id
            for o in targets
            if o.path == "/auth/me"
            or (o.method in ("GET", "POST") and self.first("token", o.method))
        }
        sharp = {"sub 99999999999999999999", "sub abc", "alg none", "exp 1e999"}
        for op in targets:
            for label, token in tokens.items():
                if op.op_id not in every and label not in sharp:
                    continue
                url = self.url_for(op, self.record_id(op, "admin")) if op.has_id else op.path
                if op.method == "DELETE":
                    url = self.url_for(op, 999_999)
                body: str | None = None
                if op.body is not None and not op.form:
                    body = encode(self.base_body(op.body) if op.method == "POST" else {})
                self.send(
                    op.method,
                    url,
                    kind=f"token: {label}",
                    route=op.path,
                    who="hostile",
                    content=body,
                    headers={"Authorization": f"Bearer {token}"},
                )

    def fuzz_queries(self) -> None:
        for op in self.ops:
            if op.method == "GET" and not op.has_id and op.query:
                self.fuzz_list(op)

    def fuzz_list(self, op: Op) -> None:
        who = "admin"
        params = {p["name"]: self.resolve(p["schema"]) for p in op.query}
        filters = [n for n in params if n not in ("limit", "offset", "sort", "q", "expand")]
        sortable = filters[:1] or ["id"]
        first = sortable[0]

        def get(query: str, kind: str, as_who: str = who) -> None:
            self.send("GET", f"{op.path}?{query}", kind=kind, route=op.path, who=as_who)

        get("&".join(f"p{i}=1" for i in range(3000)), "3000 unknown params")
        get("&".join("limit=1" for _ in range(3000)), "limit 3000 times")
        get("&".join(f"{first}=1" for _ in range(3000)), "one filter 3000 times")
        for as_who in ("anonymous", "admin"):
            get("sort=" + ",".join([first] * 5000), "5000 sort keys", as_who)
        get("sort=" + ",".join([first, "-" + first] * 2500), "5000 sort keys +/-")
        get("sort=" + ",".join(f"nope{i}" for i in range(3000)), "3000 unknown sort keys")
        get("sort=" + ",".join(filters * 50), "every field 50 times as sort key")
        for value in ["", ",", "-", "--" + first, "%00", "%ED%A0%80", "x" * 10_000, "id"]:
            get(f"sort={value}", f"sort {label_of(value)}")
        # limit, offset and unknown names: shared code, in full on the first list only.
        paging = [
            *(f"{name}=1" for name in ["nope", "__", "id__gt", "x__y__z", f"{first}__nope", "_"]),
            *(f"limit={v}" for v in ["0", "-1", "101", str(2**63), str(2**64), "1" + "0" * 400]),
            *(f"limit={v}" for v in ["abc", "NaN", "1e3", "1.5", "", "%00"]),
            *(f"offset={v}" for v in ["-1", str(2**63 - 1), str(2**63), str(2**64)]),
            *(f"offset={v}" for v in ["1" + "0" * 400, "NaN", "1e3", ""]),
        ]
        for query in paging if self.first("paging") else paging[:1] + paging[6:8]:
            get(query, label_of(query))
        get(f"limit=100&offset={2**63 - 1}", "offset 2**63-1 limit 100")
        for name in filters:
            kind, fmt, nullable = json_type(params[name])
            signature = (kind, fmt, name.endswith("_id"))
            equality, ranges = query_values(kind, fmt)
            typed = equality[len(Q_GENERIC) :]
            if not self.first("filter", *signature):
                if self.first("filter", op.path, *signature):
                    equality, ranges = [*Q_SHARP[:4], *typed[:5]], ranges[:2]
                else:
                    equality, ranges = [Q_SHARP[0], *typed[:2]], ranges[:1]
            for value in equality:
                get(f"{name}={value}", f"filter {kind}/{fmt} = {label_of(value)}")
            if self.first("anonymous filter", op.path, *signature):
                get(f"{name}=NaN", "filter = NaN", "anonymous")
                get(f"{name}=9999-12-31T23:59:59-01:00", "filter = extreme datetime", "anonymous")
            numeric = kind in ("integer", "number") or fmt
            for operator in ["gt", "gte", "lt", "lte"] if numeric else []:
                for value in ranges:
                    get(f"{name}__{operator}={value}", f"filter __{operator} {label_of(value)}")
            in_values = [
                "",
                ",",
                "a,,b",
                ",".join([str(2**64)] * 200),
                ",".join(["1"] * 1000),
                "%ED%A0%80,1",
                "NaN,Infinity",
                q("9999-12-31T23:59:59-01:00,0001-01-01T00:00:00+01:00"),
            ]
            contains = ["%00", "%ED%A0%80", "%25", "_", "%5C", "x" * 10_000]
            isnull = ["maybe", "", "NaN", "2"]
            # Each operator in full where it fits the field (SPEC 9.3), else one value.
            fits = {
                "in": kind in ("integer", "string", "enum") and fmt != "date-time",
                "icontains": kind == "string" and fmt is None,
                "isnull": nullable,
            }
            for operator, values in (
                ("in", in_values),
                ("icontains", contains),
                ("isnull", isnull),
            ):
                if not (fits[operator] and self.first(operator, *signature)):
                    values = values[:1]
                for value in values:
                    get(f"{name}__{operator}={value}", f"filter __{operator} {label_of(value)}")
        for name in ("q", "expand"):
            for value in ["%00", "%ED%A0%80", "x" * 10_000, ",".join(["a.b.c.d"] * 500)]:
                get(f"{name}={value}", f"{name} {label_of(value)}")

    def fuzz_path_ids(self) -> None:
        hostile = [
            "0",
            "-1",
            str(2**63 - 1),
            str(2**63),
            str(-(2**63) - 1),
            str(2**64),
            "9" * 400,
            "abc",
            "1e3",
            "1.5",
            "NaN",
            "Infinity",
            "0x10",
            "%00",
            "%ED%A0%80",
            "-",
        ]
        for op in [o for o in self.ops if o.has_id]:
            body: str | None = "{}" if op.body is not None else None
            # Every id is parsed by the same RecordId type: all values on the first route of
            # each method, the sharpest on the others.
            values = hostile if self.first("path id", op.method) else hostile[:8]
            for value in values:
                for who in ("anonymous", "admin") if value in ("0", str(2**63)) else ("admin",):
                    self.send(
                        op.method,
                        self.url_for(op, value),
                        kind=f"path id {label_of(value)}",
                        route=op.path,
                        who=who,
                        content=body,
                    )

    def generic_bodies(self, base: dict[str, Any]) -> list[tuple[str, str | bytes, str]]:
        """(label, body, content type) of whole-body attacks."""
        json_ct = "application/json"
        many_keys = {**base, **{f"k{i}": i for i in range(5000)}}
        return [
            ("empty body", "", json_ct),
            ("invalid JSON", '{"a": ', json_ct),
            ("invalid JSON token", "{'a': 1}", json_ct),
            ("invalid UTF-8", b'{"a": "\xff\xfe"}', json_ct),
            ("BOM", "\ufeff" + encode(base), json_ct),
            ("null", "null", json_ct),
            ("array", "[]", json_ct),
            ("array of the body", encode([base]), json_ct),
            ("string", '"x"', json_ct),
            ("number", "1", json_ct),
            ("NaN", "NaN", json_ct),
            ("1e999", "1e999", json_ct),
            ("lone surrogate", '"\\ud800"', json_ct),
            ("NUL key", encode({**base, "\u0000": 1}), json_ct),
            ("surrogate key", "{" + '"\\ud800": 1' + "}", json_ct),
            ("5000 keys", encode(many_keys), json_ct),
            ("duplicate keys", encode(base)[:-1] + "," + encode(base)[1:], json_ct),
            (f"{DEEP} nested arrays", "[" * DEEP + "]" * DEEP, json_ct),
            (f"{DEEP} nested objects", '{"a":' * DEEP + "1" + "}" * DEEP, json_ct),
            (
                f"{DEEP} nested arrays in every field",
                encode({k: Raw("[" * DEEP + "]" * DEEP) for k in base} or {"a": 1}),
                json_ct,
            ),
            ("body over 1 MiB", encode({**base, "pad": "p" * (MIB + 10)}), json_ct),
            ("text/plain", encode(base), "text/plain"),
            (
                "form",
                urllib.parse.urlencode({k: str(v) for k, v in base.items()}),
                "application/x-www-form-urlencoded",
            ),
            ("multipart garbage", "garbage", "multipart/form-data; boundary=x"),
        ]

    def fuzz_bodies(self) -> None:
        register = self.op("register")
        me_update = self.op("update_me")
        # Anonymous and self-service routes first, the admin's next, a user's pass last: when
        # the time budget cuts the phase short, it cuts the least telling part.
        bodies = [op for op in self.ops if op.body is not None and not op.form]
        targets: list[tuple[Op, str]] = [
            *((op, "anonymous") for op in bodies if op is register),
            *((op, "user") for op in bodies if op is me_update),
            *((op, "admin") for op in bodies if op not in (register, me_update)),
            *((op, "user") for op in bodies if op not in (register, me_update)),
        ]
        for op, who in targets:
            if who == "user":
                self.refresh_user()
                if not self.tokens.get("user"):
                    continue
            self.fuzz_body(op, who, full=who != "user" or op is me_update)

    def first(self, *signature: Any) -> bool:
        """Whether this signature comes up for the first time in this app."""
        key = json.dumps(signature)
        new = key not in self.seen
        self.seen.add(key)
        return new

    def field_values(self, op: Op, name: str, prop: dict[str, Any], full: bool) -> list[Any]:
        """Every hostile value for the first field of its kind (type, format, nullable, FK or
        not) in the app; the typed ones and the sharp ones for the first in each operation;
        a few for the rest (the same generated code handles them)."""
        kind, fmt, nullable = json_type(prop)
        signature = (kind, fmt, nullable, name.endswith("_id"), name == self.username_field)
        values = values_for(prop, name)
        typed = values[len(SHARP) : len(values) - len(WRONG_TYPES)]
        in_app = self.first(op.method, "field", *signature)
        in_op = self.first(op.method, op.path, "field", *signature)
        if not full:
            return [*SHARP, *typed[:3]] if in_op else [SHARP[0], SHARP[5]]
        if in_app:
            return values
        if in_op:
            return [SHARP[0], SHARP[3], SHARP[5], *typed, WRONG_TYPES[4]]
        return [SHARP[0], SHARP[5], *typed[:3]]

    def fuzz_body(self, op: Op, who: str, full: bool) -> None:
        assert op.body is not None
        creating = op.method == "POST"
        own_user = who == "user" and (
            op is self.op("update_me") or op.op_id == f"update_{self.user_snake}"
        )

        def url() -> str:
            return self.url_for(op, self.record_id(op, who)) if op.has_id else op.path

        def base() -> dict[str, Any]:
            if not creating:
                return {}
            body = self.base_body(op.body or {}, owner_is_caller=who == "user")
            if self.username_field in body and op.op_id in (
                "register",
                f"create_{self.user_snake}",
            ):
                body[self.username_field] = self.username_value()
                body[self.password_field] = self.password_value(op.body or {})
            return body

        def send(body: str | bytes, kind: str, content_type: str = "application/json") -> None:
            response = self.send(
                op.method,
                url(),
                kind=kind,
                route=op.path,
                who=who,
                content=body,
                content_type=content_type,
            )
            if own_user and response is not None and response.status_code < 300:
                self.refresh_user()

        generic = self.generic_bodies(base()) if full else []
        if not self.first("bodies", op.method) and op.op_id not in ("register", "update_me"):
            # The same parser and handler for every route: a sample on the others.
            generic = [g for g in generic if g[0] in SAMPLE_BODIES]
        for label, body, content_type in generic:
            send(body, f"body: {label}", content_type)
        properties = op.body.get("properties", {})
        huge_sent = False
        for name, prop in properties.items():
            prop = self.resolve(prop)
            kind, fmt, _nullable = json_type(prop)
            values = self.field_values(op, name, prop, full)
            if full and kind == "string" and not huge_sent:
                values = [*values, HUGE_STRING]
                huge_sent = True
            for value in values:
                body = base()
                body[name] = value
                send(encode(body), f"field {kind}/{fmt or '-'}: {label_of(value)}")
            if self.first("deep field", op.path, kind, fmt):
                body = base()
                body[name] = Raw("[" * DEEP + "]" * DEEP, "deep")
                send(encode(body), f"field {kind}: {DEEP} nested arrays")

    def fuzz_login(self) -> None:
        form = "application/x-www-form-urlencoded"
        cases = {
            "username NUL": "username=a%00b&password=x",
            "username surrogate": "username=%ED%A0%80&password=x",
            "username invalid UTF-8": "username=%FF%FE&password=x",
            "password surrogate": f"username={q(ADMIN_USERNAME)}1&password=%ED%A0%80",
            "username 100 KB": "username=" + "u" * 100_000 + "&password=x",
            "password 100 KB": "username=nobody&password=" + "p" * 100_000,
            "username 2 MB": "username=" + "u" * (2 * MIB) + "&password=x",
            "no username": "password=x",
            "no password": "username=x",
            "empty": "",
            "3000 fields": "&".join(f"f{i}=1" for i in range(3000)) + "&username=a&password=b",
            "grant_type evil": "grant_type=evil&username=a&password=b",
            "username twice": "username=a&username=b&password=c",
            "control characters": "username=%01%02%1F%7F&password=x",
        }
        for label, body in cases.items():
            self.send(
                "POST",
                "/auth/token",
                kind=f"login: {label}",
                route="/auth/token",
                content=body,
                content_type=form,
            )
        for label, body in [
            ("JSON body", '{"username": "a", "password": "b"}'),
            ("JSON NaN", '{"username": NaN, "password": "\\ud800"}'),
        ]:
            self.send(
                "POST", "/auth/token", kind=f"login: {label}", route="/auth/token", content=body
            )
        self.send(
            "POST",
            "/auth/token",
            kind="login: multipart garbage",
            route="/auth/token",
            content="garbage",
            content_type="multipart/form-data; boundary=x",
        )

    def self_references_and_deletes(self) -> None:
        """Point each FK of each admin record at the record itself, then delete them all."""
        for collection, owners in self.ids.items():
            update = next(
                (
                    o
                    for o in self.ops
                    if o.method == "PATCH" and o.path.startswith(collection + "/{")
                ),
                None,
            )
            record = owners.get("admin")
            if update is None or update.body is None or record is None:
                continue
            for name in update.body.get("properties", {}):
                if name.endswith("_id") and name != "owner_id" or name.endswith("parent_id"):
                    self.send(
                        "PATCH",
                        self.url_for(update, record),
                        kind=f"self-reference {name}",
                        route=update.path,
                        who="admin",
                        content=encode({name: record}),
                    )
        for collection, owners in self.ids.items():
            delete = next(
                (
                    o
                    for o in self.ops
                    if o.method == "DELETE" and o.path.startswith(collection + "/{")
                ),
                None,
            )
            for record in owners.values():
                if delete is not None:
                    self.send(
                        "DELETE",
                        self.url_for(delete, record),
                        kind="delete base record",
                        route=delete.path,
                        who="admin",
                    )

    def run(self) -> None:
        """The phases in turn, each with its share of the app's time budget (what one leaves
        goes to the next); setup and the two short last phases are not cut."""
        end = time.monotonic() + self.seconds
        phases: list[tuple[Callable[[], None], float]] = [
            (self.setup, 0),
            (self.fuzz_tokens, 0.15),
            (self.fuzz_path_ids, 0.1),
            (self.fuzz_queries, 0.3),
            (self.fuzz_bodies, 0.45),
            (self.fuzz_login, 0),
            (self.self_references_and_deletes, 0),
        ]
        for index, (phase, share) in enumerate(phases):
            started, sent = time.monotonic(), self.sent
            if share:
                shares = sum(s for _p, s in phases[index:])
                self.deadline = started + max(0.0, end - started) * share / shares
            else:
                self.deadline = started + 60
            try:
                phase()
            except BudgetExhausted:
                if self.hangs < MAX_HANGS:
                    self.cut.append(phase.__name__)
            name = phase.__name__.removeprefix("fuzz_")
            self.phases.append(f"{name} {self.sent - sent}/{time.monotonic() - started:.1f}s")
            if self.hangs >= MAX_HANGS:
                self.fail(Failure("*", "*", "*", "*", "stopped", f"{self.hangs} requests hung"))
                break


@dataclass
class Budget:
    seconds: float
    apps: int

    def share(self) -> float:
        return max(self.seconds, 0.0) / max(self.apps, 1)

    def spent(self, seconds: float) -> None:
        self.seconds -= seconds
        self.apps -= 1


@pytest.fixture(scope="module")
def budget(request: pytest.FixtureRequest) -> Budget:
    selected = [item for item in request.session.items if item.module is request.module]
    return Budget(FUZZ_SECONDS, len(selected))


def test_hostile_input_never_breaks_the_app(server: Server, budget: Budget) -> None:
    started = time.monotonic()
    seconds = budget.share()
    fuzzer = Fuzzer(server, seconds)
    try:
        fuzzer.run()
    finally:
        fuzzer.client.close()
        elapsed = time.monotonic() - started
        budget.spent(elapsed)
    print(
        f"\n{server.project.name}: {fuzzer.sent} requests to {len(fuzzer.ops)} operations"
        f" in {elapsed:.1f}s; {len(fuzzer.failures)} distinct failures"
        + (f"; TIME BUDGET CUT SHORT: {', '.join(fuzzer.cut)}" if fuzzer.cut else "")
        + f"\n  requests/time per phase: {', '.join(fuzzer.phases)}"
        + f"\n  statuses: {dict(sorted(fuzzer.statuses.items()))}"
        + f"\n  tokens: {', '.join(w for w in ('admin', 'user') if fuzzer.tokens.get(w))}"
    )
    if fuzzer.cut:
        warnings.warn(
            f"{server.project.name}: its {seconds:.0f} s of BB_FUZZ_SECONDS={FUZZ_SECONDS:g}"
            " ran out; cut short:"
            f" {', '.join(fuzzer.cut)}",
            stacklevel=1,
        )
    failures = list(fuzzer.failures.values())
    assert not failures, (
        f"{server.project.name}: {len(failures)} distinct failures (route, input, status):\n"
        + report(failures, fuzzer.repeats)
    )
