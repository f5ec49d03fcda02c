"""The turn processes a serving process starts beside itself under ``TURNS=worker`` (issue 17).

``TURNS=worker`` takes the turns off the event loop that acknowledges Slack's and Teams' requests:
``serve`` only acknowledges, deduplicates in memory and writes each event to ``inbound_events``;
``journeybot turns`` processes drain that table (``bot/conversation/inbox.py``). So that one command
(``journeybot run``, ``make run``, a container's ``serve``) still answers, ``serve`` starts
``TURN_PROCESSES`` of them itself, at the lowest CPU priority (``TURN_NICE``): on a shared machine
the acks (latency, a few hundred microseconds each) come before the turns (throughput, milliseconds
each), and a burst slows the answers, never the acks. ``TURN_PROCESSES=0`` runs none here (run
``journeybot turns`` elsewhere, as many as the database serves).

Each is ``python -m bot.main.cli turns`` with this process's environment (so the same settings),
restarted if it dies, asked to stop with SIGINT (it finishes the turns it holds, like ``serve``) when
the server stops, and stopping by itself if the server is gone (``--parent``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from contextlib import suppress

log = logging.getLogger("journeybot.turns")
TURN_NICE = 19  # the lowest priority: turns get the CPU the acks leave
RESTART_SECONDS = 5.0
STOP_SECONDS = 15.0  # the inbox's grace (10 s) and a margin


class TurnProcesses:
    def __init__(self, count: int) -> None:
        self.count = count
        self._processes: list[asyncio.subprocess.Process] = []
        self._watching: asyncio.Task[None] | None = None
        self._stopping = False

    async def start(self) -> None:
        self._processes = [await self._spawn() for _ in range(self.count)]
        self._watching = asyncio.create_task(self._watch())
        log.info("started %d turn process(es) (TURNS=worker)", self.count)

    async def _spawn(self) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.main.cli", "turns", "--nice", str(TURN_NICE),
            "--parent", str(os.getpid()),
        )  # fmt: skip

    async def _watch(self) -> None:
        """Restart a turn process that died (its claimed events come back after their lease)."""
        while not self._stopping:
            await asyncio.sleep(RESTART_SECONDS)
            for n, process in enumerate(self._processes):
                if process.returncode is not None and not self._stopping:
                    log.error(
                        "turn process %d exited with %s; starting another", process.pid, process.returncode
                    )
                    self._processes[n] = await self._spawn()

    async def stop(self) -> None:
        self._stopping = True
        if self._watching is not None:
            self._watching.cancel()
            with suppress(asyncio.CancelledError):
                await self._watching
        for process in self._processes:
            if process.returncode is None:
                with suppress(ProcessLookupError):
                    process.send_signal(signal.SIGINT)
        for process in self._processes:
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                with suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        self._processes = []
