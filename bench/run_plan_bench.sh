#!/bin/sh
# The 100k plan-only benchmark on SQLite and PostgreSQL: generate once per backend, then time the
# floor once and the tick RUNS times, each on a fresh copy of the generated organisation and in its
# own process (peak memory is per process).
#   sh bench/run_plan_bench.sh [PEOPLE] [POSTGRES_URL] [RUNS] [HISTORY] [ONLY_LAST_DAYS]
# HISTORY: offers per person over a year (generate.py --history; N/2 activities); default: three.
# ONLY_LAST_DAYS: of that year, keep only these last days (generate.py --only-last-days): the same
# people in the same state without the rest of the year, to compare with the whole of it.
# PostgreSQL copies come from a template database named after POSTGRES_URL's with "_org" appended.
set -e
cd "$(dirname "$0")/.."
PEOPLE=${1:-100000}
PG=${2:-postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench}
RUNS=${3:-3}
HISTORY="${4:+--history $4}${5:+ --only-last-days $5}"
PY=.venv/bin/python
DIR=$(mktemp -d)
# How fast this machine is right now (a shared VM's speed varies): a fixed pure-Python loop.
speed() { $PY -c 'import os, time; t=time.perf_counter(); sum(range(30_000_000)); print(f"# machine: sum(range(3e7)) in {time.perf_counter()-t:.2f} s, load {os.getloadavg()[0]:.2f}")'; }

$PY bench/generate.py "sqlite:///$DIR/org.db" --people "$PEOPLE" $HISTORY 2>/dev/null
$PY bench/generate.py "sqlite:///$DIR/floor.db" --copy-of "sqlite:///$DIR/org.db"
$PY bench/plan_bench.py floor "sqlite:///$DIR/floor.db"
for run in $(seq "$RUNS"); do
    $PY bench/generate.py "sqlite:///$DIR/tick.db" --copy-of "sqlite:///$DIR/org.db"
    speed
    $PY bench/plan_bench.py tick "sqlite:///$DIR/tick.db"
done
rm -rf "$DIR"

ORG="${PG}_org"
$PY bench/generate.py "$ORG" --people "$PEOPLE" $HISTORY 2>/dev/null
$PY bench/generate.py "$PG" --copy-of "$ORG"
$PY bench/plan_bench.py floor "$PG"
for run in $(seq "$RUNS"); do
    $PY bench/generate.py "$PG" --copy-of "$ORG"
    speed
    $PY bench/plan_bench.py tick "$PG"
done
