"""Time ``journeybot roster import`` of a generated roster, a re-import of the same file, and the floor.

    .venv/bin/python bench/roster_bench.py [--people 100000] [--runs 3] [--postgres URL]

For each backend (SQLite in a temporary file; PostgreSQL in a scratch database the script creates
and drops at ``--postgres``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_roster_bench``)
and each run, on a freshly migrated empty database:

- **import**: ``journeybot roster import roster.csv`` as a process, timed from start to exit (Python
  start, settings, migrations check, parsing and validating the file, the writes, the commit);
- **re-import**: the same command and file again (nothing changed: nothing written);
- **floor**: the same people and identity rows inserted with plain SQL in one transaction (DB-API
  ``executemany``, no validation, no ORM, no process start), into another fresh database.

Medians of ``--runs`` runs are printed as a Markdown table (and every run as JSON lines before it),
with the CPU seconds the import process used (user + system; the database server's own work on
PostgreSQL is not in it): on a shared machine the wall time moves with the load, the CPU much less.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store.urls import sync_url  # noqa: E402

JOURNEYBOT = Path(sys.executable).parent / "journeybot"
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC", "")
TEAMS = tuple(f"Team {n}" for n in range(200))


def generate(path: Path, people: int, seed: int = 1) -> None:
    """A plausible organisation: a manager per 10 people, some marketing, most with a Slack or Teams id."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "email",
                "name",
                "timezone",
                "team",
                "manager_email",
                "roles",
                "slack_user_id",
                "teams_aad_object_id",
            ]
        )
        for n in range(people):
            manager = f"person{n - n % 10}@example.com" if n % 10 else ""
            roles = (
                "employee;manager" if n % 10 == 0 else ("employee;marketing" if n % 97 == 0 else "employee")
            )
            platform = rng.random()
            slack = f"U{n:08d}" if platform < 0.6 else ""
            teams = f"aad-{n:08d}" if platform >= 0.5 else ""
            writer.writerow(
                [f"person{n}@example.com", f"Person {n}", rng.choice(ZONES), TEAMS[n % len(TEAMS)], manager,
                 roles, slack, teams]
            )  # fmt: skip


CPU: dict[str, list[float]] = {}  # what each timed command used of the CPU (user + system)


def run_cli(args: list[str], url: str, label: str = "") -> float:
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(JOURNEYBOT), *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"journeybot {' '.join(args)} failed: {done.stderr.strip()}")
    if label:
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU.setdefault(label, []).append(used)
    return elapsed


def fresh(backend: str, scratch: Path, postgres: str, name: str) -> str:
    """An empty database at the newest schema."""
    if backend == "sqlite":
        url = f"sqlite:///{scratch / name}.db"
        Path(f"{scratch / name}.db").unlink(missing_ok=True)
    else:
        server, database = postgres.rsplit("/", 1)
        with psycopg.connect(sync_url(f"{server}/postgres").replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            conn.execute(f'CREATE DATABASE "{database}"')
        url = postgres
    run_cli(["db", "upgrade"], url)
    return url


def floor(url: str, roster: Path) -> float:
    """Plain SQL: the people and identity rows the import writes, nothing else."""
    with roster.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    now = datetime.now(UTC).replace(tzinfo=None)
    people = [
        (r["email"], r["name"], r["timezone"] or "UTC", bool(r["timezone"]), r["team"], r["manager_email"] or None,
         json.dumps(r["roles"].split(";")), now, now)
        for r in rows
    ]  # fmt: skip
    columns = (
        "email, name, timezone, timezone_explicit, team, manager_email, roles, created_at, updated_at, zone, "
        "networks, topics, work_days, work_start, work_end, weekly_cap, retired_kinds, onboarding_step, "
        "opted_out, milestones"
    )
    constants = "1, '[]', '[]', '[0, 1, 2, 3, 4]', '09:30', '16:30', 2, '[]', 0, false, '[]'"
    started = time.perf_counter()
    if url.startswith("sqlite"):
        connection: sqlite3.Connection | psycopg.Connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        mark = "?"
    else:
        connection = psycopg.connect(sync_url(url).replace("+psycopg", ""))
        mark = "%s"
    marks = ", ".join([mark] * 9)
    cursor = connection.cursor()
    cursor.executemany(f"INSERT INTO people ({columns}) VALUES ({marks}, {constants})", people)  # type: ignore[arg-type]
    cursor.execute("SELECT id, email FROM people")
    ids = {email: person_id for person_id, email in cursor.fetchall()}
    identities = [
        (platform, r[column], ids[r["email"]], now)
        for r in rows
        for column, platform in (("slack_user_id", "slack"), ("teams_aad_object_id", "teams"))
        if r[column]
    ]
    cursor.executemany(
        f"INSERT INTO identities (platform, user_id, person_id, tenant, updated_at) "
        f"VALUES ({mark}, {mark}, {mark}, '', {mark})",
        identities,  # type: ignore[arg-type]
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_roster_bench"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    options = parser.parse_args()
    results: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as directory:
        scratch = Path(directory)
        roster = scratch / "roster.csv"
        generate(roster, options.people)
        for backend in options.backends.split(","):
            times: dict[str, list[float]] = {"import": [], "reimport": [], "floor": []}
            for run in range(options.runs):
                url = fresh(backend, scratch, options.postgres, "import")
                load = os.getloadavg()[0]
                times["import"].append(run_cli(["roster", "import", str(roster)], url, f"{backend} import"))
                times["reimport"].append(
                    run_cli(["roster", "import", str(roster)], url, f"{backend} reimport")
                )
                times["floor"].append(floor(fresh(backend, scratch, options.postgres, "floor"), roster))
                cpu = {f"{k}_cpu": round(CPU[f"{backend} {k}"][-1], 2) for k in ("import", "reimport")}
                line = {"backend": backend, "run": run + 1, **{k: round(v[-1], 2) for k, v in times.items()}}
                print(json.dumps({**line, **cpu, "load_before": round(load, 1)}), flush=True)
            results[backend] = times
        if "postgresql" in results:
            server, database = options.postgres.rsplit("/", 1)
            with psycopg.connect(
                sync_url(f"{server}/postgres").replace("+psycopg", ""), autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
    print(
        "\n| backend | people | import (s) | re-import (s) | plain-SQL floor (s) | import CPU (s) | re-import CPU (s) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for backend, times in results.items():
        median = {k: statistics.median(v) for k, v in times.items()}
        cpu = {k: statistics.median(CPU[f"{backend} {k}"]) for k in ("import", "reimport")}
        print(
            f"| {backend} | {options.people:,} | {median['import']:.1f} | {median['reimport']:.1f} "
            f"| {median['floor']:.1f} | {cpu['import']:.1f} | {cpu['reimport']:.1f} |"
        )


if __name__ == "__main__":
    main()
