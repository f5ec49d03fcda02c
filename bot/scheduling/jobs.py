"""APScheduler in the process: one interval job, every ``TICK_SECONDS``, that runs one tick.

When each person is next due is data (``people.next_due_at``), not a job: there is exactly one job
per process, kept in memory (no pickled job store), so any number of replicas can run it against one
PostgreSQL and a restart loses nothing. ``max_instances=1`` and ``coalesce`` mean a slow tick (a
long rate-limited delivery) delays the next one instead of stacking them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.deliver import Delivery
from bot.scheduling.tick import Planning, TickReport, tick

log = logging.getLogger("journeybot.scheduler")
# APScheduler logs every run of every job at INFO: once a minute, forever. Our own line says more.
logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
JOB_ID = "tick"


@dataclass(frozen=True)
class TickJob:
    """What the one job needs; the composition root (``bot/main``) fills it in."""

    planning: Planning
    delivery: Delivery
    clock: Callable[[], datetime]
    seconds: int  # TICK_SECONDS


async def scheduled_tick(job: TickJob) -> TickReport | None:
    """One tick that never raises: a database hiccup must not stop the schedule."""
    now = job.clock()
    try:
        # Deliver for most of the interval at most, so the next tick's planning is not held up.
        deadline = now + timedelta(seconds=job.seconds * 0.9)
        report = await tick(job.planning, now, delivery=job.delivery, deadline=deadline)
    except Exception:
        log.exception("tick at %s failed; the next one will try again", now.isoformat())
        return None
    if report.planned or (report.delivered and str(report.delivered) != "nothing to deliver"):
        log.info("tick: planned %d of %d due; %s", report.planned, report.looked_at, report.delivered)
    return report


def start_scheduler(job: TickJob, *, paused: bool = False) -> AsyncIOScheduler:
    """Start the one tick job on the running event loop (the first run is right away)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        scheduled_tick,
        "interval",
        args=(job,),
        seconds=job.seconds,
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    scheduler.start(paused=paused)
    log.info("scheduler: one tick every %ss; senders: %s", job.seconds, ", ".join(job.delivery.senders))
    return scheduler
