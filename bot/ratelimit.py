"""Per-platform rate limits, as the platforms publish them, shared by every send of one process.

A limit is a rate with a burst, kept as a GCRA ("generic cell rate algorithm") per scope: each scope
remembers the theoretical arrival time of its next message. ``reserve`` is atomic (no await inside),
so concurrent senders of one event loop never overshoot; the caller then sleeps until its slot.

A message counts against two scopes at once: its conversation (a Slack channel / DM, a Teams
conversation) and its workspace or tenant. A 429 pushes both back by ``Retry-After``: the platform
does not say which of the two it hit, and waiting too long costs seconds while guessing wrong costs
another 429.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int = 1


@dataclass(frozen=True)
class PlatformLimits:
    per_conversation: Rate
    per_workspace: Rate


# Slack chat.postMessage: "one message per second per channel, while also maintaining a workspace-wide
# limit" (the workspace figure is unpublished; a few hundred a minute is the documented experience,
# so 5/s is a conservative default, a setting). Teams: 7 per second per conversation and about 30
# requests per second per tenant for a bot.
DEFAULT_LIMITS: dict[str, PlatformLimits] = {
    "slack": PlatformLimits(Rate(1.0, 1), Rate(5.0, 5)),
    "teams": PlatformLimits(Rate(7.0, 7), Rate(30.0, 30)),
}
UNLIMITED = PlatformLimits(Rate(1e9, 10**9), Rate(1e9, 10**9))
# Forget scopes whose slot has passed once this many are remembered (one per DM would grow forever).
PRUNE_ABOVE = 10_000


class RateLimiter:
    def __init__(
        self,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]],
        limits: dict[str, PlatformLimits] | None = None,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.limits = DEFAULT_LIMITS if limits is None else limits
        self._tat: dict[tuple[str, str, str], datetime] = {}  # scope -> theoretical arrival time

    def _scopes(self, platform: str, workspace: str, address: str) -> list[tuple[tuple[str, str, str], Rate]]:
        limits = self.limits.get(platform, UNLIMITED)
        return [
            ((platform, f"conversation:{workspace}", address), limits.per_conversation),
            ((platform, "workspace", workspace), limits.per_workspace),
        ]

    def reserve(self, platform: str, workspace: str, address: str) -> float:
        """Book the earliest slot all scopes allow; returns the seconds to wait for it."""
        now = self.clock()
        if len(self._tat) > PRUNE_ABOVE:
            self._tat = {scope: tat for scope, tat in self._tat.items() if tat > now}
        scopes = self._scopes(platform, workspace, address)
        start = now
        for scope, rate in scopes:
            start = max(start, self._tat.get(scope, now) - _tolerance(rate))
        for scope, rate in scopes:
            self._tat[scope] = max(self._tat.get(scope, now), start) + timedelta(seconds=1 / rate.per_second)
        return (start - now).total_seconds()

    async def acquire(self, platform: str, workspace: str, address: str) -> None:
        wait = self.reserve(platform, workspace, address)
        if wait > 0:
            await self.sleep(wait)

    def back_off(self, platform: str, workspace: str, address: str, retry_after: float) -> None:
        """The platform said 429: nothing more to these scopes until ``retry_after`` has passed."""
        until = self.clock() + timedelta(seconds=retry_after)
        for scope, rate in self._scopes(platform, workspace, address):
            blocked = until + _tolerance(rate)  # no burst allowance before ``until`` either
            self._tat[scope] = max(self._tat.get(scope, blocked), blocked)


def _tolerance(rate: Rate) -> timedelta:
    """How far ahead of its theoretical arrival time a message may go: the burst."""
    return timedelta(seconds=(rate.burst - 1) / rate.per_second)
