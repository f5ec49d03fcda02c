"""Worker processes that plan the batches of a big tick, so every core works on it.

Deciding for a person is pure CPU (the engine, rendering, encoding), and one process uses one core;
a tick that finds a whole organisation due at once (everyone's Monday morning) would leave the other
cores idle. So the tick hands batches to a few worker processes and goes on claiming and writing
other batches meanwhile. Small ticks, the usual minute-by-minute case, never start them.

A worker is ``python -m bot.scheduling.worker``: it imports the engine and ``bot/scheduling/batch.py`` only (no
database, no SQLAlchemy, no platform SDK), then answers pickled batches on its standard input with
pickled plans on its standard output. Not ``concurrent.futures.ProcessPoolExecutor``: its workers
re-run the parent's main module (for us, the whole bot's imports), which made each start cost close
to a second of CPU and 50 MB more memory. Workers start with the first big tick and stop with the
app. A tick's shared context (the library, mostly) goes to each worker once per tick.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import secrets
import sys

from bot.scheduling.batch import BatchRows, Context, Planned, collector_paused, plan_rows
from bot.scheduling.worker import FRAME, PIPE_BYTES, write_frame

# Beyond this many planners the database is the bottleneck, not the engine.
MAX_AUTO_WORKERS = 4


def auto_workers() -> int:
    """One planner per core; none on a single core, where workers only add copying."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_AUTO_WORKERS)


class PlanningFailed(RuntimeError):
    """A worker could not plan a batch (its error, or its death); the tick stops."""


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.token: str | None = None  # the tick whose context this worker holds

    @classmethod
    async def start(cls) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.scheduling.worker", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, limit=2 * PIPE_BYTES,  # an answer is read in big pieces too
        )  # fmt: skip
        return cls(process)

    async def plan(self, token: str, context: bytes, rows: BatchRows) -> Planned:
        """Plan ``rows`` there; a failure in the worker's planning raises ``PlanningFailed`` and
        leaves it usable, anything else (it died, or this was cancelled halfway) breaks it."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        write_frame(stdin, (token, None if token == self.token else context, rows))
        try:
            await stdin.drain()
            size = FRAME.unpack(await stdout.readexactly(FRAME.size))[0]
            ok, answer = pickle.loads(await stdout.readexactly(size))
        except (ConnectionError, asyncio.IncompleteReadError) as gone:
            raise _Broken(f"a planning worker exited (code {self.process.returncode})") from gone
        self.token = token
        if not ok:
            raise PlanningFailed(f"a planning worker could not plan a batch:\n{answer}")
        assert isinstance(answer, Planned)  # what worker.main() answers when it could plan
        return answer

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()

    async def stop(self) -> None:
        if self.process.returncode is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # end of input: the worker exits
            await self.process.wait()


class _Broken(PlanningFailed):
    """The worker is gone or out of step with us: it is not used again."""


class Planners:
    """The app's planning workers: none until a big tick, then ``workers`` of them, kept."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._free: asyncio.Condition | None = None
        self._starting = 0

    def for_tick(self, context: Context) -> TickPlanners:
        return TickPlanners(self, context)

    @property
    def started(self) -> int:
        return len(self._all)

    async def plan(self, token: str, context: bytes, rows: BatchRows) -> Planned:
        worker = await self._take()
        try:
            planned = await worker.plan(token, context, rows)
        except (_Broken, asyncio.CancelledError):  # out of step with us: replaced on demand
            worker.kill()
            self._all.remove(worker)
            await self._give_back(None)
            raise
        except BaseException:
            await self._give_back(worker)
            raise
        await self._give_back(worker)
        return planned

    async def _take(self) -> _Worker:
        """An idle worker, or a new one while there are fewer than ``workers``."""
        self._free = free = self._free or asyncio.Condition()
        async with free:
            await free.wait_for(lambda: self._idle or len(self._all) + self._starting < self.workers)
            if self._idle:
                return self._idle.pop()
            self._starting += 1
        try:
            worker = await _Worker.start()
        finally:
            async with free:
                self._starting -= 1
        self._all.append(worker)
        return worker

    async def _give_back(self, worker: _Worker | None) -> None:
        assert self._free is not None
        async with self._free:
            if worker is not None:
                self._idle.append(worker)
            self._free.notify()

    async def close(self) -> None:
        await asyncio.gather(*(worker.stop() for worker in self._all))
        self._idle, self._all, self._free = [], [], None


class TickPlanners:
    """Plans one tick's batches, here or in the workers (``use_workers``, decided on the first batch)."""

    def __init__(self, planners: Planners, context: Context) -> None:
        self.planners, self.context = planners, context
        self.token = secrets.token_hex(8)
        self.in_workers = False
        self._pickled: bytes | None = None

    def use_workers(self) -> None:
        self.in_workers = self.planners.workers > 0

    @property
    def depth(self) -> int:
        """Batches worth having in flight: one per worker, and one being claimed or written."""
        return self.planners.workers + 1 if self.in_workers else 1

    def plan(self, rows: BatchRows) -> asyncio.Future[Planned]:
        loop = asyncio.get_running_loop()
        if not self.in_workers:
            done: asyncio.Future[Planned] = loop.create_future()
            with collector_paused():
                done.set_result(plan_rows(self.context, rows))
            return done
        if self._pickled is None:
            self._pickled = pickle.dumps(self.context, protocol=5)
        return asyncio.ensure_future(self.planners.plan(self.token, self._pickled, rows))
