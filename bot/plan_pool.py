"""Worker processes that plan batches of a big tick, so every core works on it.

Deciding for a person is pure CPU (the engine, rendering, encoding) and the GIL lets one process
use one core; a tick that finds a whole organisation due at once (everyone's Monday morning) would
leave the other cores idle. So the tick hands batches to a small process pool and goes on reading
and writing other batches meanwhile. Small ticks, the usual minute-by-minute case, never start it.

Workers are started by a fork server that preloaded this module (no SQLAlchemy, no platform SDKs:
``bot/plan_batch.py`` has no database), once per process lifetime, and stopped with the app. A tick's
shared context (the library, mostly) is pickled once per tick and unpickled once per worker.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import pickle
import secrets
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from bot.plan_batch import BatchRows, Context, Planned, plan_rows

# Beyond this many planners the database is the bottleneck, not the engine.
MAX_AUTO_WORKERS = 4

_context: tuple[str, Context] | None = None  # in a worker: the tick it last planned for


def _plan(token: str, context: bytes, rows: BatchRows) -> Planned:
    global _context
    if _context is None or _context[0] != token:
        _context = (token, pickle.loads(context))
    with collector_paused():
        return plan_rows(_context[1], rows)


def auto_workers() -> int:
    """One planner per core; none on a single core, where a pool only adds copying."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_AUTO_WORKERS)


class Planners:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def for_tick(self, context: Context) -> TickPlanners:
        return TickPlanners(self, context)

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            forkserver = multiprocessing.get_context("forkserver")
            forkserver.set_forkserver_preload([__name__])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=forkserver)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class TickPlanners:
    """Plans one tick's batches, here or in the pool (``use_pool``, decided on the first batch)."""

    def __init__(self, planners: Planners, context: Context) -> None:
        self.planners, self.context = planners, context
        self.token = secrets.token_hex(8)
        self.in_pool = False
        self._pickled: bytes | None = None

    def use_pool(self) -> bool:
        self.in_pool = self.planners.workers > 0
        return self.in_pool

    @property
    def depth(self) -> int:
        """Batches worth having in flight: one per worker, and one being read or written."""
        return self.planners.workers + 1 if self.in_pool else 1

    def plan(self, rows: BatchRows) -> asyncio.Future[Planned]:
        if not self.in_pool:
            done: asyncio.Future[Planned] = asyncio.get_running_loop().create_future()
            with collector_paused():
                done.set_result(plan_rows(self.context, rows))
            return done
        if self._pickled is None:
            self._pickled = pickle.dumps(self.context)
        pool = self.planners.pool()
        return asyncio.get_running_loop().run_in_executor(pool, _plan, self.token, self._pickled, rows)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is read, planned or written.

    A batch allocates hundreds of thousands of short-lived objects (rows, engine values, messages)
    that reference counting frees on its own; the collector still walked them over and over, about
    12 % of a tick's CPU. Whatever cycles a batch leaves are collected once it is back on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
