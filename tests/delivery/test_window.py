"""A row that waited: nothing goes at an inhumane hour, no day gets two nudges, the spread survives.

Between planning and sending a row may wait (a worker down overnight, a pause set after planning, a
backlog after an outage). Right before sending, delivery asks the person's window again.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.scheduling.tick import tick
from bot.store.database import Database
from bot.store.models import OfferRow, PersonRow
from nudges.person import Schedule
from nudges.schedule import local_to_utc, send_minute
from tests.delivery.fakes import FakeClock, RecordingSender, add_person, make_app
from tests.delivery.test_delivery import AT, planned, rows, worker

BERLIN = ZoneInfo("Europe/Berlin")
SEED = 7  # make_app's RANDOM_SEED, which App.delivery hands on


async def person(database: Database, person_id: int = 1) -> PersonRow:
    async with database.sessions.begin() as session:
        return await session.get(PersonRow, person_id)


async def offers(database: Database) -> list[OfferRow]:
    async with database.sessions.begin() as session:
        return list((await session.scalars(select(OfferRow))).all())


def minute_on(email: str, day: datetime) -> datetime:
    """The person's own send minute on ``day`` (Berlin, default window), in UTC."""
    local_day = day.astimezone(BERLIN).date()
    minute = send_minute(email, Schedule("Europe/Berlin"), local_day, seed=SEED)
    assert minute is not None
    return local_to_utc(Schedule("Europe/Berlin"), datetime.combine(local_day, minute))


async def test_a_nudge_whose_day_closed_before_it_could_go_expires_and_frees_its_day(database: Database):
    clock = await planned(database)
    clock.set(AT + timedelta(hours=5))  # 18:00 in Berlin: Monday's window has closed
    sender = RecordingSender(clock)

    report = await worker(database, clock, sender).drain()

    [row] = await rows(database)
    assert (report.expired, sender.sent, row.status) == (1, [], "expired")
    assert "2026-11-23 in Europe/Berlin" in row.last_error
    assert await offers(database) == []  # never seen: it must not count toward the cap or as ignored
    assert (await person(database)).next_due_at is None  # planned afresh on the next tick


async def test_a_worker_down_in_the_evening_leaves_one_nudge_per_local_day(database: Database):
    await add_person(database, "ana@example.com")
    clock = FakeClock(AT)
    app = await make_app(database, clock)
    await tick(app.planning, AT)  # Monday 13:00 in Berlin: planned, then the worker stops
    app.senders["slack"] = sender = RecordingSender(clock)
    delivery = app.delivery(sleep=clock.sleep, rng=random.Random(1))

    now = AT + timedelta(hours=6)  # back at 19:00 Berlin, then ticking every 10 minutes for two days
    while now < AT + timedelta(days=2):
        clock.set(now)
        await tick(app.planning, now, delivery=delivery)
        now += timedelta(minutes=10)

    days = Counter(d.at.astimezone(BERLIN).date() for d in sender.sent)
    assert days and max(days.values()) == 1, days
    assert all(d.key.endswith(d.at.astimezone(BERLIN).date().isoformat()) for d in sender.sent)
    tuesday = next(d for d in sender.sent if d.at.astimezone(BERLIN).weekday() == 1)
    own = minute_on("ana@example.com", tuesday.at)  # her own minute (at the next tick), not 09:30
    assert own <= tuesday.at < own + timedelta(minutes=10)


async def test_a_pause_set_after_planning_expires_the_nudge_it_outlasts(database: Database):
    clock = await planned(database)
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).values(paused_until=AT + timedelta(days=3)))
    clock.advance(600)
    sender = RecordingSender(clock)

    report = await worker(database, clock, sender).drain()

    [row] = await rows(database)
    assert (report.expired, sender.sent, row.status) == (1, [], "expired")


async def test_a_pause_ending_the_same_day_holds_the_nudge_until_it_ends(database: Database):
    clock = await planned(database)
    until = AT + timedelta(hours=2)  # 15:00 in Berlin, inside the window
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).values(paused_until=until))
    clock.advance(600)
    sender = RecordingSender(clock)
    delivery = worker(database, clock, sender)

    report = await delivery.drain()
    [row] = await rows(database)
    assert (report.deferred, row.status, row.not_before) == (1, "pending", until)
    clock.set(until)
    await delivery.drain()

    assert [d.at for d in sender.sent] == [until]


async def test_quiet_hours_after_planning_hold_the_nudge_until_they_end(database: Database):
    clock = await planned(database)
    async with database.sessions.begin() as session:  # 13:05–15:00 Berlin became quiet meanwhile
        await session.execute(update(PersonRow).values(quiet_start="13:05", quiet_end="15:00"))
    clock.advance(600)
    sender = RecordingSender(clock)

    await worker(database, clock, sender).drain()

    [row] = await rows(database)
    assert (row.status, row.not_before) == ("pending", datetime(2026, 11, 23, 14, 0, tzinfo=UTC))


async def test_an_introduction_that_missed_its_day_is_kept_for_its_minute_the_next_day(database: Database):
    await add_person(database, "new@example.com", onboarded=False, introduced=False)
    clock = FakeClock(AT)
    assert (await tick((await make_app(database, clock)).planning, AT)).planned == 1
    clock.set(AT + timedelta(hours=5))  # 18:00 Berlin
    sender = RecordingSender(clock)
    delivery = worker(database, clock, sender, seed=SEED)

    report = await delivery.drain()

    [row] = await rows(database)
    tuesday = minute_on("new@example.com", AT + timedelta(days=1))
    assert (report.deferred, row.status, row.not_before) == (1, "pending", tuesday)
    assert len(await offers(database)) == 1
    clock.set(tuesday)
    await delivery.drain()
    assert [(d.at, d.message.blocks[0].text) for d in sender.sent] == [(tuesday, "Welcome to your journey")]


async def test_a_celebration_that_missed_its_day_goes_when_the_window_opens(database: Database):
    await add_person(database, "star@example.com", milestones=["first_share"])
    clock = FakeClock(AT)
    await tick((await make_app(database, clock)).planning, AT)
    clock.set(AT + timedelta(hours=5))

    await worker(database, clock, RecordingSender(clock), seed=SEED).drain()

    [row] = await rows(database)
    assert row.key.startswith("1/celebrate:first_share/")
    assert (row.status, row.not_before) == ("pending", datetime(2026, 11, 24, 8, 30, tzinfo=UTC))


async def test_a_backlog_of_introductions_after_an_outage_keeps_each_persons_minute(database: Database):
    emails = [f"n{n}@example.com" for n in range(8)]
    for email in emails:
        await add_person(database, email, onboarded=False, introduced=False)
    monday_late = datetime(2026, 11, 23, 15, 29, tzinfo=UTC)  # 16:29 Berlin: every minute has passed
    clock = FakeClock(monday_late)
    assert (await tick((await make_app(database, clock)).planning, monday_late)).planned == 8
    opening = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # the worker is back at Tuesday 09:30 Berlin
    clock.set(opening)
    sender = RecordingSender(clock)

    await worker(database, clock, sender, seed=SEED).drain()

    waiting = {row.person_id: row.not_before for row in await rows(database) if row.status == "pending"}
    due = {n + 1: minute_on(email, opening) for n, email in enumerate(emails)}
    assert waiting == {p: at for p, at in due.items() if at > opening}
    assert len(set(waiting.values())) > 4  # spread over the day, not everyone at 09:30
    assert len(sender.sent) == sum(at <= opening for at in due.values())
