"""Waiting until a long-running command is asked to stop.

Ctrl-C (SIGINT) already stops ``serve``, ``worker`` and ``turns`` cleanly: asyncio turns it into a
cancellation, and each command's ``finally`` lets its inboxes finish what they hold and closes its
connections. SIGTERM is what deployments send (``docker stop``, Kubernetes, systemd), and Python's
default for it ends the process on the spot, as a kill would: the events a serving process had
acknowledged and not yet written were lost, and a turn process's claims waited out their lease.
Here SIGTERM stops the same way as Ctrl-C.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable

log = logging.getLogger("journeybot")


async def until_stopped(also: Awaitable[None] | None = None) -> None:
    """Return on SIGTERM, or when ``also`` returns (a turn process: its server is gone)."""
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()

    def on_sigterm() -> None:
        log.info("SIGTERM: stopping")
        stopped.set()

    loop.add_signal_handler(signal.SIGTERM, on_sigterm)
    waits: list[asyncio.Future[object]] = [asyncio.ensure_future(stopped.wait())]
    if also is not None:
        waits.append(asyncio.ensure_future(also))
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
        loop.remove_signal_handler(signal.SIGTERM)
