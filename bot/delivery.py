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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.db.database import Database
from bot.db.mapping import person_from_row
from bot.db.outbox_models import CANCELLED, CLAIMED, DEAD, FAILED, PENDING, SENDING, UNCERTAIN
from bot.delivery_messages import WITHDRAWN, Messages
from bot.delivery_report import DeliveryReport, backoff
from bot.delivery_senders import Reconciling, workspace_of
from bot.outbox import Claimed, Outbox
from bot.ports import DeliveryError, RateLimited, Sender, TransientError, Unreachable
from bot.ratelimit import DEFAULT_LIMITS, Rate, RateLimiter
from nudges.catalogue import BUILTIN
from nudges.library import Template
from nudges.messages import Message
from nudges.schedule import in_window, next_window_start

__all__ = ["Delivery", "DeliveryReport"]
RETRY_LATER = timedelta(days=1)  # a person with no window at all is looked at again tomorrow


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
        templates: Sequence[Template] = BUILTIN,
    ) -> None:
        self.senders, self.clock, self.rng = senders, clock, rng or random.Random()
        self.limiter = limiter or RateLimiter(clock, sleep)
        worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.outbox = Outbox(database, worker, lease)
        self.messages = Messages(database, templates, clock)
        self.batch, self.concurrency, self.max_attempts = batch, concurrency, max_attempts

    @classmethod
    def for_app(cls, app: Any, **options: Any) -> Delivery:
        settings = app.settings
        options.setdefault("concurrency", settings.delivery_concurrency)
        options.setdefault("max_attempts", settings.delivery_max_attempts)
        limits = dict(DEFAULT_LIMITS)
        limits["slack"] = replace(limits["slack"], per_workspace=Rate(settings.slack_workspace_per_second, 5))
        options.setdefault("limiter", RateLimiter(app.clock, options.get("sleep", asyncio.sleep), limits))
        return cls(app.db, app.senders, clock=app.clock, templates=app.templates, **options)

    async def drain(self, deadline: datetime | None = None) -> DeliveryReport:
        """Recover, then deliver until nothing is ready now (or ``deadline`` passes)."""
        report = DeliveryReport()
        await self.recover(report)
        while deadline is None or self.clock() < deadline:
            rows = await self.outbox.claim(self.senders.keys(), self.clock(), self.batch)
            if not rows:
                break
            people = await self.outbox.people({row.person_id for row in rows})
            messages = await self.messages.for_rows(rows, people)
            if self.concurrency <= 1:
                for row in rows:
                    await self._deliver(row, people.get(row.person_id), messages[row.id], report)
            else:
                limit = asyncio.Semaphore(self.concurrency)
                await asyncio.gather(
                    *(self._deliver_within(limit, row, people, messages[row.id], report) for row in rows)
                )
        return report

    async def recover(self, report: DeliveryReport) -> None:
        now = self.clock()
        for row in await self.outbox.take_expired(self.senders.keys(), CLAIMED, now):
            report.count("recovered", await self.outbox.release(row, now))
        for row in await self.outbox.take_expired(self.senders.keys(), SENDING, now):
            await self._reconcile(row, report)

    async def _reconcile(self, row: Claimed, report: DeliveryReport) -> None:
        sender = self.senders[row.platform]
        if not isinstance(sender, Reconciling):
            note = "the send may have happened before a crash; not resent (this platform cannot check)"
            report.count(
                UNCERTAIN, await self.outbox.move(row.id, SENDING, status=UNCERTAIN, last_error=note)
            )
            return
        try:
            found = await sender.find(row.address, row.key)
        except Exception:  # the check itself failed: the lease runs out again and we look again
            return
        if found is not None:
            report.count("reconciled", await self.outbox.record_sent(row, found, self.clock()))
        else:  # certainly not sent: send again, counted as an attempt in case it keeps crashing us
            await self._failed(row, "crashed while sending; not found on the platform", report)

    async def _deliver_within(
        self,
        limit: asyncio.Semaphore,
        row: Claimed,
        people: dict[int, Any],
        message: Message | None,
        report: DeliveryReport,
    ) -> None:
        async with limit:
            await self._deliver(row, people.get(row.person_id), message, report)

    async def _deliver(
        self, row: Claimed, person_row: Any, message: Message | None, report: DeliveryReport
    ) -> None:
        now = self.clock()
        if person_row is None or person_row.opted_out or message is None:
            why = {"last_error": WITHDRAWN} if person_row is not None and not person_row.opted_out else {}
            report.count(
                CANCELLED, await self.outbox.move(row.id, CLAIMED, status=CANCELLED, lease_until=None, **why)
            )
            return
        person = person_from_row(person_row)
        if person.paused(now) or not in_window(person.schedule, now):
            start = max(now, person.paused_until) if person.paused_until else now
            opens = next_window_start(person.schedule, start) or now + RETRY_LATER
            report.count("deferred", await self.outbox.release(row, opens))
            return
        sender = self.senders[row.platform]
        await self.limiter.acquire(row.platform, workspace_of(sender, row.address), row.address)
        if not await self.outbox.start_sending(row, self.clock()):
            return  # our lease ran out while we waited; whoever took the row over owns it now
        try:
            sent = await sender.send(row.address, message, key=row.key)
        except RateLimited as limited:
            self.limiter.back_off(
                row.platform, workspace_of(sender, row.address), row.address, limited.retry_after
            )
            later = self.clock() + timedelta(seconds=limited.retry_after)
            moved = await self.outbox.move(
                row.id, SENDING, status=PENDING, not_before=later, last_error=str(limited)
            )
            report.count("rate_limited", moved)
        except Unreachable as gone:
            await self.outbox.mark_unreachable(row, f"unreachable: {gone}", self.clock(), DEAD)
            report.count("unreachable", True)
        except TransientError as error:  # a 5xx or a dropped connection: bounded retries, then dead
            await self._failed(row, f"{type(error).__name__}: {error}", report)
        except DeliveryError as refused:  # the platform refused this message for good (a 4xx)
            moved = await self.outbox.move(row.id, SENDING, status=DEAD, last_error=f"refused: {refused}")
            report.count(DEAD, moved)
        except Exception as error:  # a bug or an unexpected failure: retried like a 5xx, so bounded too
            await self._failed(row, f"{type(error).__name__}: {error}", report)
        else:
            report.count("sent", await self.outbox.record_sent(row, sent, self.clock()))

    async def _failed(self, row: Claimed, error: str, report: DeliveryReport) -> None:
        attempts = row.attempts + 1
        if attempts >= self.max_attempts:
            moved = await self.outbox.move(row.id, SENDING, status=DEAD, attempts=attempts, last_error=error)
            report.count(DEAD, moved)
            return
        retry = self.clock() + backoff(attempts, self.rng)
        values = {"status": FAILED, "attempts": attempts, "not_before": retry, "last_error": error}
        report.count(FAILED, await self.outbox.move(row.id, SENDING, lease_until=None, **values))
