"""A tick plans the same from the summaries on people's rows as from their whole offer history, on
SQLite and PostgreSQL, and the summaries stay current as the tick and everything else writes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.delivery.models import DeliveryRow
from bot.scheduling.tick import plan
from bot.store.backfill import backfill
from bot.store.database import Database
from bot.store.models import ActivityRow, OfferRow, PersonRow
from bot.store.summary import decode, usable
from nudges.catalogue import BUILTIN
from nudges.library import Category
from tests.delivery.fakes import FakeClock, add_person, make_app

NOW = datetime(2026, 11, 24, 10, 3, tzinfo=UTC)  # a Tuesday: inside most people's window
STEPS = [t for t in BUILTIN if t.category in (Category.STEP, Category.PROMPT)]
ANSWERS = (None, None, "done", "later", "not_for_me")


async def seed_people(database: Database, rng: random.Random, people: int) -> None:
    for n in range(people):
        person_id = await add_person(
            database, f"p{n}@example.com", timezone=rng.choice(("Europe/Berlin", "UTC", "America/New_York")),
            zone=rng.randint(1, 4), weekly_cap=rng.choice((1, 2, 3)), networks=["linkedin", "x"][: rng.randint(1, 2)],
            milestones=rng.sample(["first-post", "a-year"], rng.randint(0, 1)),
        )  # fmt: skip
        never_answers = rng.random() < 0.15
        offers: list[dict[str, Any]] = []
        for i in range(rng.choice((0, 3, 40, 100))):
            at = NOW - timedelta(minutes=1 + int(rng.random() ** 2 * 365 * 24 * 60))
            t = rng.choice(STEPS)
            key, kind, category = t.id, t.kind, t.category.value
            if rng.random() < 0.1:
                key, kind, category = (
                    f"celebrate:{rng.choice(('first-post', 'a-year'))}",
                    "celebration",
                    "celebration",
                )
            answer = None if never_answers else rng.choice(ANSWERS)
            offers.append({
                "id": f"{person_id}-{i}", "person_id": person_id, "key": key, "kind": kind, "category": category,
                "company": False, "offered_at": at, "answer": answer, "answered_at": at if answer else None,
            })  # fmt: skip
        async with database.sessions.begin() as session:
            if offers:
                await session.execute(OfferRow.__table__.insert(), offers)
            for _ in range(rng.randint(0, 3)):
                at = NOW - timedelta(hours=rng.randrange(1, 300))
                session.add(
                    ActivityRow(person_id=person_id, kind="followed", at=at, note="", source="logged")
                )


async def planned(database: Database) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    async with database.sessions() as session:
        deliveries = (await session.execute(
            select(DeliveryRow.key, DeliveryRow.category).order_by(DeliveryRow.key)
        )).all()  # fmt: skip
        dues = (
            await session.execute(select(PersonRow.id, PersonRow.next_due_at).order_by(PersonRow.id))
        ).all()
    return [tuple(r) for r in deliveries], [tuple(r) for r in dues]


async def undo_plan(database: Database) -> None:
    """Back to before the tick: no outbox rows, no offers made at ``NOW``, nobody's next look set."""
    async with database.sessions.begin() as session:
        await session.execute(delete(DeliveryRow))
        await session.execute(delete(OfferRow).where(OfferRow.offered_at == NOW))
        await session.execute(update(PersonRow).values(next_due_at=None))


async def summaries(database: Database) -> list[str | None]:
    async with database.sessions() as session:
        return list(await session.scalars(select(PersonRow.plan_summary).order_by(PersonRow.id)))


async def test_plans_from_summaries_are_the_plans_from_whole_histories(database: Database) -> None:
    await seed_people(database, random.Random(11), 80)
    app = await make_app(database, FakeClock(NOW))
    assert set(await summaries(database)) == {None}  # inserted offers leave no summary behind

    # 1. From whole histories (nobody has a summary): the tick writes one for everyone it looked at.
    app.planning.rng.seed(5)
    report = await plan(app.planning, NOW)
    from_offers = await planned(database)
    assert report.planned > 10 and all(usable(s, NOW) for s in await summaries(database))

    # 2. From summaries written ten days ago (the backfill's), the same people, the same draws.
    await undo_plan(database)
    async with database.engine.begin() as connection:
        await connection.run_sync(backfill, NOW - timedelta(days=10))
    app.planning.rng.seed(5)
    await plan(app.planning, NOW)
    assert await planned(database) == from_offers

    # 3. A later tick from the summaries the tick itself wrote (its own offers folded in), as from
    # the whole histories then (everyone looked at in both).
    later = NOW + timedelta(days=2, hours=1)
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).values(next_due_at=None))
    assert all(usable(s, later) for s in await summaries(database))
    app.planning.rng.seed(9)
    await plan(app.planning, later)
    from_summaries = await planned(database)
    async with database.sessions.begin() as session:
        await session.execute(delete(DeliveryRow).where(DeliveryRow.created_at == later))
        await session.execute(delete(OfferRow).where(OfferRow.offered_at == later))
        await session.execute(update(PersonRow).values(plan_summary=None, next_due_at=None))
    app.planning.rng.seed(9)
    await plan(app.planning, later)
    assert await planned(database) == from_summaries


async def test_any_change_to_an_offer_empties_the_summary_and_the_next_tick_rebuilds_it(
    database: Database,
) -> None:
    await seed_people(database, random.Random(3), 5)
    async with database.engine.begin() as connection:
        await connection.run_sync(backfill, NOW)
    assert all(s is not None for s in await summaries(database))
    async with database.sessions.begin() as session:
        offer = await session.scalar(select(OfferRow).order_by(OfferRow.id).limit(1))
        assert offer is not None
        person_id = offer.person_id
        offer.answer, offer.answered_at = "not_for_me", NOW  # a turn's answer
    by_id = dict(zip(range(1, 6), await summaries(database), strict=True))
    assert by_id[person_id] is None and sum(s is None for s in by_id.values()) == 1
    async with database.sessions.begin() as session:  # the outbox's own columns leave it alone
        await session.execute(
            update(OfferRow).where(OfferRow.person_id != person_id).values(message_ref="ts1")
        )
    assert sum(s is None for s in await summaries(database)) == 1

    app = await make_app(database, FakeClock(NOW))
    await plan(app.planning, NOW)
    async with database.sessions() as session:
        text = await session.scalar(select(PersonRow.plan_summary).where(PersonRow.id == person_id))
        kinds = await session.scalar(
            select(func.count()).select_from(OfferRow).where(OfferRow.person_id == person_id)
        )
    assert text is not None and kinds
    history = decode(text)
    assert offer.kind in history.earlier.not_for_me | {o.kind for o in history.offers if o.answer}


async def test_an_inserted_offer_empties_a_summary_unless_the_summary_holds_it(database: Database) -> None:
    """The planner writes a nudged person's summary with the new offer, then inserts the offer: that
    insert must leave the summary be (migrations 0021 and 0022), and any other insert must still
    empty it."""
    await seed_people(database, random.Random(5), 30)
    async with database.engine.begin() as connection:
        await connection.run_sync(backfill, NOW)
    app = await make_app(database, FakeClock(NOW))
    report = await plan(app.planning, NOW)
    assert report.planned
    async with database.sessions() as session:
        nudged = set(await session.scalars(select(DeliveryRow.person_id)))
    assert all(usable(s, NOW) for s in await summaries(database))  # the tick's own inserts kept them
    held = {
        person_id: decode(text).offers[-1]
        for person_id, text in (await summaries_by_person(database)).items()
        if person_id in nudged and text is not None
    }
    assert held and all(o.offered_at == NOW for o in held.values())

    first, *_ = sorted(held)
    async with database.sessions.begin() as session:  # a turn's offer, which no summary holds
        await session.execute(OfferRow.__table__.insert(), [{
            "id": "turn-1", "person_id": first, "key": STEPS[0].id, "kind": STEPS[0].kind, "category": "step",
            "company": False, "offered_at": NOW, "answer": None, "answered_at": None,
        }])  # fmt: skip
    after = await summaries_by_person(database)
    assert after[first] is None
    assert all(after[p] is not None for p in held if p != first)


async def summaries_by_person(database: Database) -> dict[int, str | None]:
    async with database.sessions() as session:
        return {i: s for i, s in (await session.execute(select(PersonRow.id, PersonRow.plan_summary))).all()}


async def test_a_summary_of_the_list_format_holding_the_inserted_offer_is_left_be(database: Database) -> None:
    """Summaries written before version 3 (offers as lists) stay in rows until their person is next
    planned, and a replica of the previous release writes them during a rolling upgrade: an insert of
    an offer such a summary holds leaves it be too (migration 0022)."""
    await seed_people(database, random.Random(6), 2)
    async with database.sessions() as session:
        first, second = sorted(await session.scalars(select(PersonRow.id)))
    step = f'"{STEPS[0].id}","{STEPS[0].kind}","step",0,"2026-03-01T09:00:00+00:00",null,null'
    listed = f'{{"w":1,"v":2,"e":null,"o":[["kept-1",{step}]]}}'
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).values(plan_summary=listed))
        await session.execute(OfferRow.__table__.insert(), [{
            "id": f"kept-{n}", "person_id": person, "key": STEPS[0].id, "kind": STEPS[0].kind,
            "category": "step", "company": False, "offered_at": NOW, "answer": None, "answered_at": None,
        } for n, person in ((1, first), (2, second))])  # fmt: skip
    after = await summaries_by_person(database)
    assert after[first] == listed and after[second] is None  # the second's summary lacks kept-2
