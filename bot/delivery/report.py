"""What one delivery pass did (also exported as Prometheus counters), and the retry backoff."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import timedelta

from prometheus_client import Counter

from bot.observability.metrics import NUDGES

DELIVERIES = Counter("journeybot_deliveries", "Outbox rows by outcome of a delivery attempt", ["outcome"])
# Outcomes also counted per kind of nudge (journeybot_nudges_total): "unreachable" rows end dead.
BY_KIND = {"sent": "sent", "reconciled": "sent", "failed": "failed", "dead": "dead", "unreachable": "dead"}

# A failed send is retried after 30 s, 1, 2, 4 … minutes (at most an hour), each ±50 % at random so a
# platform that comes back from an outage is not hit by every worker's retries in the same second.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int, rng: random.Random) -> timedelta:
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1))
    return delay * rng.uniform(0.5, 1.5)


@dataclass
class DeliveryReport:
    sent: int = 0
    rate_limited: int = 0
    failed: int = 0  # will be retried
    dead: int = 0
    unreachable: int = 0
    deferred: int = 0  # outside the person's window now: waits for its next start
    expired: int = 0  # a nudge whose local day ended before it could go: not sent late
    cancelled: int = 0  # the person opted out after it was planned
    recovered: int = 0  # claimed by a worker that died before sending: pending again
    reconciled: int = 0  # left "sending" by a dead worker, found on the platform: sent
    uncertain: int = 0  # left "sending", cannot be checked: not resent
    unsure: int = 0  # the platform may have it (a timeout, a 5xx): checked through find before a resend
    held: int = 0  # its workspace refused our credentials: back to pending, nobody marked unreachable
    away: int = 0  # the person is away (a status, Do Not Disturb): not today, looked at in the next window

    def count(self, outcome: str, happened: bool, kind: str | None = None) -> None:
        """Count ``outcome`` if it ``happened``; ``kind`` is the row's category (intro, nudge …)."""
        if happened:
            setattr(self, outcome, getattr(self, outcome) + 1)
            DELIVERIES.labels(outcome).inc()
            if outcome in BY_KIND:
                NUDGES.labels(kind or "unknown", BY_KIND[outcome]).inc()

    def __str__(self) -> str:
        parts = [f"{f.name} {getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name)]
        return ", ".join(parts) or "nothing to deliver"
