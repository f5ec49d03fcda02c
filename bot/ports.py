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
    """The message certainly did not get there this time (the connection was refused, a token could
    not be had): retry with backoff."""


class MaybeSent(TransientError):
    """The request may have reached the platform before the failure (a timeout, a connection dropped
    after the request went out, a 5xx): the message may exist. Delivery asks the Sender's ``find``
    before sending it again, or, without ``find``, gives it up as uncertain rather than risk a second
    copy."""


class CredentialsRejected(DeliveryError):
    """The platform refused our own credentials or configuration for a whole workspace or tenant (a
    bad, revoked or expired token, a missing scope). Nothing is wrong with the person or the message:
    it waits until an admin fixes the configuration."""


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
