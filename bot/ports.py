"""Ports the shell talks to; each platform adapter provides an implementation.

A ``Sender`` delivers neutral messages proactively (nudges from the scheduler) and updates a sent
message in place. Failures are reported as the exceptions below so delivery can decide what to do
without knowing any platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from nudges.messages import Message


class DeliveryError(Exception):
    """Base of every delivery failure."""


class Unreachable(DeliveryError):
    """The person removed the app, left, or blocked the bot: do not retry."""


class RateLimited(DeliveryError):
    def __init__(self, retry_after: float, detail: str = "") -> None:
        super().__init__(detail or f"rate limited; retry after {retry_after}s")
        self.retry_after = retry_after


class TransientError(DeliveryError):
    """A 5xx or a dropped connection: retry with backoff."""


@dataclass(frozen=True)
class Sent:
    message_ref: str  # the platform's id of the message (Slack ts, Teams activity id)
    address: str  # where it went (may be refined, e.g. the DM channel Slack opened)


class Sender(Protocol):
    platform: str

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        """Deliver ``message`` to ``address``. ``key`` is the outbox idempotency key, which a
        platform may attach as metadata so a possibly-sent message can be found again."""
        ...

    async def update(self, address: str, message_ref: str, message: Message) -> None: ...
