"""The delivery worker: claim ready outbox rows, send them under the rate limiter, record the outcome.

Per row: check the person's window again (``bot/delivery/window.py``: a row may have waited, and
nothing goes out in quiet hours, on a weekend or during a pause, nor a nudge after its day), wait
for a rate-limit slot, commit "sending", call the platform, commit the outcome. What a failure does
to the row (429, unreachable, refused credentials, maybe sent, certainly not sent) is
``bot/delivery/outcomes.py``.

Recovery, alongside every pass: a row claimed by a worker that died before sending goes back to
pending (it was never handed over); a row left "sending" is reconciled through the Sender's ``find``
when it has one, and otherwise marked uncertain rather than sent a second time. The checks run
while new rows are sent, at most ``batch`` per pass, several at once, each within ``check_seconds``
(and the pass's deadline): platform look-ups that hang must not starve new sends.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.delivery.messages import WITHDRAWN, Messages
from bot.delivery.models import CANCELLED, CLAIMED, EXPIRED, SENDING
from bot.delivery.outbox import Claimed, Outbox
from bot.delivery.outcomes import Outcomes
from bot.delivery.ratelimit import DEFAULT_LIMITS, Rate, RateLimiter
from bot.delivery.report import DeliveryReport
from bot.delivery.senders import AwayAware, workspace_of
from bot.delivery.window import KEPT, Expired, next_day_window, when_to_send
from bot.observability.context import delivering
from bot.ports import Sender
from bot.settings import Settings
from bot.store.database import Database
from bot.store.mapping import person_from_row
from nudges.catalogue import BUILTIN
from nudges.library import Template
from nudges.messages import Message

__all__ = ["Delivery", "DeliveryReport"]
log = logging.getLogger("journeybot.delivery")
RECOVERY_PARALLEL = 8  # look-ups in flight at once while recovering
# A row's lease is short, and renewed (every third of it) while its worker lives: if the worker is
# killed, what it had claimed is free again within a minute, not after a long fixed lease.
LEASE = timedelta(minutes=1)


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
        lease: timedelta = LEASE,
        batch: int = 50,
        concurrency: int = 1,
        max_attempts: int = 5,
        seed: int = 0,
        templates: Sequence[Template] = BUILTIN,
        public_url: str | None = None,
        check_seconds: float = 20.0,
    ) -> None:
        self.senders, self.clock, self.rng = senders, clock, rng or random.Random()
        self.seed = seed  # planning's RANDOM_SEED: a row that waits goes at the same spread minutes
        self.limiter = limiter or RateLimiter(clock, sleep)
        self.sleep = sleep
        self._unfinished = 0  # rows claimed in this pass and not yet through ``_deliver``
        self._settled = asyncio.Event()  # set whenever ``_unfinished`` is back to 0
        self._settled.set()
        worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.outbox = Outbox(database, worker, lease)
        self.lease = lease
        self._in_hand: set[int] = set()  # rows this worker holds right now: the heartbeat renews them
        self.messages = Messages(
            database, templates, clock, public_url
        )  # rendered from the offers as rows go
        self.batch, self.concurrency = batch, concurrency
        self.outcomes = Outcomes(self.outbox, self.limiter, clock, self.rng, max_attempts, check_seconds)

    @classmethod
    def configured(
        cls,
        settings: Settings,
        database: Database,
        senders: dict[str, Sender],
        *,
        clock: Callable[[], datetime],
        templates: Sequence[Template] = BUILTIN,
        **options: Any,
    ) -> Delivery:
        """Delivery as the settings ask for it: concurrency, attempts, RANDOM_SEED and Slack's
        per-workspace rate. ``options`` override any of them (tests pass a fake ``sleep``)."""
        options.setdefault("concurrency", settings.delivery_concurrency)
        options.setdefault("max_attempts", settings.delivery_max_attempts)
        options.setdefault("seed", settings.random_seed or 0)
        options.setdefault("public_url", settings.public_url)
        limits = dict(DEFAULT_LIMITS)
        limits["slack"] = replace(limits["slack"], per_workspace=Rate(settings.slack_workspace_per_second, 5))
        options.setdefault("limiter", RateLimiter(clock, options.get("sleep", asyncio.sleep), limits))
        return cls(database, senders, clock=clock, templates=templates, **options)

    async def drain(self, deadline: datetime | None = None) -> DeliveryReport:
        """Recover, then deliver until nothing is ready now (or ``deadline`` passes)."""
        report = DeliveryReport()
        await self.release_abandoned(report)  # first: those rows are ready to claim in this pass
        heartbeat = asyncio.ensure_future(self._heartbeat())
        recovering = asyncio.ensure_future(self.check_unsure(report, deadline))
        try:
            await self._send_ready(report, deadline)
            await recovering
        finally:
            recovering.cancel()
            heartbeat.cancel()
            with suppress(asyncio.CancelledError):
                await heartbeat
            self._in_hand.clear()  # what is left was abandoned by a failed pass: its lease runs out
            self._unfinished, self.outcomes.retry_soon = 0, None
            self._settled.set()
        return report

    async def _heartbeat(self) -> None:
        """While this worker lives, the rows it holds keep their lease (real time, not the clock:
        it is about the process being alive)."""
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            if self._in_hand:
                try:
                    await self.outbox.renew(set(self._in_hand), self.clock() + self.lease)
                except Exception:  # the database away for a moment: the next beat tries again
                    log.warning("could not renew the delivery leases", exc_info=True)

    async def _send_ready(self, report: DeliveryReport, deadline: datetime | None) -> None:
        if self.concurrency <= 1:
            async for row, person, message in self._claimed(deadline):
                await self._deliver(row, person, message, report)
            return
        # A pipeline: the next batch is claimed while the last rows of this one are still being
        # sent, so the sends in flight never drop to none between batches.
        queue: asyncio.Queue[tuple[Claimed, Any, Message | None] | None] = asyncio.Queue(
            max(self.batch // 2, 1)
        )

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

    async def _claimed(self, deadline: datetime | None) -> AsyncIterator[tuple[Claimed, Any, Message | None]]:
        """Claimed rows with their person and message, a batch at a time, until none is ready or the
        deadline."""
        while deadline is None or self.clock() < deadline:
            rows = await self.outbox.claim(self.senders.keys(), self.clock(), self.batch)
            if not rows:
                if not self._settled.is_set():  # sends in flight may still come back with a short 429
                    await self._settled.wait()
                    continue
                if not await self._wait_for_short_retry(deadline):
                    return
                continue
            self._in_hand.update(row.id for row in rows)
            self._unfinished += len(rows)
            self._settled.clear()
            people = await self.outbox.people({row.person_id for row in rows if row.person_id is not None})
            messages = await self.messages.for_rows(rows, people)
            for row in rows:
                yield row, None if row.person_id is None else people.get(row.person_id), messages[row.id]

    async def recover(self, report: DeliveryReport, deadline: datetime | None = None) -> None:
        await self.release_abandoned(report)
        await self.check_unsure(report, deadline)

    async def release_abandoned(self, report: DeliveryReport) -> None:
        """Rows a dead worker claimed but never handed over: pending again."""
        now = self.clock()
        for row in await self.outbox.take_expired(self.senders.keys(), CLAIMED, now):
            report.count("recovered", await self.outbox.release(row, now))

    async def check_unsure(self, report: DeliveryReport, deadline: datetime | None = None) -> None:
        """Rows left "sending" whose lease ran out, checked (bounded, in parallel, within time)."""
        now = self.clock()
        if deadline is not None and now >= deadline:
            return  # the expired "sending" rows wait for the next pass
        seconds = self.outcomes.check_seconds
        if deadline is not None:  # a check may not hold the pass past its deadline
            seconds = max(min(seconds, (deadline - now).total_seconds()), 0.1)
        rows = await self.outbox.take_expired(self.senders.keys(), SENDING, now, limit=self.batch)
        parallel = asyncio.Semaphore(max(self.concurrency, RECOVERY_PARALLEL))

        self._in_hand.update(row.id for row in rows)

        async def check(row: Claimed) -> None:
            try:
                async with parallel:
                    with delivering(row.id):
                        await self.outcomes.reconcile(row, self.senders[row.platform], report, seconds)
            finally:
                self._in_hand.discard(row.id)

        await asyncio.gather(*(check(row) for row in rows))

    async def _deliver(
        self, row: Claimed, person_row: Any, message: Message | None, report: DeliveryReport
    ) -> None:
        try:
            with delivering(row.id):  # every log line about this row names it
                await self._deliver_one(row, person_row, message, report)
        finally:
            self._in_hand.discard(row.id)
            self._unfinished -= 1
            if self._unfinished <= 0:
                self._unfinished = 0
                self._settled.set()

    async def _wait_for_short_retry(self, deadline: datetime | None) -> bool:
        """Nothing is ready, but a row got a short 429 in this pass: wait for its ``Retry-After``
        and go on (True), rather than leave it for the next tick; False when there is none, or the
        wait would end past ``deadline``."""
        retry, self.outcomes.retry_soon = self.outcomes.retry_soon, None
        if retry is None or (deadline is not None and retry >= deadline):
            return False
        await self.sleep(max((retry - self.clock()).total_seconds(), 0.0))
        return True

    async def _deliver_one(
        self, row: Claimed, person_row: Any, message: Message | None, report: DeliveryReport
    ) -> None:
        now = self.clock()
        if row.person_id is None and message is not None:
            # A team digest (``bot/digests/``): to a channel at the team's chosen hour, no person's
            # window or away status applies. Sent once and retried like a nudge.
            if not await self._held(row, now, report):
                await self._send(row, message, report)
            return
        if person_row is None or person_row.opted_out or person_row.left_at is not None:
            report.count(
                CANCELLED, await self.outbox.move(row.id, CLAIMED, status=CANCELLED, lease_until=None)
            )
            return
        if message is None:  # its content was withdrawn or expired while it waited: never seen
            report.count(EXPIRED, await self.outbox.expire(row, WITHDRAWN))
            return
        when = when_to_send(person_from_row(person_row), row.category, row.planned_at, now, self.seed)
        if isinstance(when, Expired):
            report.count(EXPIRED, await self.outbox.expire(row, when.reason))
            return
        if when is not None:
            report.count("deferred", await self.outbox.release(row, when))
            return
        sender = self.senders[row.platform]
        if await self._held(row, now, report):
            return
        if isinstance(sender, AwayAware) and (why := await sender.away(row.address)) is not None:
            # Away (out of office, sick, travelling, Do Not Disturb): nothing today. A nudge is dropped
            # unseen and the person planned again in their next window; an introduction or a cheer
            # waits for that window, since each is planned only once.
            person = person_from_row(person_row)
            after = next_day_window(person, now)
            if row.category in KEPT:
                report.count("away", await self.outbox.release(row, after))
            else:
                report.count("away", await self.outbox.expire(row, f"away: {why}", next_due_at=after))
            return
        await self._send(row, message, report)

    async def _held(self, row: Claimed, now: datetime, report: DeliveryReport) -> bool:
        """Our credentials were refused there: no call until the hold ends (the row waits)."""
        workspace = workspace_of(self.senders[row.platform], row.address)
        held = self.outcomes.holds.until(row.platform, workspace, now)
        if held is None:
            return False
        report.count("held", await self.outbox.release(row, held))
        return True

    async def _send(self, row: Claimed, message: Message, report: DeliveryReport) -> None:
        sender = self.senders[row.platform]
        workspace = workspace_of(sender, row.address)
        await self.limiter.acquire(row.platform, workspace, row.address)
        if not await self.outbox.start_sending(row, self.clock()):
            return  # our lease ran out while we waited; whoever took the row over owns it now
        await self.limiter.dispatch(row.platform, workspace, row.address)
        try:
            sent = await sender.send(row.address, message, key=row.key)
        except Exception as error:  # a killed process (BaseException) records nothing, as it would not
            await self.outcomes.send_failed(row, sender, error, report)
        else:
            self.outcomes.holds.release(row.platform, workspace)
            report.count("sent", await self.outbox.record_sent(row, sent, self.clock()), row.category)
            log.debug("sent: %s via %s, attempt %d", row.category, row.platform, row.attempts + 1)
