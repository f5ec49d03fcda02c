"""Planning in batches: worker processes plan what the tick itself would, claims hold their people,
and a change made while a batch is being planned is never written over.

On SQLite and PostgreSQL; the worker pool is real (a fork server and two processes).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from bot.delivery.models import DeliveryRow
from bot.scheduling.batch import Context, Planned, plan_rows
from bot.scheduling.pool import Planners, PlanningFailed
from bot.scheduling.sql import Batches, Claim, batches_for
from bot.scheduling.tick import plan
from bot.store.backfill import backfill
from bot.store.database import Database
from bot.store.models import OfferRow, PersonRow
from tests.conftest import BACKENDS
from tests.delivery.fakes import FakeClock, add_person, make_app

# Late in Berlin's and London's working day, so most of their own send minutes have passed.
LATE_MONDAY = datetime(2026, 11, 23, 15, 20, tzinfo=UTC)
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo"]


async def _organisation(database: Database, people: int) -> None:
    for n in range(people):
        introduced = n % 5 != 0  # some are still to be introduced
        await add_person(database, f"p{n}@example.com", timezone=ZONES[n % len(ZONES)], introduced=introduced)


async def _outcome(database: Database) -> tuple[dict, dict, dict]:
    """What a planning pass left: outbox rows by key, offers by person, and everyone's next look."""
    async with database.sessions.begin() as session:
        deliveries = {
            row.key: (row.person_id, row.category, row.platform, row.address, row.status)
            for row in (await session.scalars(select(DeliveryRow))).all()
        }
        offers = {
            row.person_id: (row.key, row.kind, row.category, row.company)
            for row in (await session.scalars(select(OfferRow))).all()
        }
        due = {row.id: row.next_due_at for row in (await session.scalars(select(PersonRow))).all()}
    return deliveries, offers, due


async def _reset(database: Database) -> None:
    async with database.sessions.begin() as session:
        await session.execute(text("DELETE FROM deliveries"))
        await session.execute(text("DELETE FROM offers"))
        await session.execute(update(PersonRow).values(next_due_at=None))
        await session.execute(update(PersonRow).where(PersonRow.id % 5 == 1).values(introduced_at=None))


async def test_worker_processes_plan_exactly_what_the_tick_plans_itself(database: Database):
    await _organisation(database, 60)
    app = await make_app(database, FakeClock(LATE_MONDAY))

    app.rng = random.Random(11)
    alone = await plan(app.planning, LATE_MONDAY, batch_size=7)
    in_process = await _outcome(database)

    await _reset(database)
    app.rng = random.Random(11)
    app.planners = Planners(2)
    try:
        pooled = await plan(app.planning, LATE_MONDAY, batch_size=7)
        assert app.planners.started == 2  # the batches really went to the workers
    finally:
        await app.planners.close()

    assert (pooled.looked_at, pooled.planned) == (alone.looked_at, alone.planned) == (60, alone.planned)
    assert alone.planned > 20  # most Europeans get a nudge or their introduction
    assert await _outcome(database) == in_process


async def test_offer_ids_grow_with_the_tick_so_the_offers_index_is_added_to_at_its_end(database: Database):
    """(Random ids each landed on a page of their own in an index of millions of offers.)"""
    await _organisation(database, 8)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    await plan(app.planning, LATE_MONDAY)
    async with database.sessions.begin() as session:
        first = set(await session.scalars(select(OfferRow.id)))
        await session.execute(update(PersonRow).values(next_due_at=None))
    await plan(app.planning, LATE_MONDAY + timedelta(days=1))
    async with database.sessions.begin() as session:
        later = set(await session.scalars(select(OfferRow.id))) - first

    assert len(first) >= 4 and len(later) >= 4 and len(first | later) == len(first) + len(later)
    assert max(first) < min(later)  # a later tick's ids sort after an earlier tick's
    assert all(len(offer_id) == len(max(first)) for offer_id in first | later)


async def test_a_small_tick_plans_in_its_own_process(database: Database):
    await _organisation(database, 3)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    app.planners = Planners(2)

    report = await plan(app.planning, LATE_MONDAY)

    assert report.looked_at == 3 and app.planners.started == 0  # no worker started for three people


async def test_two_planners_at_the_same_instant_plan_each_person_once(database: Database):
    """PostgreSQL: the second claim skips the people the first holds. SQLite (one process by design,
    but a cron tick may overlap the server's): both read them, and only the first write keeps them."""
    await _organisation(database, 4)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    batches = batches_for(database.engine)

    first = await batches.claim(0, 10, LATE_MONDAY, 1)
    second = await batches.claim(0, 10, LATE_MONDAY, 2)  # another planner, the same instant
    assert first is not None and first.ids == [1, 2, 3, 4]
    written = await batches.write(first, plan_rows(await _context(app), first.rows), LATE_MONDAY)
    if second is not None:
        assert database.is_sqlite
        assert await batches.write(second, plan_rows(await _context(app), second.rows), LATE_MONDAY) == 0

    deliveries, offers, due = await _outcome(database)
    assert written == len(deliveries) == len(offers) > 0
    assert all(due[person] is not None for person in due)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_sqlite_a_change_while_a_batch_is_planned_is_kept_and_looked_at_again(database: Database):
    """SQLite: the write keeps only people still as the claim read them; someone who changed meanwhile
    is left to the next tick (PostgreSQL holds claimed people locked instead: see the next test)."""
    await _organisation(database, 3)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    batches, claim, planned, nudged = await _claimed_and_planned(app, database)
    changed = nudged[0]

    person, _ = await app.store.load_all(changed)  # meanwhile they say "pause 14" in chat
    await app.store.save(changed, person.evolve(paused_until=LATE_MONDAY + timedelta(days=14)))
    written = await batches.write(claim, planned, LATE_MONDAY)

    deliveries, _, due = await _outcome(database)
    assert {person for person, *_ in deliveries.values()} == set(nudged[1:]) and written == len(nudged) - 1
    assert due[changed] is None  # nothing planned on their old state; the next tick looks again
    assert all(due[other] is not None for other in due if other != changed)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("summed", [True, False], ids=["from-summaries", "from-offers"])
async def test_sqlite_an_offer_changed_while_a_batch_is_planned_is_not_written_over(
    database: Database, summed: bool
) -> None:
    """SQLite: the outbox dropping an unsent offer (or anything else changing one) touches neither
    next_due_at nor updated_at, so the write also checks that a summary the claim read is still
    there (the offers' triggers empty it) and, for people planned from their offers, that those are
    as read. Otherwise the plan of a stale history would be written back as their summary."""
    await _organisation(database, 3)
    async with database.sessions.begin() as session:
        for person in (1, 2, 3):
            session.add(OfferRow(
                id=f"old-{person}", person_id=person, key="consumer.follow-three-voices", kind="follow",
                category="step", company=False, offered_at=LATE_MONDAY - timedelta(days=30),
                answer="done", answered_at=LATE_MONDAY - timedelta(days=29),
            ))  # fmt: skip
    if summed:
        async with database.engine.begin() as connection:
            await connection.run_sync(backfill, LATE_MONDAY - timedelta(hours=1))
    app = await make_app(database, FakeClock(LATE_MONDAY))
    batches, claim, planned, nudged = await _claimed_and_planned(app, database)
    changed = nudged[0]

    async with database.sessions.begin() as session:  # meanwhile one of their offers goes
        await session.execute(text("DELETE FROM offers WHERE person_id = :p"), {"p": changed})
    written = await batches.write(claim, planned, LATE_MONDAY)

    deliveries, _, due = await _outcome(database)
    assert {person for person, *_ in deliveries.values()} == set(nudged[1:]) and written == len(nudged) - 1
    assert due[changed] is None  # looked at again next tick, from what is there then
    async with database.sessions() as session:
        summaries = dict((await session.execute(select(PersonRow.id, PersonRow.plan_summary))).all())
    assert summaries[changed] is None and all(summaries[p] is not None for p in nudged[1:])


@pytest.mark.parametrize("database", [b for b in BACKENDS if b == "postgresql"], indirect=True)
async def test_postgres_a_claim_holds_its_people_until_written(database: Database):
    await _organisation(database, 3)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    batches = batches_for(database.engine)
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None

    async with database.engine.connect() as other:  # a conversation with person 2, say
        with pytest.raises(DBAPIError, match="could not obtain lock"):
            await other.execute(text("SELECT id FROM people WHERE id = 2 FOR UPDATE NOWAIT"))

    await batches.write(claim, plan_rows(await _context(app), claim.rows), LATE_MONDAY)
    async with database.engine.connect() as other:
        assert (await other.execute(text("SELECT id FROM people WHERE id = 2 FOR UPDATE NOWAIT"))).all()


async def test_a_planner_that_dies_leaves_its_people_due(database: Database):
    await _organisation(database, 2)
    batches = batches_for(database.engine)
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None

    await batches.abandon(claim)  # the planner died (PostgreSQL: its transaction rolled back)

    later = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert later is not None and later.ids == [1, 2]
    await batches.abandon(later)


async def _claimed_and_planned(app, database: Database) -> tuple[Batches, Claim, Planned, list[int]]:
    """One batch claimed and planned, not yet written; the people it nudges (at least two)."""
    batches = batches_for(database.engine)
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None
    planned = plan_rows(await _context(app), claim.rows)
    nudged = sorted(d[1] for d in planned.deliveries)
    assert len(nudged) >= 2
    return batches, claim, planned, nudged


async def _context(app) -> Context:
    return Context(
        now=LATE_MONDAY,
        library=await app.conversation.library(LATE_MONDAY),
        auto_enrolled_teams=frozenset(),
        seed=7,
        console=False,
        dialect=app.db.engine.dialect.name,
    )


async def test_a_person_whose_row_cannot_be_read_is_skipped_not_everyone(database: Database, caplog):
    await _organisation(database, 6)
    async with database.sessions.begin() as session:  # a hand edit gone wrong
        await session.execute(update(PersonRow).where(PersonRow.id == 2).values(work_start="25:99"))
    app = await make_app(database, FakeClock(LATE_MONDAY))

    report = await plan(app.planning, LATE_MONDAY)

    deliveries, _, due = await _outcome(database)
    assert report.looked_at == 6 and report.planned == len(deliveries) > 0
    assert 2 not in {person for person, *_ in deliveries.values()}
    assert due[2] == LATE_MONDAY + timedelta(days=1)
    assert "could not plan person 2" in caplog.text and "ValueError" in caplog.text


async def test_a_planning_worker_that_dies_fails_the_tick_and_its_people_come_back(database: Database):
    await _organisation(database, 20)
    app = await make_app(database, FakeClock(LATE_MONDAY))
    app.planners = Planners(1)
    try:
        await plan(app.planning, LATE_MONDAY, batch_size=5)
        await _reset(database)
        (worker,) = app.planners._all
        worker.process.kill()  # the operating system ended it between two ticks
        await worker.process.wait()

        with pytest.raises(PlanningFailed):
            await plan(app.planning, LATE_MONDAY, batch_size=5)

        report = await plan(app.planning, LATE_MONDAY, batch_size=5)
        assert report.looked_at == 20  # everyone, the people of the failed tick too
        assert app.planners.started == 1  # a new worker took the dead one's place
    finally:
        await app.planners.close()
