"""A 429 with a short ``Retry-After`` is retried within the same pass (the tick), not a tick later."""

from __future__ import annotations

from datetime import timedelta

from bot.ports import RateLimited
from bot.store.database import Database
from tests.delivery.fakes import RecordingSender
from tests.delivery.test_delivery import planned, rows, worker


async def test_a_429_with_retry_after_3_is_sent_within_the_tick(database: Database):
    clock = await planned(database, people=3)
    sender = RecordingSender(clock, script=[RateLimited(3)])
    delivery = worker(database, clock, sender, concurrency=2)
    start = clock()

    report = await delivery.drain(deadline=start + timedelta(seconds=54))

    assert report.sent == 3 and all(row.status == "sent" for row in await rows(database))
    assert len(sender.calls) == 4  # the refused one, once more after its wait
    retried = sender.calls[-1]
    assert retried - sender.calls[0] >= timedelta(seconds=3)  # never before Retry-After
    assert retried < start + timedelta(seconds=54)


async def test_a_long_retry_after_waits_for_a_later_tick(database: Database):
    clock = await planned(database)
    sender = RecordingSender(clock, script=[RateLimited(45)])
    delivery = worker(database, clock, sender)

    report = await delivery.drain(deadline=clock() + timedelta(seconds=54))

    [row] = await rows(database)
    assert (report.sent, row.status, len(sender.calls)) == (0, "pending", 1)


async def test_a_short_retry_after_past_the_deadline_waits_too(database: Database):
    clock = await planned(database)
    sender = RecordingSender(clock, script=[RateLimited(5)])
    delivery = worker(database, clock, sender)

    await delivery.drain(deadline=clock() + timedelta(seconds=3))

    [row] = await rows(database)
    assert (row.status, len(sender.calls)) == ("pending", 1)
