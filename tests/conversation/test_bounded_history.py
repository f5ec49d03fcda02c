"""A turn reads a bounded history (the planning summary, recent activities, counts of older ones) and
answers exactly as from the whole history, on each database.

A person with a year of history (offers of every category and answer, celebrations, follow-ups,
activities across weeks, year ends and Sunday/Monday midnights) says and presses many things; each
answer from the bounded read (or from the whole history, where the dialogue says it needs it:
``Incomplete``) must equal the answer from the whole history, drawn from the same random state.
And the planning summary a turn writes back is the one the planner would build from the offers.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from bot.conversation.service import Conversation, answer
from bot.store.models import ActivityRow, OfferRow, PersonRow
from bot.store.store import Store
from bot.store.summary import decode, encode, summarise, usable
from bot.store.values import offer_from_values
from nudges.activities import ActivityKind
from nudges.catalogue import BUILTIN
from nudges.dialogue import Turn, respond
from nudges.events import Event, Inbound, PersonRef, Pressed, Said
from nudges.library import Category, Library
from nudges.messages import Action
from nudges.person import Incomplete
from nudges.progression import steady_weeks, tally
from tests.clock import Clock

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday morning
ANA = PersonRef("slack", "U0ANA", tenant="T1", email="ana@example.com", name="Ana", timezone="Europe/Lisbon")
STEPS = [t for t in BUILTIN if t.category in (Category.STEP, Category.PROMPT)]
ANSWERS = ("done", "done", "later", "not_for_me", None, None)


async def person_with_a_year(store: Store, clock: Clock) -> tuple[Conversation, int, list[str]]:
    """Ana, onboarded a year ago, with 120 offers and 80 activities over the year; the ids of a few
    offers: (old open, recent open, recent answered, old answered)."""
    talk = Conversation(store, BUILTIN, clock, random.Random(5))
    clock.now = NOW - timedelta(days=400)
    for text in ("hi", "linkedin", "cloud", "2", "2"):
        handled = await talk.handle(Inbound(ANA, Said(text), address="D1"))
    person_id = handled.person_id
    clock.now = NOW
    rng = random.Random(11)
    offers, activities = [], []
    for n in range(120):
        at = NOW - timedelta(days=365) + timedelta(days=3 * n, hours=rng.randint(0, 9))
        answer = ANSWERS[n % len(ANSWERS)] if at < NOW - timedelta(days=2) else None
        template = rng.choice(STEPS)
        key, kind, category = template.id, template.kind, template.category.value
        if n % 17 == 5:
            key, kind, category = (
                f"celebrate:{rng.choice(['first_share', 'first_question'])}",
                "celebration",
                "celebration",
            )
        elif n % 13 == 7:
            key, kind, category = f"follow_up:o{n - 1:03}", template.kind, "follow_up"
        elif n % 11 == 3:
            key, kind, category = f"content:item{n}", "share", "share"
        offers.append({
            "id": f"o{n:03}", "person_id": person_id, "key": key, "kind": kind, "category": category,
            "company": n % 9 == 0, "offered_at": at, "answer": answer,
            "answered_at": None if answer is None else at + timedelta(hours=3),
        })  # fmt: skip
    kinds = list(ActivityKind)
    for n in range(80):
        # Around week boundaries (Sunday late, Monday early, UTC) and across the year's end.
        at = NOW - timedelta(days=420) + timedelta(days=5 * n + n % 3, minutes=rng.choice([-1, 0, 1, 600]))
        activities.append({
            "person_id": person_id, "kind": rng.choice(kinds).value, "at": at, "note": f"did {n}", "source": "logged",
        })  # fmt: skip
    async with store.database.engine.begin() as connection:
        await connection.execute(insert(OfferRow), offers)
        await connection.execute(insert(ActivityRow), activities)
    return talk, person_id, ["o028", "o119", "o117", "o050"]


def bounded_enough(turn: Turn, event: Event) -> bool:
    try:
        respond(turn, event)
    except Incomplete:
        return False
    return True


def events(ids: list[str]) -> list[Event]:
    old_open, recent_open, recent_answered, old_answered = ids
    said = [
        "help", "journey", "how am I doing?", "log shared an article", "log wrote an original article",
        "next", "basics", "why", "done", "later", "not now", "not for me", "undo", "I asked a question online",
        "hi", "settings", "pause 7", "stop", "start",
    ]  # fmt: skip
    pressed = [
        Pressed(Action.DONE, recent_open), Pressed(Action.DONE, old_open), Pressed(Action.LATER, old_answered),
        Pressed(Action.WHY, recent_answered), Pressed(Action.WHY, old_open), Pressed(Action.DONE, "nothing"),
        Pressed(Action.NOTE_IT, "asked|I asked a question online"), Pressed(Action.UNDO), Pressed(Action.SHOW_JOURNEY),
    ]  # fmt: skip
    return [*(Said(text) for text in said), *pressed]


# What the bounded read must answer by itself (the common turns): the rest may need every offer (the
# map, for the order of celebrations long summed up) or the whole history.
BOUNDED_ENOUGH = {
    "help", "how am I doing?", "log shared an article", "log wrote an original article", "next",
    "basics", "why", "done", "later", "not now", "hi", "settings", "pause 7", "stop", "start",
}  # fmt: skip


@pytest.mark.parametrize("summary", ["emptied", "stored"])
async def test_a_turn_on_a_bounded_history_answers_as_on_the_whole_history(
    store: Store, summary: str
) -> None:
    clock = Clock(NOW)
    talk, person_id, ids = await person_with_a_year(store, clock)
    if summary == "stored":  # a turn that changes no offer writes the summary the triggers emptied
        await talk.handle(Inbound(ANA, Said("help"), address="D1"))
    library = Library(BUILTIN)
    for event in events(ids):
        async with store.unit_of_work(person_id) as unit:
            person, bounded = await unit.load_bounded(NOW)
            _, whole = await unit.load()
            assert bounded.bounded and len(bounded.activities) < len(whole.activities)
            assert len(bounded.offers) < len(whole.offers)
            expected = respond(Turn(person, whole, library, NOW, random.Random(3), introduced=True), event)
            turn = Turn(person, bounded, library, NOW, random.Random(3), introduced=True)
            assert await answer(unit, turn, event) == expected, event  # what ``Conversation.handle`` answers
            if isinstance(event, Said) and event.text in BOUNDED_ENOUGH:
                assert bounded_enough(replace(turn, rng=random.Random(3)), event), event


async def test_older_activities_are_summed_up_as_the_whole_history_counts_them(store: Store) -> None:
    _, person_id, _ = await person_with_a_year(store, Clock(NOW))
    async with store.unit_of_work(person_id) as unit:
        _, bounded = await unit.load_bounded(NOW)
        _, whole = await unit.load()
    counts = tally(bounded.activities)
    for kind, n in bounded.logged.kinds:
        counts[kind] += n
    assert counts == tally(whole.activities)
    assert bounded.logged.count + len(bounded.activities) == len(whole.activities)
    assert bounded.logged.weeks + steady_weeks(bounded.activities) == steady_weeks(whole.activities)
    assert bounded.activities == whole.activities[-len(bounded.activities) :]
    assert bounded.activities[0].at >= NOW - timedelta(days=35)


async def stored_summary(store: Store, person_id: int) -> str | None:
    async with store.database.sessions.begin() as session:
        return await session.scalar(select(PersonRow.plan_summary).where(PersonRow.id == person_id))


async def planners_summary(store: Store, person_id: int, now: datetime) -> str:
    """What the planner builds from the offers (``bot/scheduling/batch.py``)."""
    async with store.database.sessions.begin() as session:
        rows = await session.scalars(
            select(OfferRow).where(OfferRow.person_id == person_id).order_by(OfferRow.offered_at, OfferRow.id)
        )
        offers = [
            offer_from_values(
                o.id, o.key, o.kind, o.category, o.company, o.offered_at, o.answer, o.answered_at
            )
            for o in rows
        ]
    # With the content not ended at ``now``, as the planner's library has it (here none: the
    # offers' items were never imported).
    return encode(summarise(offers, now, library=Library(BUILTIN, await store.active_content(now))), now)


async def test_the_summary_a_turn_writes_is_the_planners(store: Store) -> None:
    clock = Clock(NOW)
    talk, person_id, ids = await person_with_a_year(store, clock)
    assert await stored_summary(store, person_id) is None  # emptied by the offers' insert
    # Each turn at its own instant: no change, a new offer, an answer to a recent one, a
    # celebration, an answer to an offer long summed up, and turns after it.
    turns = [
        Said("help"), Said("next"), Pressed(Action.DONE, ids[1]), Said("log asked a question"),
        Pressed(Action.LATER, ids[0]), Said("journey"), Said("undo"), Said("how am I doing?"),
    ]  # fmt: skip
    for n, event in enumerate(turns):
        clock.now = NOW + timedelta(minutes=n)
        await talk.handle(Inbound(ANA, event, address="D1"))
        stored = await stored_summary(store, person_id)
        if isinstance(event, Pressed) and event.value == ids[0]:
            assert stored is None  # it changed an offer the summary had summed up: left to the next reader
        else:
            # The same offers compacted alike (a turn that changed no offer keeps the one before it).
            assert stored is not None and usable(stored, clock.now), event
            assert decode(stored) == decode(await planners_summary(store, person_id, clock.now)), event


async def test_a_summary_that_cannot_be_read_is_built_again_from_the_offers(store: Store) -> None:
    clock = Clock(NOW)
    talk, person_id, _ = await person_with_a_year(store, clock)
    async with store.database.sessions.begin() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(plan_summary='{"w":1,"broken')
        )
    handled = await talk.handle(Inbound(ANA, Said("journey"), address="D1"))
    assert handled.replies
    stored = await stored_summary(store, person_id)
    assert stored is not None and decode(stored) == decode(await planners_summary(store, person_id, NOW))
