"""What ``/readyz`` answers: is this replica able to do its work, and if not, why.

Two kinds of check. The database's (reachable, migrations at head) is asked again at every call: it
is cheap and can change at any moment. A platform's credentials are checked by the platform adapter
when it can (Slack's ``auth.test``, a Teams token, Socket Mode connected, Teams' signing keys); the
adapter records the answer here under a name, and ``/readyz`` reports every name that is not ok.
A name starts as not ok ("not checked yet") when it is registered, so a replica is not ready
before its credentials were verified at least once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger("journeybot.readiness")
Check = Callable[[], Awaitable[str | None]]
# How long /readyz waits for a live check (the database) before calling it a problem.
CHECK_TIMEOUT_SECONDS = 5.0
# A healing problem is retried after 1, 2, 4 … seconds, at most this long apart.
MAX_BACKOFF_SECONDS = 300.0


class Readiness:
    def __init__(self) -> None:
        self._states: dict[str, str | None] = {}
        self._checks: dict[str, Check] = {}

    def expect(self, name: str, why: str = "not checked yet") -> None:
        """Register something that must be verified before this replica is ready."""
        self._states.setdefault(name, why)

    def ok(self, name: str) -> None:
        if self._states.get(name):
            log.info("%s: ok now", name)
        self._states[name] = None

    def problem(self, name: str, why: str) -> None:
        self._states[name] = why

    def add_check(self, name: str, check: Check) -> None:
        """A check run at every ``/readyz``: ``None`` when fine, otherwise what is wrong."""
        self._checks[name] = check

    async def problems(self) -> dict[str, str]:
        found = {name: why for name, why in self._states.items() if why}
        for name, check in self._checks.items():
            try:
                why = await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
            except TimeoutError:
                why = f"no answer within {CHECK_TIMEOUT_SECONDS:g} s"
            except Exception as error:  # a failing check is an answer, never a 500
                why = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}".rstrip(
                    ": "
                )
            if why:
                found[name] = why
        return found

    def names(self) -> list[str]:
        return [*self._checks, *self._states]


READINESS = web.AppKey("readiness", Readiness)


def backoff(failures: int) -> float:
    """Seconds before the next try after ``failures`` failures in a row: 1, 2, 4 … at most 5 minutes."""
    return float(min(MAX_BACKOFF_SECONDS, 2 ** max(failures - 1, 0)))
