"""The copy-editing path on the real database (SQLite and PostgreSQL): a draft reaches the editors
through the outbox, two claims at once give one winner, suggestions go back, the author answers, an
unclaimed draft is reminded once after a working day, and bad input changes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from adapters.console.sender import ConsoleSender
from bot.creators.models import ACCEPTED, OPEN, EditRequestRow
from bot.creators.service import Creators
from bot.delivery.codec import decode
from bot.delivery.models import CANCELLED, DeliveryRow
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.roles import change_role
from bot.store.store import Store
from nudges.creators import CATEGORY, CreatorAction
from nudges.events import PersonRef

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday


async def _person(store: Store, database: Database, name: str, *, editor: bool = False, zone: int = 3) -> int:
    email = f"{name.lower()}@example.com"
    ref = PersonRef("console", email, email=email, name=name)
    person_id = await store.ensure_person(ref, f"console:{email}", NOW)
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).where(PersonRow.id == person_id).values(zone=zone))
    if editor:
        await change_role(database, email, "editor", grant=True, actor="test", platform="cli", now=NOW)
    return person_id


async def _rows(database: Database, prefix: str) -> list[DeliveryRow]:
    async with database.sessions() as session:
        query = select(DeliveryRow).where(DeliveryRow.key.like(f"{prefix}%")).order_by(DeliveryRow.key)
        return list(await session.scalars(query))


async def test_a_draft_goes_to_the_editors_and_back(database: Database, store: Store) -> None:
    author = await _person(store, database, "Ann")
    eve = await _person(store, database, "Eve", editor=True)
    ed = await _person(store, database, "Ed", editor=True)
    creators = Creators(database, lambda: NOW, {"console": ConsoleSender(lambda _: None)})
    person = (await store.load(author, NOW))[0]

    sent = await creators.request_edit(author, person, {"title": "Why we test", "draft": "Teh draft."})
    assert "on its way" in sent.replies[0].fallback and "voice" in sent.replies[0].fallback
    asks = await _rows(database, "edit:")
    assert sorted(r.person_id for r in asks) == sorted([eve, ed])
    assert {r.category for r in asks} == {CATEGORY}
    request_id = asks[0].key.split("/")[0].removeprefix("edit:")
    claim = decode(asks[0].message or {}).buttons[0]
    assert (claim.action, claim.value) == (CreatorAction.CLAIM, request_id)

    # Both editors press Claim at the same moment: one wins, the other is told kindly.
    eve_p, ed_p = (await store.load(eve, NOW))[0], (await store.load(ed, NOW))[0]
    results = await asyncio.gather(
        creators.claim(eve, eve_p, request_id), creators.claim(ed, ed_p, request_id)
    )
    looks = [r.replace.fallback if r.replace else "" for r in results]
    assert sum("Yours to copy-edit" in look for look in looks) == 1
    assert sum("just before you" in look for look in looks) == 1
    winner = eve if "Yours" in looks[0] else ed
    loser = ed if winner == eve else eve
    # The asks not sent yet are not sent any more; the author hears an editor has it.
    assert {r.status for r in await _rows(database, f"edit:{request_id}/ask/")} == {CANCELLED}
    assert [r.person_id for r in await _rows(database, f"edit:{request_id}/claimed")] == [author]

    refused = await creators.suggest(loser, request_id, {"suggestions": "mine"})
    assert "isn't one I can change" in refused.replies[0].fallback
    assert not await _rows(database, f"edit:{request_id}/suggested")
    empty = await creators.suggest(winner, request_id, {"suggestions": "  "})
    assert "is needed" in empty.replies[0].fallback
    done = await creators.suggest(winner, request_id, {"suggestions": "The draft."})
    assert "Sent" in done.replies[0].fallback
    (back,) = await _rows(database, f"edit:{request_id}/suggested")
    assert back.person_id == author
    assert [b.action for b in decode(back.message or {}).buttons] == [
        CreatorAction.ACCEPT,
        CreatorAction.DECLINE,
    ]

    assert "isn't one" in (await creators.answer(winner, request_id, accepted=True)).replies[0].fallback
    answered = await creators.answer(author, request_id, accepted=True)
    assert answered.replace is not None and "Accepted" in answered.replace.fallback
    assert [r.person_id for r in await _rows(database, f"edit:{request_id}/answered")] == [winner]
    async with database.sessions() as session:
        row = await session.get(EditRequestRow, request_id)
        assert row is not None and row.status == ACCEPTED and row.editor_id == winner


async def test_bad_input_and_no_editors_change_nothing(database: Database, store: Store) -> None:
    author = await _person(store, database, "Ann")
    creators = Creators(database, lambda: NOW, {"console": ConsoleSender(lambda _: None)})
    person = (await store.load(author, NOW))[0]
    nobody = await creators.request_edit(author, person, {"draft": "A draft."})
    assert "nobody with the **editor** role" in nobody.replies[0].blocks[0].text  # type: ignore[union-attr]
    await _person(store, database, "Eve", editor=True)
    for values in ({"draft": ""}, {"draft": "x" * 9000}, {"draft": "ok", "title": "t" * 200}):
        refused = await creators.request_edit(author, person, values)
        assert "Nothing was sent yet" in refused.replies[0].fallback
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(EditRequestRow)) == 0
        assert await session.scalar(select(func.count()).select_from(DeliveryRow)) == 0


async def test_unclaimed_drafts_are_reminded_once_after_a_working_day(
    database: Database, store: Store
) -> None:
    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    author = await _person(store, database, "Ann", zone=3)
    fast = await _person(store, database, "Zed", zone=4)
    editor = await _person(store, database, "Eve", editor=True)
    clock = [friday]
    creators = Creators(database, lambda: clock[0], {"console": ConsoleSender(lambda _: None)})
    await creators.request_edit(
        author, (await store.load(author, friday))[0], {"draft": "Mine.", "title": "A"}
    )
    clock[0] = friday + timedelta(minutes=5)
    await creators.request_edit(fast, (await store.load(fast, friday))[0], {"draft": "Quick.", "title": "B"})
    # Socially Engaged first in the editor's queue, though asked later.
    queue = await creators.queue(editor, (await store.load(editor, friday))[0])
    text = queue.replies[0].fallback
    assert text.index("- B (a Socially Engaged writer") < text.index("- A")
    assert await creators.remind(friday + timedelta(days=1)) == 0  # Saturday: not a working day later
    assert await creators.remind(friday + timedelta(days=3, minutes=10)) == 2  # Monday
    assert await creators.remind(friday + timedelta(days=4)) == 0  # once
    reminders = await _rows(database, "edit:")
    assert sum("/remind/" in r.key for r in reminders) == 2
    assert all(r.person_id == editor for r in reminders)
    async with database.sessions() as session:
        statuses = set(await session.scalars(select(EditRequestRow.status)))
    assert statuses == {OPEN}


async def test_the_scheduler_tick_sends_the_reminder(database: Database) -> None:
    from bot.main.build import build
    from bot.scheduling.tick import tick
    from bot.settings import Settings

    friday = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    clock = [friday]
    settings = Settings(_env_file=None, database_url=database.url)  # type: ignore[call-arg]
    app = await build(settings, clock=lambda: clock[0], migrate=False)
    try:
        assert app.planning.creators is app.conversation.creators is not None
        author = await _person(app.store, database, "Ann")
        await _person(app.store, database, "Eve", editor=True)
        person = (await app.store.load(author, friday))[0]
        await app.conversation.creators.request_edit(author, person, {"draft": "Mine."})
        assert (await tick(app.planning, friday + timedelta(hours=2))).reminded == 0
        report = await tick(app.planning, friday + timedelta(days=3))  # Monday afternoon
        assert report.reminded == 1
        assert [r.key.split("/")[1] for r in await _rows(database, "edit:")] == ["ask", "remind"]
    finally:
        await app.close()
