"""Clocks for a scheduler pass run by hand."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta


def advancing_clock(
    start: datetime, monotonic: Callable[[], float] = time.monotonic
) -> Callable[[], datetime]:
    """A clock that reads ``start`` now and then advances as ``monotonic`` does.

    ``journeybot tick --at``: the pass starts at that instant and moves on with real time, so
    delivery's window checks read that day and the rate limiter, which really sleeps, sees its slots
    come (a frozen clock made every wait look as long as the queue ahead of it)."""
    origin = monotonic()
    return lambda: start + timedelta(seconds=monotonic() - origin)
