#!/bin/sh
# The 100k plan-only benchmark on SQLite and PostgreSQL: generate once per backend, then time the
# floor and the tick each on a fresh copy, each in its own process (peak memory is per process).
#   sh bench/run_plan_bench.sh [PEOPLE] [POSTGRES_URL]
set -e
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
PG=${2:-postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench}
PY=.venv/bin/python
DIR=$(mktemp -d)

$PY bench/generate.py "sqlite:///$DIR/org.db" --people "$PEOPLE" 2>/dev/null
cp "$DIR/org.db" "$DIR/floor.db"
$PY bench/plan_bench.py floor "sqlite:///$DIR/floor.db"
$PY bench/plan_bench.py tick "sqlite:///$DIR/org.db"

$PY bench/generate.py "$PG" --people "$PEOPLE" 2>/dev/null
$PY bench/plan_bench.py floor "$PG"
$PY bench/generate.py "$PG" --people "$PEOPLE" 2>/dev/null
$PY bench/plan_bench.py tick "$PG"
rm -rf "$DIR"
