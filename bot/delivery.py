"""The delivery worker: claim ready outbox rows, send them under the rate limiter, record the outcome.

Per row: check the person's window again (a row may have waited: nothing goes out in quiet hours,
on a weekend or during a pause, whatever was planned), wait for a rate-limit slot, commit "sending",
call the platform, commit the outcome. A 429 puts the row back until ``Retry-After``; a 5xx or a
dropped connection retries with exponential backoff and jitter, and after ``max_attempts`` failures
the row is dead (kept, visible in ``journeybot outbox``); ``Unreachable`` marks the person.

Recovery, at the start of every pass: a row claimed by a worker that died before sending goes back
to pending (it was never handed over); a row left "sending" is reconciled through the Sender's
``find`` when it has one, and otherwise marked uncertain rather than sent a second time.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.db.database import Database
from bot.db.mapping import person_from_row
from bot.db.outbox_models import CANCELLED, CLAIMED, DEAD, EXPIRED, FAILED, PENDING, SENDING, UNCERTAIN
from bot.delivery_holds import WorkspaceHolds
from bot.delivery_report import DeliveryReport, backoff
from bot.delivery_senders import Reconciling, workspace_of
from bot.delivery_window import Expired, when_to_send
from bot.outbox import Claimed, Outbox
from bot.outbox_codec import decode
from bot.ports import (
    CredentialsRejected,
    DeliveryError,
    MaybeSent,
    RateLimited,
    Sender,
    TransientError,
    Unreachable,
)
from bot.ratelimit import DEFAULT_LIMITS, Rate, RateLimiter

__all__ = ["Delivery", "DeliveryReport"]


class Delivery:
    def __init__(
        self,
        database: Database,
        senders: dict[str, Sender],
        *,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        limiter: RateLimiter | None = None,
        worker: str | None = None,
        lease: timedelta = timedelta(minutes=5),
        batch: int = 50,
        concurrency: int = 1,
        max_attempts: int = 5,
        seed: int = 0,
    ) -> None:
        self.senders, self.clock, self.rng = senders, clock, rng or random.Random()
        self.seed = seed  # planning's RANDOM_SEED: a row that waits goes at the same spread minutes
        self.limiter = limiter or RateLimiter(clock, sleep)
        worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.outbox = Outbox(database, worker, lease)
        self.batch, self.concurrency, self.max_attempts = batch, concurrency, max_attempts
        self.holds = WorkspaceHolds()

    @classmethod
    def for_app(cls, app: Any, **options: Any) -> Delivery:
        settings = app.settings
        options.setdefault("concurrency", settings.delivery_concurrency)
        options.setdefault("max_attempts", settings.delivery_max_attempts)
        options.setdefault("seed", settings.random_seed or 0)
        limits = dict(DEFAULT_LIMITS)
        limits["slack"] = replace(limits["slack"], per_workspace=Rate(settings.slack_workspace_per_second, 5))
        options.setdefault("limiter", RateLimiter(app.clock, options.get("sleep", asyncio.sleep), limits))
        return cls(app.db, app.senders, clock=app.clock, **options)

    async def drain(self, deadline: datetime | None = None) -> DeliveryReport:
        """Recover, then deliver until nothing is ready now (or ``deadline`` passes)."""
        report = DeliveryReport()
        await self.recover(report)
        if self.concurrency <= 1:
            async for row, person in self._claimed(deadline):
                await self._deliver(row, person, report)
            return report
        # A pipeline: the next batch is claimed while the last rows of this one are still being
        # sent, so the sends in flight never drop to none between batches.
        queue: asyncio.Queue[tuple[Claimed, Any] | None] = asyncio.Queue(max(self.batch // 2, 1))

        async def produce() -> None:
            try:
                async for item in self._claimed(deadline):
                    await queue.put(item)
            finally:
                for _ in range(self.concurrency):
                    await queue.put(None)

        async def consume() -> None:
            while (item := await queue.get()) is not None:
                await self._deliver(*item, report)

        tasks = [asyncio.ensure_future(produce())] + [
            asyncio.ensure_future(consume()) for _ in range(self.concurrency)
        ]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        return report

    async def _claimed(self, deadline: datetime | None) -> AsyncIterator[tuple[Claimed, Any]]:
        """Claimed rows with their person, a batch at a time, until none is ready or the deadline."""
        while deadline is None or self.clock() < deadline:
            rows = await self.outbox.claim(self.senders.keys(), self.clock(), self.batch)
            if not rows:
                return
            people = await self.outbox.people({row.person_id for row in rows})
            for row in rows:
                yield row, people.get(row.person_id)

    async def recover(self, report: DeliveryReport) -> None:
        now = self.clock()
        for row in await self.outbox.take_expired(self.senders.keys(), CLAIMED, now):
            report.count("recovered", await self.outbox.release(row, now))
        for row in await self.outbox.take_expired(self.senders.keys(), SENDING, now):
            await self._reconcile(row, report)

    async def _reconcile(self, row: Claimed, report: DeliveryReport) -> None:
        """A row left "sending" (a crash, or an answer that left it open whether the message arrived):
        look for it on the platform, and send again only if it is certainly not there."""
        sender = self.senders[row.platform]
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
            report.count("unreachable", marked)
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
            report.count("reconciled", await self.outbox.record_sent(row, found, self.clock()))
        else:  # certainly not sent: send again, counted as an attempt in case it keeps crashing us
            await self._failed(row, "not found on the platform after a send that may have failed", report)

    async def _deliver(self, row: Claimed, person_row: Any, report: DeliveryReport) -> None:
        now = self.clock()
        if person_row is None or person_row.opted_out:
            report.count(
                CANCELLED, await self.outbox.move(row.id, CLAIMED, status=CANCELLED, lease_until=None)
            )
            return
        when = when_to_send(person_from_row(person_row), row.category, row.planned_at, now, self.seed)
        if isinstance(when, Expired):
            report.count(EXPIRED, await self.outbox.expire(row, when.reason))
            return
        if when is not None:
            report.count("deferred", await self.outbox.release(row, when))
            return
        sender = self.senders[row.platform]
        workspace = workspace_of(sender, row.address)
        held = self.holds.until(row.platform, workspace, now)
        if held is not None:  # our credentials were refused there: no call until the hold ends
            report.count("held", await self.outbox.release(row, held))
            return
        await self.limiter.acquire(row.platform, workspace, row.address)
        if not await self.outbox.start_sending(row, self.clock()):
            return  # our lease ran out while we waited; whoever took the row over owns it now
        try:
            sent = await sender.send(row.address, decode(row.message), key=row.key)
        except RateLimited as limited:
            self.limiter.back_off(row.platform, workspace, row.address, limited.retry_after)
            later = self.clock() + timedelta(seconds=limited.retry_after)
            moved = await self.outbox.move(
                row.id, SENDING, status=PENDING, not_before=later, last_error=str(limited)
            )
            report.count("rate_limited", moved)
        except Unreachable as gone:
            marked = await self.outbox.mark_unreachable(row, f"unreachable: {gone}", self.clock())
            report.count("unreachable", marked)
        except CredentialsRejected as refused:  # the workspace's configuration, not this person or row
            until = self.holds.hold(row.platform, workspace, refused, self.clock())
            moved = await self.outbox.move(
                row.id, SENDING, status=PENDING, not_before=until, lease_until=None, last_error=str(refused)
            )
            report.count("held", moved)
        except MaybeSent as unsure:
            await self._maybe_sent(row, sender, f"{type(unsure).__name__}: {unsure}", report)
        except TransientError as error:  # certainly not delivered: bounded retries, then dead
            await self._failed(row, f"{type(error).__name__}: {error}", report)
        except DeliveryError as refused:  # the platform refused this message for good (a 4xx)
            moved = await self.outbox.move(row.id, SENDING, status=DEAD, last_error=f"refused: {refused}")
            report.count(DEAD, moved)
        except Exception as error:  # a bug or an unexpected failure, perhaps after the platform had it
            await self._maybe_sent(row, sender, f"{type(error).__name__}: {error}", report)
        else:
            self.holds.release(row.platform, workspace)
            report.count("sent", await self.outbox.record_sent(row, sent, self.clock()))

    async def _maybe_sent(self, row: Claimed, sender: Sender, error: str, report: DeliveryReport) -> None:
        """The platform may have the message: never resend it blindly. With ``find``, the row stays
        "sending" and is checked once a backoff has passed (by then an accepted message is there to
        be found); the check counts the attempt. Without ``find``: uncertain."""
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

    async def _failed(self, row: Claimed, error: str, report: DeliveryReport) -> None:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            moved = await self.outbox.move(row.id, SENDING, status=DEAD, attempts=attempts, last_error=error)
            report.count(DEAD, moved)
            return
        retry = self.clock() + backoff(attempts, self.rng)
        values = {"status": FAILED, "attempts": attempts, "not_before": retry, "last_error": error}
        report.count(FAILED, await self.outbox.move(row.id, SENDING, lease_until=None, **values))
