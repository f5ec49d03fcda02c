"""Per-platform rate limits, as the platforms publish them, shared by every send of one process.

A limit is a rate with a burst, kept as a GCRA ("generic cell rate algorithm") per scope: each scope
remembers the theoretical arrival time of its next message. A message counts against two scopes at
once: its conversation (a Slack channel / DM, a Teams conversation) and its workspace or tenant.

- **Booked when it goes, not ahead.** ``take`` books a message only if every scope allows it now;
  otherwise it says how long to wait and books nothing, and ``acquire`` sleeps and asks again. A
  message waiting for a busy conversation therefore holds no workspace slot that others could use,
  and after the event loop stalls, no pile of slots booked earlier fires at once: at most the burst
  goes together. (``take`` has no await inside, so the senders of one event loop never overshoot.)
- **Spaced again right before the call** (``dispatch``): between the slot and the call the row is
  marked as being sent, and rows that shared that commit come back from it together; a second set
  of the same scopes spaces the calls themselves.
- **Paced under the published figure** (``PACE``): the platform counts arrivals, which jitter by a
  few milliseconds with the network and our own work between booking and sending, and each 429
  costs at least a whole second of ``Retry-After``, far more than the headroom.
- **A 429 pauses the scope that was hit**, for exactly ``Retry-After``. The platform does not say
  which of the two limits it enforced: if this conversation had another message less than one and
  a half of its intervals before, the conversation's (only that conversation waits); otherwise the
  workspace's (every conversation there waits, other workspaces go on). A wrong guess corrects
  itself: the next 429, from a conversation that was not busy, pauses the workspace.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.observability.metrics import RATE_LIMIT_WAIT_SECONDS, RATE_LIMIT_WAITS, RATE_LIMITED


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
PACE = 0.95  # the share of each published rate we send at
# A conversation whose previous message went less than this many of its intervals before the one a
# 429 refused is taken to be the scope that was hit.
BUSY_INTERVALS = 1.5
# Forget scopes whose slot has passed once this many are remembered (one per DM would grow forever).
PRUNE_ABOVE = 10_000
Scope = tuple[str, str, str]
CALL = "call:"  # the scopes ``dispatch`` spaces the platform calls by


class RateLimiter:
    def __init__(
        self,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]],
        limits: dict[str, PlatformLimits] | None = None,
        pace: float = PACE,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.limits = DEFAULT_LIMITS if limits is None else limits
        self.pace = pace
        self._tat: dict[Scope, datetime] = {}  # scope -> theoretical arrival time
        self._sent: dict[Scope, tuple[datetime | None, datetime]] = {}  # conversation -> last two bookings

    def _scopes(
        self, platform: str, workspace: str, address: str, phase: str = ""
    ) -> list[tuple[Scope, Rate]]:
        limits = self.limits.get(platform, UNLIMITED)
        return [
            ((platform, f"{phase}conversation:{workspace}", address), limits.per_conversation),
            ((platform, f"{phase}workspace", workspace), limits.per_workspace),
        ]

    def _interval(self, rate: Rate) -> timedelta:
        return timedelta(seconds=1 / (rate.per_second * self.pace))

    def _tolerance(self, rate: Rate) -> timedelta:
        """How far ahead of its theoretical arrival time a message may go: the burst."""
        return self._interval(rate) * (rate.burst - 1)

    def take(self, platform: str, workspace: str, address: str) -> float:
        """Book a message now if every scope allows it (0.0); otherwise the seconds to wait, unbooked."""
        scopes = self._scopes(platform, workspace, address)
        wait = self._take(scopes)
        if wait == 0:
            conversation, now = scopes[0][0], self.clock()
            last = self._sent.get(conversation)
            self._sent[conversation] = (last[1] if last else None, now)
        return wait

    async def acquire(self, platform: str, workspace: str, address: str) -> None:
        """Wait for a slot and book it (before the row is marked as being sent)."""
        while (wait := self.take(platform, workspace, address)) > 0:
            _waited(platform, wait)
            await self.sleep(wait)

    async def dispatch(self, platform: str, workspace: str, address: str) -> None:
        """Right before the platform call, once "sending" is committed: keep the calls themselves as
        far apart as their slots were. Rows that shared one commit (``bot/delivery/writes.py``) come
        back from it together, and would otherwise arrive at the platform in a clump; the wait is
        only ever that clump's spreading, since each row already holds a slot."""
        scopes = self._scopes(platform, workspace, address, phase=CALL)
        while (wait := self._take(scopes)) > 0:
            _waited(platform, wait)
            await self.sleep(wait)

    def _take(self, scopes: list[tuple[Scope, Rate]]) -> float:
        now = self.clock()
        if len(self._tat) > PRUNE_ABOVE:
            self._prune(now)
        start = now
        for scope, rate in scopes:
            tat = self._tat.get(scope)
            if tat is not None:
                start = max(start, tat - self._tolerance(rate))
        if start > now:
            return (start - now).total_seconds()
        for scope, rate in scopes:
            self._tat[scope] = max(self._tat.get(scope, now), now) + self._interval(rate)
        return 0.0

    def back_off(self, platform: str, workspace: str, address: str, retry_after: float) -> str:
        """The platform said 429: pause the scope it most likely enforced until ``retry_after`` has
        passed, for booking and for calling alike; returns which ("conversation" or "workspace")."""
        until = self.clock() + timedelta(seconds=retry_after)
        (conversation, per_conversation), _ = self._scopes(platform, workspace, address)
        previous, latest = self._sent.get(conversation, (None, None))
        busy = timedelta(seconds=BUSY_INTERVALS / per_conversation.per_second)
        hit = previous is not None and latest is not None and latest - previous < busy
        for phase in ("", CALL):
            scope, rate = self._scopes(platform, workspace, address, phase)[0 if hit else 1]
            blocked = until + self._tolerance(rate)  # nothing before ``until``, and no burst right at it
            self._tat[scope] = max(self._tat.get(scope, blocked), blocked)
        scope = "conversation" if hit else "workspace"
        RATE_LIMITED.labels(platform, scope).inc()
        return scope

    def _prune(self, now: datetime) -> None:
        self._tat = {scope: tat for scope, tat in self._tat.items() if tat > now}
        recent = now - timedelta(minutes=1)
        self._sent = {scope: sent for scope, sent in self._sent.items() if sent[1] > recent}


def _waited(platform: str, seconds: float) -> None:
    RATE_LIMIT_WAITS.labels(platform).inc()
    RATE_LIMIT_WAIT_SECONDS.labels(platform).inc(seconds)
