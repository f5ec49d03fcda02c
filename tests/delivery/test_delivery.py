"""Delivery through the outbox: once, never twice, never lost — through 429s, 500s, crashes and leavers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import select

from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.ports import DeliveryError, RateLimited, TransientError, Unreachable
from bot.scheduling.tick import tick
from bot.store.database import Database
from bot.store.models import OfferRow, PersonRow
from nudges.events import Inbound, PersonRef, Said
from tests.delivery.fakes import (
    FakeClock,
    FindingSender,
    ProcessDied,
    RecordingSender,
    add_person,
    make_app,
)

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 13:00 in Berlin: p0–p2's spread minutes have passed
LEASE = timedelta(minutes=5)


async def planned(database: Database, people: int = 1) -> FakeClock:
    """People in Berlin with one pending nudge each, planned at ``AT``."""
    for n in range(people):
        await add_person(database, f"p{n}@example.com")
    clock = FakeClock(AT)
    report = await tick((await make_app(database, clock)).planning, AT)
    assert report.planned == people
    return clock


def worker(
    database: Database, clock: FakeClock, sender: RecordingSender, name: str = "w1", **options
) -> Delivery:
    return Delivery(database, {"slack": sender}, clock=clock, sleep=clock.sleep, rng=random.Random(1),
                    worker=name, lease=LEASE, **options)  # fmt: skip


async def rows(database: Database) -> list[DeliveryRow]:
    async with database.sessions.begin() as session:
        return list((await session.scalars(select(DeliveryRow).order_by(DeliveryRow.id))).all())


async def test_a_sent_nudge_records_the_platform_message_id_on_the_row_and_the_offer(database: Database):
    clock = await planned(database)
    sender = RecordingSender(clock)

    report = await worker(database, clock, sender).drain()

    assert report.sent == 1 and len(sender.sent) == 1
    [row] = await rows(database)
    assert (row.status, row.message_ref, row.sent_at) == ("sent", "ts-1", AT)
    assert sender.sent[0].key == row.key and sender.sent[0].message.offer_id == row.offer_id
    async with database.sessions.begin() as session:
        offer = await session.get(OfferRow, row.offer_id)
    assert (offer.platform, offer.message_ref) == ("slack", "ts-1")


async def test_a_429_storm_honours_retry_after_and_delivers_once(database: Database):
    clock = await planned(database)
    sender = RecordingSender(clock, script=[RateLimited(30)] * 4)
    delivery = worker(database, clock, sender)

    for _ in range(5):
        await delivery.drain()
        [row] = await rows(database)
        if row.status == "sent":
            break
        assert row.status == "pending" and row.not_before == clock() + timedelta(seconds=30)
        clock.advance(30)

    assert len(sender.calls) == 5 and len(sender.sent) == 1
    gaps = [(b - a).total_seconds() for a, b in zip(sender.calls, sender.calls[1:], strict=False)]
    assert all(gap >= 30 for gap in gaps)  # never asked again before Retry-After
    assert row.attempts == 0  # a 429 is the platform pacing us, not a failure


async def test_a_failure_before_the_platform_had_it_is_retried_with_backoff_then_dead_lettered(
    database: Database,
):
    clock = await planned(database)
    sender = RecordingSender(clock, script=[TransientError("connection refused")] * 10)
    delivery = worker(database, clock, sender, max_attempts=3)

    waits = []
    for _ in range(3):
        await delivery.drain()
        [row] = await rows(database)
        if row.status != "failed":
            break
        waits.append((row.not_before - clock()).total_seconds())
        clock.set(row.not_before)

    assert row.status == "dead" and row.attempts == 3 and len(sender.calls) == 3
    assert 15 <= waits[0] <= 45 and 30 <= waits[1] <= 90  # 30 s then 60 s, each with ±50 % jitter
    assert "connection refused" in row.last_error


async def test_a_refusal_is_dead_at_once(database: Database):
    clock = await planned(database)

    await worker(database, clock, RecordingSender(clock, script=[DeliveryError("invalid_blocks")])).drain()

    [row] = await rows(database)
    assert (row.status, row.attempts) == ("dead", 0)


async def test_someone_who_left_is_marked_unreachable_and_not_planned_again(database: Database):
    clock = await planned(database)

    report = await worker(
        database, clock, RecordingSender(clock, script=[Unreachable("account_inactive")])
    ).drain()

    [row] = await rows(database)
    assert report.unreachable == 1 and row.status == "dead" and "account_inactive" in row.last_error
    async with database.sessions.begin() as session:
        person = await session.get(PersonRow, row.person_id)
    assert person.unreachable_at == AT
    later = AT + timedelta(days=1)
    assert (await tick((await make_app(database, FakeClock(later))).planning, later)).looked_at == 0


async def test_someone_unreachable_who_writes_again_is_planned_for_again(database: Database):
    clock = await planned(database)
    await worker(database, clock, RecordingSender(clock, script=[Unreachable("channel_not_found")])).drain()
    [row] = await rows(database)
    later = AT + timedelta(days=1)
    app = await make_app(database, FakeClock(later))

    await app.conversation.handle(
        Inbound(PersonRef("slack", f"U{row.person_id}"), Said("hi"), address="D-new")
    )

    async with database.sessions.begin() as session:
        person = await session.get(PersonRow, row.person_id)
    assert person.unreachable_at is None
    assert (await tick(app.planning, later)).looked_at == 1


async def test_a_crash_between_claim_and_send_is_recovered_after_the_lease_and_sent_once(database: Database):
    clock = await planned(database)
    dying = worker(database, clock, RecordingSender(clock), name="dies")

    async def killed(_seconds: float) -> None:
        raise ProcessDied  # killed while waiting for its rate-limit slot

    dying.limiter.sleep = killed
    assert dying.limiter.take("slack", "", "D-p0@example.com") == 0  # the channel's slot is taken: it waits
    try:
        await dying.drain()
    except ProcessDied:
        pass
    [row] = await rows(database)
    assert row.status == "claimed"
    survivor = RecordingSender(clock)

    await worker(database, clock, survivor, name="lives").drain()
    assert survivor.sent == []  # the lease still holds: the dead worker might be alive after all
    clock.advance(LEASE.total_seconds() + 1)
    await worker(database, clock, survivor, name="lives").drain()

    assert len(survivor.sent) == 1 and (await rows(database))[0].status == "sent"


async def test_an_abandoned_claim_goes_back_to_pending_after_the_lease(database: Database):
    clock = await planned(database, people=3)
    abandoned = worker(database, clock, RecordingSender(clock), name="gone")
    await abandoned.outbox.claim(["slack"], clock(), limit=10)  # …and the process is killed here
    clock.advance(LEASE.total_seconds() + 1)
    sender = RecordingSender(clock)

    report = await worker(database, clock, sender, name="next").drain()

    assert (report.recovered, report.sent, len(sender.sent)) == (3, 3, 3)


async def test_a_crash_after_sending_is_reconciled_by_find_not_sent_twice(database: Database):
    clock = await planned(database)
    platform = FindingSender(clock, script=["crash-after"])
    try:
        await worker(database, clock, platform, name="dies").drain()
    except ProcessDied:
        pass
    assert (await rows(database))[0].status == "sending"
    clock.advance(LEASE.total_seconds() + 1)

    report = await worker(database, clock, platform, name="lives").drain()

    assert report.reconciled == 1 and len(platform.sent) == 1
    [row] = await rows(database)
    assert (row.status, row.message_ref) == ("sent", "ts-1")


async def test_a_crash_before_the_platform_had_it_is_found_missing_and_sent_again(database: Database):
    clock = await planned(database)
    platform = FindingSender(clock, script=["crash"])
    try:
        await worker(database, clock, platform, name="dies").drain()
    except ProcessDied:
        pass
    clock.advance(LEASE.total_seconds() + 1)
    delivery = worker(database, clock, platform, name="lives")

    await delivery.drain()  # find() says it never arrived: retried after a backoff
    clock.advance(3600)
    await delivery.drain()

    assert len(platform.sent) == 1 and (await rows(database))[0].status == "sent"


async def test_without_find_a_possibly_sent_message_is_marked_uncertain_not_resent(database: Database):
    clock = await planned(database)
    platform = RecordingSender(clock, platform="slack", script=["crash-after"])
    try:
        await worker(database, clock, platform, name="dies").drain()
    except ProcessDied:
        pass
    clock.advance(LEASE.total_seconds() + 1)

    report = await worker(database, clock, platform, name="lives").drain()

    assert report.uncertain == 1 and len(platform.sent) == 1
    assert (await rows(database))[0].status == "uncertain"


async def test_someone_who_opted_out_after_planning_is_not_sent_anything(database: Database):
    clock = await planned(database)
    async with database.sessions.begin() as session:
        (await session.get(PersonRow, 1)).opted_out = True
    sender = RecordingSender(clock)

    report = await worker(database, clock, sender).drain()

    assert report.cancelled == 1 and sender.sent == [] and (await rows(database))[0].status == "cancelled"


async def test_a_worker_that_lost_its_lease_cannot_mark_the_person_unreachable(database: Database):
    clock = await planned(database)
    survivor = worker(database, clock, RecordingSender(clock), name="took-over")

    class HungThenGone(RecordingSender):
        async def send(self, address, message, *, key=""):
            clock.advance(LEASE.total_seconds() + 1)  # hung past its lease; another worker took over
            assert await survivor.outbox.take_expired(["slack"], "sending", clock())
            raise Unreachable("channel_not_found")

    report = await worker(database, clock, HungThenGone(clock), name="hung").drain()

    [row] = await rows(database)
    assert (report.unreachable, row.status, row.claimed_by) == (0, "sending", "took-over")
    async with database.sessions.begin() as session:
        assert (await session.get(PersonRow, row.person_id)).unreachable_at is None


async def test_while_one_row_gets_429s_the_rest_of_its_workspace_is_held_back(database: Database):
    clock = await planned(database, people=4)

    refused: list[datetime] = []

    class Storm(RecordingSender):
        async def send(self, address, message, *, key=""):
            if address == "D-p0@example.com" and len(refused) < 3:
                refused.append(clock())
                raise RateLimited(30)
            return await super().send(address, message, key=key)

    sender = Storm(clock)
    delivery = worker(database, clock, sender)
    for _ in range(6):
        await delivery.drain()
        clock.advance(30)

    assert len(refused) == 3 and all(b - a >= timedelta(seconds=30) for a, b in pairwise(refused))
    others = [d.at for d in sender.sent if d.address != "D-p0@example.com"]
    assert len(others) == 3 and min(others) >= refused[0] + timedelta(seconds=30)  # held for Retry-After
    assert sorted(d.address for d in sender.sent) == [f"D-p{n}@example.com" for n in range(4)]
    assert all(row.status == "sent" and row.attempts == 0 for row in await rows(database))
