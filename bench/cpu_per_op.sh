#!/usr/bin/env bash
# Server CPU per request, op by op, for one blog backend: the quick A/B tool used to find
# where a generated project spends more than the idiomatic reference (see RESULTS.md).
#
#   bench/cpu_per_op.sh DIR [VENV]          # DIR holds main.py + requirements.txt
#   PROFILE=detail bench/cpu_per_op.sh DIR  # also record a py-spy profile of that op
#
# Starts `uvicorn main:app --workers 1 --log-level warning` from VENV (default: the venv
# compare.sh built for DIR's requirements.txt, under /tmp/bench-venvs) pinned to CPU 1, with a
# fresh SQLite file on /dev/shm, then runs the shared load.py pinned to CPU 0: seed, 2 s
# warm-up, a short mix, then each op alone for SOLO seconds (default 5). Prints load.py's
# JSON lines (req/s, p50/p99, server CPU us/req). MIX=detail=1 DURATION=8 SOLO=0 times one op.
#
# PROFILE=list|detail|create: runs py-spy (PYSPY, default /tmp/prof-venv/bin/py-spy;
# `python3 -m venv /tmp/prof-venv && /tmp/prof-venv/bin/pip install py-spy`) on the server
# while that op runs alone, and writes folded stacks to OUT (default /tmp/bench-prof/
# <name>-<op>.folded); summarise them with bench/folded_top.py.
set -euo pipefail
SHARED=${BENCH_SHARED:-/work/shared/bench}
DIR=$(cd "$1" && pwd)
PYTHON=${BENCH_PYTHON:-python3.11}
if [[ -n "${2:-}" ]]; then VENV=$2; else
  key=$( { cat "$DIR/requirements.txt"; "$PYTHON" -VV; } | sha256sum | cut -c1-16)
  VENV=/tmp/bench-venvs/$key
fi
[[ -x "$VENV/bin/uvicorn" ]] || { echo "no uvicorn in $VENV: run bench/http.sh (compare.sh builds it) or pass a venv" >&2; exit 1; }
SOLO=${SOLO:-5}
PYSPY=${PYSPY:-/tmp/prof-venv/bin/py-spy}
OUT=${OUT:-/tmp/bench-prof}
NAME=${NAME:-$(basename "$DIR")}
mkdir -p "$OUT"
DB=$(mktemp -u /dev/shm/bench-cpu.XXXXXX).db
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
(
  cd "$DIR"
  exec env DATABASE_URL="sqlite:///$DB" DATABASE_PATH="$DB" \
    SECRET_KEY=bench-not-a-secret-0123456789abcdef0123456789abcdef PATH="$VENV/bin:$PATH" \
    taskset -c 1 "$VENV/bin/uvicorn" main:app --host 127.0.0.1 --port "$PORT" --workers 1 --log-level warning
) >"$OUT/$NAME-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 150); do
  curl -fs "$URL/posts?limit=1" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { cat "$OUT/$NAME-server.log" >&2; exit 1; }
  sleep 0.2
done
if [[ -n "${PROFILE:-}" ]]; then
  # one load.py run of PROFILE alone: seed (~2-3 s) + 2 s warm-up, then py-spy samples the
  # middle SOLO seconds of a SOLO+6 s run
  taskset -c 0 python3 "$SHARED/load.py" "$URL" --duration $((SOLO + 6)) --solo 0 --mix "$PROFILE=1" \
    --server-pid $PID --tag server="$NAME" >"$OUT/$NAME-$PROFILE.jsonl" 2>&1 &
  LOAD=$!
  for _ in $(seq 100); do grep -q seeded "$OUT/$NAME-$PROFILE.jsonl" 2>/dev/null && break; sleep 0.1; done
  sleep 4
  "$PYSPY" record -p $PID -r 250 -d "$SOLO" -f raw -o "$OUT/$NAME-$PROFILE.folded" --nonblocking >/dev/null 2>&1 || true
  wait $LOAD || true
  grep '"op": "all"' "$OUT/$NAME-$PROFILE.jsonl" || true
  echo "# profile: folded stacks in $OUT/$NAME-$PROFILE.folded" >&2
else
  taskset -c 0 python3 "$SHARED/load.py" "$URL" --duration "${DURATION:-5}" --solo "$SOLO" --mix "${MIX:-detail=2,list=1,create=1}" \
    --server-pid $PID --tag server="$NAME" \
    | python3 -c '
import json, sys
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if d.get("phase") == "solo" or d.get("op") == "all" or "server_cpu_us_per_req" in d:
        cpu = d.get("server_cpu_us_per_req")
        print("%20s %4s %6s: %7.0f req/s  server CPU %s us/req" % (d["server"], d["phase"], d["op"], d["rps"], cpu))
'
fi
