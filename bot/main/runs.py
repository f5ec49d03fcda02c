"""Processes and one-off runs built on the composition root: build an ``App``, run, close it.

The CLI (``bot/main/cli.py``) parses arguments and calls these; the web server's own run is
``bot/main/server.py::serve_forever``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from bot.main.build import App, build, utc_now
from bot.main.stopping import until_stopped
from bot.scheduling.clock import advancing_clock
from bot.scheduling.jobs import start_scheduler
from bot.scheduling.tick import TickReport, tick
from bot.settings import Settings

T = TypeVar("T")


async def run_with_app(settings: Settings, work: Callable[[App], Awaitable[T]], **build_args: Any) -> T:
    """Build the application, run ``work`` with it, and close it again whatever happens."""
    app = await build(settings, **build_args)
    try:
        return await work(app)
    finally:
        await app.close()


async def tick_once(
    settings: Settings,
    instant: datetime,
    *,
    plan_only: bool = False,
    fixed: bool = True,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> TickReport:
    """What ``journeybot tick`` runs: plan at ``instant``, then deliver.

    With ``--at`` (``fixed``), the pass starts at that instant and the clock moves on from there with
    real time (``advancing_clock``). ``monotonic`` and ``sleep`` are injected so tests can run it on
    fake time."""
    clock = advancing_clock(instant, monotonic) if fixed else utc_now

    async def work(app: App) -> TickReport:
        delivery = None if plan_only else app.delivery(sleep=sleep)
        return await tick(app.planning, instant, delivery=delivery)

    return await run_with_app(settings, work, clock=clock)


async def run_worker(settings: Settings) -> None:
    """``journeybot worker``: the scheduler and delivery only, no web endpoints."""
    app = await build(settings)
    scheduler = start_scheduler(app.tick_job())
    try:
        await until_stopped()
    finally:
        scheduler.shutdown(wait=False)
        await app.close()
