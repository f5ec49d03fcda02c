"""A planning summary leaves out the content that has ended, and an item brought back empties the
summaries of everyone it was offered to (``nudges.selection.compact``, ``Store.upsert_content``)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.scheduling.batch import Context, plan_rows
from bot.scheduling.sql import Batches, batches_for
from bot.scheduling.tick import plan
from bot.store.database import Database
from bot.store.models import OfferRow, PersonRow
from bot.store.summary import decode, encode
from nudges.library import Category, ContentItem
from nudges.person import History
from tests.delivery.fakes import FakeClock, add_person, make_app
from tests.scheduling.test_batches import LATE_MONDAY, _context


def _item(item_id: str, expires_at: datetime | None, title: str = "Worth a read") -> ContentItem:
    """As an import at ``LATE_MONDAY`` gives it (its ``created_at`` is the import's instant)."""
    return ContentItem(
        item_id, title, f"https://example.org/{item_id}", ("cloud",), {"linkedin": "A good read"},
        created_at=LATE_MONDAY, expires_at=expires_at,
    )  # fmt: skip


async def _offered(database: Database, person_id: int, item_id: str, days_ago: int) -> None:
    at = LATE_MONDAY - timedelta(days=days_ago)
    async with database.sessions.begin() as session:
        session.add(
            OfferRow(id=f"o-{person_id}-{item_id}", person_id=person_id, key=f"content:{item_id}", kind="share",
                     category=Category.SHARE.value, company=False, offered_at=at, answer="done", answered_at=at)
        )  # fmt: skip


async def _summary(database: Database, person_id: int) -> str | None:
    async with database.sessions.begin() as session:
        return await session.scalar(select(PersonRow.plan_summary).where(PersonRow.id == person_id))


async def test_a_tick_keeps_the_keys_of_live_content_only(database: Database):
    app = await make_app(database, FakeClock(LATE_MONDAY))
    await app.store.upsert_content([_item("ended", LATE_MONDAY - timedelta(days=20)), _item("live", None)])
    person = await add_person(database, "p@example.com", timezone="Europe/London")
    await _offered(database, person, "ended", 40)
    await _offered(database, person, "live", 30)

    await plan(app.planning, LATE_MONDAY)

    summary = await _summary(database, person)
    assert summary is not None
    keys = decode(summary).earlier.keys
    assert "content:live" in keys and "content:ended" not in keys


async def test_an_item_brought_back_empties_the_summaries_of_those_it_was_offered_to(database: Database):
    app = await make_app(database, FakeClock(LATE_MONDAY))
    ended = _item("ended", LATE_MONDAY - timedelta(days=20))
    await app.store.upsert_content([ended, _item("live", LATE_MONDAY + timedelta(days=5))])
    had_it, had_it_before, had_other, had_none = [
        await add_person(database, f"{name}@example.com") for name in ("had-it", "before", "other", "none")
    ]
    await _offered(database, had_it, "ended", 40)
    await _offered(database, had_it_before, "ended", 40)
    await _offered(database, had_other, "live", 30)
    # Summaries written yesterday, after the item ended (they leave it out); one written while it was live.
    yesterday = encode(History(()), LATE_MONDAY - timedelta(days=1))
    written_while_live = encode(History(()), LATE_MONDAY - timedelta(days=25))
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).values(plan_summary=yesterday))
        await session.execute(
            update(PersonRow).where(PersonRow.id == had_it_before).values(plan_summary=written_while_live)
        )

    # Changes that bring nothing back (a new title, a live item's later end) leave every summary be.
    await app.store.upsert_content([_item("live", LATE_MONDAY + timedelta(days=5), title="A new title")])
    await app.store.upsert_content([_item("live", LATE_MONDAY + timedelta(days=50))])
    assert None not in [await _summary(database, p) for p in (had_it, had_other, had_none)]

    await app.store.upsert_content([_item("ended", LATE_MONDAY + timedelta(days=10))])  # brought back
    assert await _summary(database, had_it) is None  # built again from the offers, which hold it
    assert await _summary(database, had_it_before) == written_while_live  # it holds the item
    assert await _summary(database, had_other) is not None and await _summary(database, had_none) is not None

    await plan(app.planning, LATE_MONDAY)
    async with database.sessions.begin() as session:
        keys = await session.scalars(select(OfferRow.key).where(OfferRow.person_id == had_it))
        assert list(keys).count("content:ended") == 1  # never offered to them twice


async def _tick_started(app, database: Database) -> tuple[Batches, Context]:
    """A tick's start: what it notes of revivals, then its library (as ``tick.plan`` reads them)."""
    batches = batches_for(database.engine)
    await batches.read_revivals()
    return batches, await _context(app)


async def test_an_item_brought_back_after_a_tick_read_its_library_is_not_left_out_by_it(database: Database):
    app = await make_app(database, FakeClock(LATE_MONDAY))
    await app.store.upsert_content([_item("ended", LATE_MONDAY - timedelta(days=20))])
    person = await add_person(database, "p@example.com", timezone="Europe/London")
    await _offered(database, person, "ended", 40)  # no summary yet: the tick builds one

    batches, context = await _tick_started(app, database)
    await app.store.upsert_content([_item("ended", LATE_MONDAY + timedelta(days=10))])  # brought back
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None
    planned = plan_rows(context, claim.rows)
    assert [text for p, text, _ in planned.summaries if p == person and "content:ended" not in text]
    await batches.write(claim, planned, LATE_MONDAY)

    summary = await _summary(database, person)
    assert summary is None or "content:ended" in decode(summary).earlier.keys


async def test_an_item_brought_back_while_a_tick_holds_someone_is_not_left_out_by_it(database: Database):
    app = await make_app(database, FakeClock(LATE_MONDAY))
    await app.store.upsert_content([_item("ended", LATE_MONDAY - timedelta(days=20))])
    person = await add_person(database, "p@example.com", timezone="Europe/London")
    await _offered(database, person, "ended", 40)

    batches, context = await _tick_started(app, database)
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None
    planned = plan_rows(context, claim.rows)
    # Whichever commits first, the summary left must hold the item (on PostgreSQL the revival writes
    # every row of those it was offered to, so it waits for the person the batch holds).
    revival = asyncio.create_task(
        app.store.upsert_content([_item("ended", LATE_MONDAY + timedelta(days=10))])
    )
    await asyncio.sleep(0.3)
    await batches.write(claim, planned, LATE_MONDAY)
    await revival

    summary = await _summary(database, person)
    assert summary is None or "content:ended" in decode(summary).earlier.keys
