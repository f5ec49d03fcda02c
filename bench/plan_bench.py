"""Time one ``tick --plan-only`` over a generated organisation, and the floor it is compared with.

    .venv/bin/python bench/plan_bench.py tick  URL   # plan(app.planning, NOW): the real planning pass
    .venv/bin/python bench/plan_bench.py floor URL   # the same reads and inserts, nothing else

Run each on a freshly generated database (``bench/run_plan_bench.sh`` does the whole dance), each
in its own process so the peak memory (``ru_maxrss``) is that mode's alone.

The tick plans with the app's default ``PLAN_WORKERS`` (one worker process per core); set
``PLAN_WORKERS=0`` to time it in one process. With a PostgreSQL server on this machine, the output
has ``server_cpu_seconds`` too, its backends' CPU for the run: the tick's process, its planners
and the server share the cores, so their summed CPU is steadier than the wall time.

The floor reads one row per due person (in id batches of 1,000, as plain driver rows: the row
holds the planning summary), their recent activities and identities, and inserts one outbox row
each with one plain DB-API ``executemany`` per batch, plus the ``next_due_at`` update; no engine,
no rendering, no ORM, no offers read or written (issue 17: the floor of "reading one row per
person and writing the outbox rows").
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import NOW
from bot.delivery.models import DeliveryRow
from bot.main.build import build
from bot.scheduling.tick import BATCH, plan
from bot.settings import Settings
from bot.store.urls import backend, sync_url
from nudges.selection import activities_read_since


async def run_tick(url: str) -> dict:
    app = await build(Settings(database_url=url, random_seed=1, _env_file=None), migrate=False)  # type: ignore[call-arg]
    app.senders.clear()
    started, cpu = time.perf_counter(), time.process_time()
    report = await plan(app.planning, NOW)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    helpers = _helper_processes(app)  # read before the app stops them
    async with app.db.sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(DeliveryRow))
    await app.close()
    return {
        "mode": "tick",
        "seconds": elapsed,
        # CPU of this process and of the planning workers (the database server's is not in it):
        # steadier than wall time when other work shares the machine.
        "cpu_seconds": cpu,
        "workers": len(helpers),
        "workers_cpu_seconds": sum(h["cpu_seconds"] for h in helpers),
        "looked_at": report.looked_at,
        "planned": report.planned,
        "rows": rows,
        # Peak memory of each worker; the tick's own is peak_rss_mb below.
        "workers_peak_rss_mb": [round(h["peak_rss_mb"], 1) for h in helpers],
    }


def _helper_processes(app) -> list[dict]:
    """Peak memory (VmHWM) and CPU of the planning workers, from /proc."""
    found = []
    for worker in app.planners._all:
        pid = worker.process.pid
        found.append({"peak_rss_mb": _status(pid, "VmHWM") / 1024, "cpu_seconds": _cpu_seconds(pid)})
    return found


def _status(pid: int, field: str) -> int:
    """A number from ``/proc/<pid>/status``: the first word after ``field:``."""
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith(f"{field}:"))


def _cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """A process's CPU from ``/proc/<pid>/stat`` (utime + stime), and with ``reaped`` that of its
    children that have exited and been waited for too (cutime + cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11 : 15 if reaped else 13]) / os.sysconf("SC_CLK_TCK")


def run_floor(url: str) -> dict:
    engine = create_engine(sync_url(url))
    sqlite = backend(url) == "sqlite"
    mark = "?" if sqlite else "%s"
    insert_sql = (
        "INSERT INTO deliveries (key, person_id, offer_id, category, platform, address, message, status,"
        " attempts, not_before, created_at) VALUES (" + ", ".join([mark] * 11) + ")"
    )
    update_sql = f"UPDATE people SET next_due_at = {mark} WHERE id = {mark}"
    stamp = NOW.replace(tzinfo=None) if sqlite else NOW
    since = activities_read_since(NOW).replace(tzinfo=None) if sqlite else activities_read_since(NOW)
    message = json.dumps({"blocks": [{"type": "Text", "text": "x" * 400}], "fallback": "x" * 200})
    started, inserted, last_id = time.perf_counter(), 0, 0
    with engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    while True:
        with engine.begin() as connection:
            # The driver's own rows, as the tick reads them (no SQLAlchemy type processing).
            people = connection.exec_driver_sql(
                f"SELECT * FROM people WHERE id > {last_id} AND next_due_at IS NULL ORDER BY id LIMIT {BATCH}"
            ).all()
            if not people:
                break
            ids = ",".join(str(p.id) for p in people)
            # One row per person (it holds their planning summary), the recent activities the rules
            # read, the identities: what the tick reads of everyone. Offers are not read at all.
            connection.exec_driver_sql(
                f"SELECT * FROM activities WHERE person_id IN ({ids}) AND at >= {mark}", (since,)
            ).all()
            connection.exec_driver_sql(f"SELECT * FROM identities WHERE person_id IN ({ids})").all()
            rows = [
                (f"floor/{p.id}", p.id, f"o{p.id}", "step", "slack", "D", message, "pending", 0, stamp, stamp)
                for p in people
            ]
            cursor = connection.connection.driver_connection.cursor()
            cursor.executemany(insert_sql, rows)
            cursor.executemany(update_sql, [(stamp, p.id) for p in people])
            inserted += len(rows)
            last_id = people[-1].id
    elapsed = time.perf_counter() - started
    engine.dispose()
    return {"mode": "floor", "seconds": elapsed, "looked_at": inserted, "planned": inserted, "rows": inserted}


def _postmaster(url: str) -> int | None:
    """The pid of the PostgreSQL server's postmaster, if it runs on this machine where this user can
    read it (else None, and for SQLite). Its counters for reaped children hold the CPU of every
    backend that has exited: the tick's, once it closes its connections."""
    if backend(url) == "sqlite":
        return None
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    finally:
        engine.dispose()
    try:  # a server elsewhere: that pid, if it exists here, is some other program
        if not Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"postgres"):
            return None
        return _status(pid, "PPid")
    except OSError:
        return None


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    postmaster = _postmaster(url)
    server_before = _cpu_seconds(postmaster, reaped=True) if postmaster else 0.0
    result = asyncio.run(run_tick(url)) if mode == "tick" else run_floor(url)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if postmaster:
        time.sleep(1)  # for the postmaster to reap the backends that just exited
        # The server's CPU for this run: its backends' (and any autovacuum worker's that ended
        # meanwhile); its long-lived helpers (the WAL writer, the checkpointer) are not in it.
        result["server_cpu_seconds"] = round(_cpu_seconds(postmaster, reaped=True) - server_before, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
