"""Time travel through the scheduler: a fixed clock jumps from tick to tick, nobody sleeps.

Each test ticks every two hours and at every instant someone is next due, on SQLite and PostgreSQL,
then checks when (on each person's own wall clock) the messages went out.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.delivery.admin import set_auto_enrol
from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.scheduling.tick import tick
from bot.store.database import Database
from bot.store.models import IdentityRow, OfferRow, PersonRow
from nudges.person import Schedule
from nudges.schedule import send_minute
from tests.delivery.fakes import Delivered, FakeClock, RecordingSender, add_person, make_app

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday


async def travel(
    database: Database,
    start: datetime,
    days: float,
    step: timedelta = timedelta(hours=2),
    answer: bool = True,
):
    """Tick every ``step`` and at each instant someone is next due. With ``answer``, everyone answers
    "Done" to each nudge right away, so the engine's back-off for ignored nudges stays out of the way."""
    clock = FakeClock(start)
    app = await make_app(database, clock)
    sender = RecordingSender(clock)
    app.senders["slack"] = sender
    delivery = Delivery(database, app.senders, clock=clock, sleep=clock.sleep, rng=random.Random(3))
    end = start + timedelta(days=days)
    now = start
    while now < end:
        clock.set(now)
        await tick(app.planning, now, delivery=delivery)
        if answer:
            async with database.sessions.begin() as session:
                done = {"answer": "done", "answered_at": now}
                await session.execute(update(OfferRow).where(OfferRow.answer.is_(None)).values(**done))
        async with database.sessions.begin() as session:
            due = await session.scalar(
                select(func.min(PersonRow.next_due_at)).where(PersonRow.next_due_at > now)
            )
        now = min(now + step, due) if due is not None else now + step
    return app, sender


def local(delivered: Delivered, zone: str) -> datetime:
    return delivered.at.astimezone(ZoneInfo(zone))


def in_hours(moment: datetime, start: time = time(9, 30), end: time = time(16, 30)) -> bool:
    return start <= moment.time() < end


async def test_an_imported_person_is_introduced_once_in_their_window_at_their_own_minute(database: Database):
    await add_person(database, "ana@example.com", onboarded=False, introduced=False)

    _, sender = await travel(database, MONDAY, days=7)

    assert len(sender.sent) == 1  # one introduction; nothing after it, since she never started
    intro = sender.sent[0]
    assert intro.message.blocks[0].text == "Welcome to your journey"
    when = local(intro, "Europe/Berlin")
    assert when.date() == MONDAY.date() and when.time() == send_minute(
        "ana@example.com", Schedule("Europe/Berlin"), when.date(), seed=7
    )
    async with database.sessions.begin() as session:
        person = await session.get(PersonRow, 1)
        offer = (await session.scalars(select(OfferRow))).one()
    assert person.introduced_at == intro.at
    assert (offer.category, offer.message_ref) == ("intro", "ts-1")


async def test_after_the_introduction_only_auto_enrolled_teams_hear_more(database: Database):
    await add_person(database, "quiet@example.com", onboarded=False, team="sales")
    await add_person(database, "enrolled@example.com", onboarded=False, team="marketing")
    clock = FakeClock(MONDAY)
    app = await make_app(database, clock)
    await set_auto_enrol(app.db, app.store, ["marketing"], True)

    _, sender = await travel(database, MONDAY, days=7)

    assert {d.address for d in sender.sent} == {"D-enrolled@example.com"}
    assert 1 <= len(sender.sent) <= 2  # the weekly cap holds for auto-enrolled people too


async def test_nudges_go_out_on_working_days_inside_the_window_spread_over_it(database: Database):
    for n in range(6):
        await add_person(database, f"p{n}@example.com", weekly_cap=5)

    _, sender = await travel(database, MONDAY, days=7)

    times = [local(d, "Europe/Berlin") for d in sender.sent]
    assert len(times) == 6 * 5  # one a working day each: the daily limit and the weekly cap of 5
    assert all(t.weekday() < 5 and in_hours(t) for t in times)
    assert len({t.time() for t in times}) > 20  # spread over the window, not everyone at 09:30
    keys = [d.key for d in sender.sent]
    assert len(keys) == len(set(keys))


async def test_dst_transitions_in_europe_and_america_keep_the_local_window(database: Database):
    zones = {
        "Europe/Berlin": datetime(2026, 3, 27, tzinfo=UTC),
        "America/New_York": datetime(2026, 3, 6, tzinfo=UTC),
    }
    zones_fall = {
        "Europe/London": datetime(2026, 10, 23, tzinfo=UTC),
        "America/Chicago": datetime(2026, 10, 30, tzinfo=UTC),
    }
    every_day = [0, 1, 2, 3, 4, 5, 6]
    for zone in (*zones, *zones_fall):
        await add_person(
            database,
            f"{zone.replace('/', '.')}@example.com",
            timezone=zone,
            work_days=every_day,
            weekly_cap=7,
        )

    for start in sorted((*zones.values(), *zones_fall.values())):
        async with database.sessions.begin() as session:  # a fresh week for everyone at each start
            await session.execute(update(PersonRow).values(next_due_at=None))
        _, sender = await travel(database, start, days=4)
        for delivered in sender.sent:
            zone = next(z for z in (*zones, *zones_fall) if z.replace("/", ".") in delivered.address)
            assert in_hours(local(delivered, zone)), (zone, delivered.at)
        assert len(sender.sent) >= 8  # DST days included: each person was reached on most days


async def test_people_at_utc_plus_13_and_minus_10_get_their_own_weekdays(database: Database):
    await add_person(database, "tonga@example.com", timezone="Pacific/Tongatapu", weekly_cap=7)
    await add_person(database, "hawaii@example.com", timezone="Pacific/Honolulu", weekly_cap=7)

    _, sender = await travel(database, MONDAY - timedelta(days=1), days=7)

    for who, zone in (("tonga", "Pacific/Tongatapu"), ("hawaii", "Pacific/Honolulu")):
        times = [local(d, zone) for d in sender.sent if who in d.address]
        assert sorted(t.weekday() for t in times) == [0, 1, 2, 3, 4], (who, times)
        assert all(in_hours(t) for t in times)
    # Their working days straddle UTC days: a Tonga morning is the day before in UTC, a Hawaii
    # afternoon the day after; the window follows their wall clock, not UTC's calendar.
    tonga = [d for d in sender.sent if "tonga" in d.address]
    assert any(d.at.date() < local(d, "Pacific/Tongatapu").date() for d in tonga)


async def test_quiet_hours_are_never_used(database: Database):
    for n in range(4):
        await add_person(database, f"q{n}@example.com", quiet_start="11:00", quiet_end="15:00", weekly_cap=5)

    _, sender = await travel(database, MONDAY, days=5)

    times = [local(d, "Europe/Berlin").time() for d in sender.sent]
    assert len(times) == 4 * 5
    assert all(not (time(11) <= t < time(15)) for t in times)


async def test_a_pause_holds_everything_until_it_ends(database: Database):
    until = MONDAY + timedelta(days=3)  # Thursday 00:00 UTC
    await add_person(database, "paused@example.com", paused_until=until, weekly_cap=5)

    _, sender = await travel(database, MONDAY, days=5)

    assert sender.sent and all(d.at >= until for d in sender.sent)
    assert len(sender.sent) == 2  # Thursday and Friday


async def test_plan_only_writes_rows_once_and_sends_nothing(database: Database):
    for n in range(3):
        await add_person(database, f"r{n}@example.com", timezone="UTC")
    noon = MONDAY.replace(hour=16, minute=29)  # last minute of the window: every spread minute has passed
    app = await make_app(database, FakeClock(noon))
    sender = RecordingSender(FakeClock(noon))
    app.senders["slack"] = sender

    first = await tick(app.planning, noon)
    again = await tick(app.planning, noon)

    assert (first.planned, first.delivered, again.planned) == (3, None, 0)
    assert sender.sent == []
    async with database.sessions.begin() as session:
        statuses = (await session.scalars(select(DeliveryRow.status))).all()
    assert statuses == ["pending"] * 3


async def test_a_key_planned_elsewhere_is_not_planned_again(database: Database):
    person_id = await add_person(
        database, "twice@example.com", timezone="UTC", onboarded=False, introduced=False
    )
    at = MONDAY.replace(hour=16, minute=29)
    key = f"{person_id}/intro/{at.date().isoformat()}"
    async with database.sessions.begin() as session:  # as if another replica had planned it a moment ago
        session.add(DeliveryRow(key=key, person_id=person_id, category="intro", platform="slack", address="D",
                                message={"blocks": [], "fallback": "hi"}, not_before=at))  # fmt: skip
    app = await make_app(database, FakeClock(at))

    report = await tick(app.planning, at)

    assert report.planned == 0
    async with database.sessions.begin() as session:
        assert await session.scalar(select(func.count()).select_from(DeliveryRow)) == 1
        assert await session.scalar(select(func.count()).select_from(OfferRow)) == 0


async def test_a_milestone_is_celebrated_promptly_not_at_the_spread_minute(database: Database):
    await add_person(database, "star@example.com", timezone="UTC", milestones=["first_share"])
    at = MONDAY.replace(hour=9, minute=31)
    app = await make_app(database, FakeClock(at))
    app.senders["slack"] = sender = RecordingSender(FakeClock(at))

    await tick(app.planning, at, delivery=app.delivery())

    assert [d.key for d in sender.sent] == [f"1/celebrate:first_share/{at.date()}"]


async def test_someone_the_roster_only_knows_by_slack_id_is_reached_through_that_id(database: Database):
    person_id = await add_person(database, "new@example.com", timezone="UTC", onboarded=False, introduced=False,
                                 address=None)  # fmt: skip
    async with database.sessions.begin() as session:
        session.add(IdentityRow(person_id=person_id, platform="slack", tenant="T1", user_id="U777"))
    at = MONDAY.replace(hour=16, minute=29)
    app = await make_app(database, FakeClock(at))
    app.senders["slack"] = sender = RecordingSender(FakeClock(at))

    await tick(app.planning, at, delivery=app.delivery())

    assert [d.address for d in sender.sent] == ["T1:U777"]  # the Slack Sender opens the DM from it
