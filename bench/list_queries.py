"""List queries beside the plain list: req/s of three GETs on one generated blog backend.

    .venv/bin/python bench/list_queries.py PROJECT [--seconds 3] [--posts 1000]

PROJECT is a rendered `blog_public.yaml` (http.sh passes its own). The server is started as
compare.sh starts one (`uvicorn main:app --workers 1 --log-level warning`, a fresh SQLite file
on tmpfs, pinned to one CPU and wrk to the other), seeded with 10 users and `--posts` posts
through the API, then each op runs alone under wrk for `--seconds`:

- `list`: GET /posts?limit=50&offset=0, the plain list compare.sh measures;
- `list_filtered`: GET /posts?user_id__in=...&title__icontains=post&sort=-title&limit=50, a
  filtered, sorted list (an IN, a case-insensitive LIKE and an ORDER BY on a column);
- `list_expand`: GET /posts?limit=50&offset=0&expand=user, the plain list with each post's
  author embedded (one more query per page, whatever its size).

Prints one JSON line per op (req/s, p50/p99 ms, errors) and a table with each op's ratio to
the plain list. Needs wrk (apt-get install -y wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
USERS = 10
OPS = {
    "list": "/posts?limit=50&offset=0",
    "list_filtered": "/posts?user_id__in={ids}&title__icontains=post&sort=-title&limit=50",
    "list_expand": "/posts?limit=50&offset=0&expand=user",
}
LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(base: str, method: str, path: str, body: object = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def seed(base: str, posts: int) -> list[int]:
    user_ids = []
    for i in range(USERS):
        status, body = request(
            base, "POST", "/users", {"email": f"seed{i}@bench.test", "password": "a bench password"}
        )
        assert status == 201, (status, body)
        assert isinstance(body, dict)
        user_ids.append(body["id"])
    for i in range(posts):
        post = {"title": f"Seed post {i}", "content": "x" * 200, "user_id": user_ids[i % USERS]}
        status, body = request(base, "POST", "/posts", post)
        assert status == 201, (status, body)
    return user_ids


def run_wrk(url: str, seconds: int, connections: int, cpu: str | None) -> dict[str, object]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: round(float(v) * TO_MS[u], 2) for p, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(rps),
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--uvicorn", default=str(Path(sys.executable).parent / "uvicorn"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("list_queries.py: wrk is required (apt-get install -y wrk)", file=sys.stderr)
        return 1
    cpus = sorted(os.sched_getaffinity(0))
    load_cpu, server_cpu = (str(cpus[0]), str(cpus[1])) if len(cpus) > 1 else (None, None)
    db_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
    db = Path(tempfile.mkstemp(prefix="bench-queries-", suffix=".db", dir=db_dir)[1])
    db.unlink()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hs256",
        "LOG_LEVEL": "warning",
    }
    command = [args.uvicorn, "main:app", "--port", str(port), "--workers", "1"]
    command += ["--log-level", "warning"]
    if server_cpu is not None:
        command = ["taskset", "-c", server_cpu, *command]
    server = subprocess.Popen(command, cwd=args.project, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                request(base, "GET", "/health")
                break
            except OSError:
                time.sleep(0.1)
        user_ids = seed(base, args.posts)
        results = {}
        for op, path in OPS.items():
            url = base + path.format(ids=",".join(map(str, user_ids[:3])))
            status, body = request(base, "GET", url.removeprefix(base))
            assert status == 200 and isinstance(body, list) and body, (op, status, body)
            if args.warmup:
                run_wrk(url, args.warmup, args.connections, load_cpu)
            results[op] = run_wrk(url, args.seconds, args.connections, load_cpu)
            print(json.dumps({"op": op, "path": path, **results[op]}))
    finally:
        server.terminate()
        server.wait(timeout=10)
        for leftover in db.parent.glob(db.name + "*"):
            leftover.unlink()
    plain = results["list"]["rps"]
    print("\n| op | req/s | x list | p50 ms | p99 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for op, r in results.items():
        ratio = r["rps"] / plain if plain else float("nan")  # type: ignore[operator]
        print(
            f"| {op} | {r['rps']} | {ratio:.2f} | {r['p50_ms']} | {r['p99_ms']} | {r['errors']} |"
        )
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
