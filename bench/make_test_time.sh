#!/bin/sh
# How long `make test` takes (ruff, mypy, lint-imports, pytest over the cores), with PostgreSQL and
# cold caches as CI has them. The target: under 3 minutes on a 2-core machine. Each run prints its
# wall time, the CPU seconds it used (its own and its children's; the same work costs about the same
# CPU whatever else runs, while wall time on a shared VM does not) and the load average around it.
#   sh bench/make_test_time.sh [RUNS] [PYTEST_WORKERS] [POSTGRES_URL]
# PYTEST_WORKERS=0 runs pytest in one process, as `make test` did before pytest-xdist.
set -e
cd "$(dirname "$0")/.."
RUNS=${1:-1}
WORKERS=${2:-auto}
export TEST_DATABASE_URL=${3:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
OUT=$(mktemp)
make .venv/.installed >/dev/null
for run in $(seq "$RUNS"); do
    rm -rf .mypy_cache .import_linter_cache .pytest_cache
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if /usr/bin/time -f "wall %e s, CPU %U s user + %S s system" -o "$OUT" \
        make test PYTEST_WORKERS="$WORKERS" >/dev/null 2>&1; then status=passed; else status=FAILED; fi
    echo "run $run (pytest workers: $WORKERS): $(tail -1 "$OUT"), $status; load before $load, after $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -f "$OUT"
