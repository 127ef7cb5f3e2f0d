#!/usr/bin/env bash
# HTTP benchmark of a generated backend against the hand-written FastAPI reference.
#
#   bench/http.sh                      # BENCH_ROUNDS=5 by default
#   BENCH_ROUNDS=3 bench/http.sh
#
# 1. Renders bench/blog_bench.yaml (the shared blog_public.yaml, every endpoint public, with
#    passwords of any length: the shared load.py seeds short ones) with this template into a
#    temporary project:  copier copy --trust --defaults --data-file <schema> <template> <dir>
# 2. Runs the shared kit: compare.sh generated=<dir> idiomatic-copy=<reference/idiomatic>
#    (idiomatic and raw references are always included; idiomatic-copy is the A/A control
#    that shows the noise band of the same run).
#
# compare.sh starts every server the same way: its own venv built from the project's
# requirements.txt (uvicorn[standard] -> uvloop + httptools), `uvicorn main:app --workers 1
# --log-level warning`, DATABASE_URL/DATABASE_PATH/SECRET_KEY in the environment, a fresh
# SQLite file on tmpfs, server pinned to one CPU and wrk to the other.
#
# Env knobs (besides compare.sh's own BENCH_*, which pass through):
#   BENCH_ROUNDS=5           rounds (compare.sh's default would be 3)
#   BENCH_SHARED=/work/shared/bench   the shared kit (compare.sh, blog_public.yaml, references)
#   BENCH_SCHEMA=<this repo>/bench/blog_bench.yaml
#   BENCH_TEMPLATE=<this repo>        template to render (working tree, uncommitted changes too)
#   BENCH_COPIER=<this repo>/.venv/bin/copier
#   BENCH_PROJECT=<dir>      benchmark an already generated project instead of rendering one
#   BENCH_OUT=<dir>          where to put the project and the log (default: a new /tmp dir)
#   BENCH_QUERIES=1          then list_queries.py: a filtered, sorted list and a list with
#                            ?expand=, beside the plain list (0 skips them)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
SHARED=${BENCH_SHARED:-/work/shared/bench}
SCHEMA=${BENCH_SCHEMA:-$HERE/blog_bench.yaml}
TEMPLATE=${BENCH_TEMPLATE:-$REPO}
COPIER=${BENCH_COPIER:-$REPO/.venv/bin/copier}
export BENCH_ROUNDS=${BENCH_ROUNDS:-5}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/bench-http.XXXXXX)}
mkdir -p "$OUT"

[[ -x "$SHARED/compare.sh" ]] || { echo "http.sh: no $SHARED/compare.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "http.sh: wrk is required (apt-get install -y wrk)" >&2; exit 1; }

if [[ -n "${BENCH_PROJECT:-}" ]]; then
  PROJECT=$(cd "$BENCH_PROJECT" && pwd)
else
  PROJECT=$OUT/generated
  rm -rf "$PROJECT"
  echo "# rendering $SCHEMA with $TEMPLATE into $PROJECT" >&2
  (cd "$REPO" && "$COPIER" copy -q --trust --defaults --data-file "$SCHEMA" "$TEMPLATE" "$PROJECT") \
    2> >(grep -v -e DirtyLocalWarning -e '^  warn(' -e 'No git tags found' >&2)
fi
[[ -f "$PROJECT/main.py" && -f "$PROJECT/requirements.txt" ]] \
  || { echo "http.sh: $PROJECT has no main.py/requirements.txt" >&2; exit 1; }

# The references run under `uvicorn --log-level warning`, which leaves uvicorn's access log
# out; the generated app writes its own access log through logging, so it gets the same level.
export LOG_LEVEL=warning

echo "# compare.sh generated=$PROJECT idiomatic-copy=$SHARED/reference/idiomatic (BENCH_ROUNDS=$BENCH_ROUNDS)" >&2
echo "# full log: $OUT/compare.log" >&2
set +e
"$SHARED/compare.sh" generated="$PROJECT" idiomatic-copy="$SHARED/reference/idiomatic" 2>&1 \
  | tee "$OUT/compare.log"
rc=${PIPESTATUS[0]}
set -e

# compare.sh keeps the servers' logs; a server that logs per request is not started "the
# same way" as the references (access log off at --log-level warning): say so.
run_dir=$(grep -o '/tmp/bench-run\.[A-Za-z0-9]*' "$OUT/compare.log" | tail -1 || true)
if [[ -n "$run_dir" && -d "$run_dir" ]]; then
  for f in "$run_dir"/generated-r*.log; do
    [[ -f "$f" ]] || continue
    n=$(grep -c -E '(GET|POST|PATCH|DELETE) /' "$f" || true)
    if (( n > 0 )); then echo "# WARNING: $f has $n access-log lines" >&2; fi
  done
  echo "# generated server log lines (round 1): $(cat "$run_dir"/generated-r1.log 2>/dev/null | wc -l)" >&2
fi

# Two more ops beside the plain list, on the same project: a filtered, sorted list and a list
# with ?expand= (bench/list_queries.py; BENCH_QUERIES=0 skips them).
if [[ "${BENCH_QUERIES:-1}" == 1 ]]; then
  echo "# list queries: bench/list_queries.py $PROJECT (log: $OUT/list_queries.log)" >&2
  "$REPO/.venv/bin/python" "$HERE/list_queries.py" "$PROJECT" --seconds "${BENCH_SOLO:-3}" \
    | tee "$OUT/list_queries.log" || rc=1
fi
exit "$rc"
