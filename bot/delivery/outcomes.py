"""What a failed send, or the check of a send that may have happened, does to its outbox row.

- A 429 is the platform pacing us: back to pending at ``Retry-After``, the scope paused, not counted.
- ``Unreachable``: the person's rows are dead and the person marked (``Outbox.mark_unreachable``).
- ``CredentialsRejected``: the workspace's configuration, not the person's or the message's fault:
  back to pending, the workspace held (``bot/delivery/holds.py``), not counted.
- ``MaybeSent`` (and any unexpected error, which may come after the platform had the message):
  never resent blindly. With ``find`` the row stays "sending" and is checked after a backoff;
  without it, uncertain.
- ``TransientError``: certainly not delivered: retried with backoff, dead after ``max_attempts``.
- Any other ``DeliveryError``: the platform refused this message for good: dead.

``reconcile`` is the check: found → sent; not found → retried (counted); the check failing is
counted too, and after ``max_attempts`` the row is uncertain, never resent.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.delivery.holds import WorkspaceHolds
from bot.delivery.models import DEAD, FAILED, PENDING, SENDING, UNCERTAIN
from bot.delivery.outbox import Claimed, Outbox
from bot.delivery.ratelimit import RateLimiter
from bot.delivery.report import DeliveryReport, backoff
from bot.delivery.senders import Reconciling, workspace_of
from bot.ports import (
    CredentialsRejected,
    DeliveryError,
    MaybeSent,
    RateLimited,
    Sender,
    TransientError,
    Unreachable,
)


class Outcomes:
    def __init__(
        self,
        outbox: Outbox,
        limiter: RateLimiter,
        clock: Callable[[], datetime],
        rng: random.Random,
        max_attempts: int,
    ) -> None:
        self.outbox, self.limiter, self.clock = outbox, limiter, clock
        self.rng, self.max_attempts = rng, max_attempts
        self.holds = WorkspaceHolds()

    async def send_failed(
        self, row: Claimed, sender: Sender, error: Exception, report: DeliveryReport
    ) -> None:
        workspace = workspace_of(sender, row.address)
        if isinstance(error, RateLimited):
            self.limiter.back_off(row.platform, workspace, row.address, error.retry_after)
            later = self.clock() + timedelta(seconds=error.retry_after)
            moved = await self.outbox.move(
                row.id, SENDING, status=PENDING, not_before=later, lease_until=None, last_error=str(error)
            )
            report.count("rate_limited", moved)
        elif isinstance(error, Unreachable):
            marked = await self.outbox.mark_unreachable(row, f"unreachable: {error}", self.clock())
            report.count("unreachable", marked, row.category)
        elif isinstance(error, CredentialsRejected):
            until = self.holds.hold(row.platform, workspace, error, self.clock())
            moved = await self.outbox.move(
                row.id, SENDING, status=PENDING, not_before=until, lease_until=None, last_error=str(error)
            )
            report.count("held", moved)
        elif isinstance(error, MaybeSent) or not isinstance(error, DeliveryError):
            await self._maybe_sent(row, sender, f"{type(error).__name__}: {error}", report)
        elif isinstance(error, TransientError):
            await self.failed(row, f"{type(error).__name__}: {error}", report)
        else:  # refused for good (a 4xx)
            moved = await self.outbox.move(
                row.id, SENDING, status=DEAD, lease_until=None, last_error=f"refused: {error}"
            )
            report.count(DEAD, moved, row.category)

    async def reconcile(self, row: Claimed, sender: Sender, report: DeliveryReport) -> None:
        """A row left "sending" (a crash, or an answer that left it open whether the message arrived):
        look for it on the platform, and send again only if it is certainly not there."""
        if not isinstance(sender, Reconciling):
            note = "the send may have happened; not resent (this platform cannot check)"
            report.count(UNCERTAIN, await self._uncertain(row, note))
            return
        workspace, now = workspace_of(sender, row.address), self.clock()
        held = self.holds.until(row.platform, workspace, now)
        if held is not None:  # our credentials are refused there: checking would fail the same way
            await self.outbox.move(row.id, SENDING, lease_until=held)
            return
        try:
            found = await sender.find(row.address, row.key)
        except Unreachable as gone:
            marked = await self.outbox.mark_unreachable(row, f"unreachable: {gone}", self.clock())
            report.count("unreachable", marked, row.category)
            return
        except CredentialsRejected as refused:
            until = self.holds.hold(row.platform, workspace, refused, now)
            await self.outbox.move(row.id, SENDING, lease_until=until, last_error=str(refused))
            return
        except RateLimited as limited:  # the platform pacing us is no failure of the check
            later = now + timedelta(seconds=limited.retry_after)
            await self.outbox.move(row.id, SENDING, lease_until=later, last_error=str(limited))
            return
        except Exception as error:  # counted, so a check that keeps failing ends (uncertain, not resent)
            await self._check_failed(row, f"{type(error).__name__}: {error}", report)
            return
        if found is not None:
            self.holds.release(row.platform, workspace)
            report.count("reconciled", await self.outbox.record_sent(row, found, self.clock()), row.category)
        else:  # certainly not sent: send again, counted as an attempt in case it keeps crashing us
            await self.failed(row, "not found on the platform after a send that may have failed", report)

    async def failed(self, row: Claimed, error: str, report: DeliveryReport) -> None:
        """Certainly not delivered: retry after a backoff, or dead once the attempts are used up."""
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            moved = await self.outbox.move(
                row.id, SENDING, status=DEAD, attempts=attempts, lease_until=None, last_error=error
            )
            report.count(DEAD, moved, row.category)
            return
        retry = self.clock() + backoff(attempts, self.rng)
        values = {"status": FAILED, "attempts": attempts, "not_before": retry, "last_error": error}
        moved = await self.outbox.move(row.id, SENDING, lease_until=None, **values)
        report.count(FAILED, moved, row.category)

    async def _maybe_sent(self, row: Claimed, sender: Sender, error: str, report: DeliveryReport) -> None:
        """The platform may have the message: with ``find``, the row stays "sending" and is checked
        once a backoff has passed (by then an accepted message is there to be found); the check
        counts the attempt. Without ``find``: uncertain."""
        if not isinstance(sender, Reconciling):
            report.count(UNCERTAIN, await self._uncertain(row, f"{error}; it may have arrived: not resent"))
            return
        check = self.clock() + backoff(row.attempts + 1, self.rng)
        note = f"{error}; checking whether it arrived before sending again"
        report.count("unsure", await self.outbox.move(row.id, SENDING, lease_until=check, last_error=note))

    async def _check_failed(self, row: Claimed, error: str, report: DeliveryReport) -> None:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            note = f"could not check whether it was sent ({error}); not resent"
            report.count(UNCERTAIN, await self._uncertain(row, note, attempts=attempts))
            return
        retry = self.clock() + backoff(attempts, self.rng)
        await self.outbox.move(
            row.id, SENDING, attempts=attempts, lease_until=retry, last_error=f"check failed: {error}"
        )

    async def _uncertain(self, row: Claimed, note: str, **values: Any) -> bool:
        return await self.outbox.move(
            row.id, SENDING, status=UNCERTAIN, lease_until=None, last_error=note, **values
        )
