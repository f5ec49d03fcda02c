"""The outbox renders a row's message from its offer when it sends it: what planning would have
shown, unless what it offered is gone by then; rows planned with a message go out as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.delivery.codec import encode
from bot.delivery.deliver import Delivery
from bot.delivery.messages import WITHDRAWN
from bot.delivery.models import EXPIRED, SENT, DeliveryRow
from bot.store.database import Database
from bot.store.mapping import offer_row
from bot.store.models import OfferRow
from bot.store.store import Store
from nudges.catalogue import BUILTIN
from nudges.library import Category, ContentItem
from nudges.messages import text_message
from nudges.person import Offer
from nudges.views import follow_up_nudge, share_nudge, step_nudge
from tests.delivery.fakes import FakeClock, RecordingSender, add_person

MONDAY_NOON = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # noon in Berlin
ITEM = ContentItem(
    "cloud-report", "The cloud report", "https://example.com/cloud", ("cloud",),
    {"linkedin": "What does cloud really cost? Our yearly look."}, expires_at=MONDAY_NOON + timedelta(days=3),
)  # fmt: skip
STEP = next(t for t in BUILTIN if t.follow_up)


async def _planned(database: Database, person_id: int, offer: Offer, message: dict | None = None) -> None:
    """An offer and its outbox row, as the planner writes them."""
    async with database.sessions.begin() as session:
        session.add(offer_row(person_id, offer))
        session.add(
            DeliveryRow(
                key=f"{person_id}/{offer.key}/2026-11-23", person_id=person_id, offer_id=offer.id,
                category=offer.category.value, platform="slack", address="D1", message=message,
                not_before=MONDAY_NOON, created_at=MONDAY_NOON,
            )
        )  # fmt: skip


async def _deliver(database: Database, at: datetime = MONDAY_NOON) -> RecordingSender:
    clock = FakeClock(at)
    sender = RecordingSender(clock)
    await Delivery(database, {"slack": sender}, clock=clock, sleep=clock.sleep).drain()
    return sender


async def _person(database: Database, person_id: int):
    return (await Store(database).load_all(person_id))[0]


async def test_a_share_is_rendered_when_it_goes_as_planning_would_have(database: Database):
    person_id = await add_person(database, "ana@example.com", networks=["linkedin"], topics=["cloud"])
    await Store(database).upsert_content([ITEM])
    await _planned(
        database, person_id, Offer("o1", "content:cloud-report", "share", Category.SHARE, MONDAY_NOON)
    )

    sender = await _deliver(database)

    (sent,) = sender.sent
    assert sent.message == share_nudge(ITEM, await _person(database, person_id), "o1")


async def test_a_follow_up_is_rendered_with_the_step_it_follows(database: Database):
    person_id = await add_person(database, "ana@example.com")
    async with database.sessions.begin() as session:
        earlier = Offer("o0", STEP.id, STEP.kind, STEP.category, MONDAY_NOON - timedelta(days=3))
        session.add(offer_row(person_id, earlier))
    follow = Offer("o1", "follow_up:o0", STEP.kind, Category.FOLLOW_UP, MONDAY_NOON)
    await _planned(database, person_id, follow)

    sender = await _deliver(database)

    (sent,) = sender.sent
    assert sent.message == follow_up_nudge(STEP, await _person(database, person_id), "o1")


async def test_content_withdrawn_while_its_nudge_waited_is_not_sent(database: Database):
    person_id = await add_person(database, "ana@example.com", networks=["linkedin"], topics=["cloud"])
    await Store(database).upsert_content([ITEM])
    await _planned(
        database, person_id, Offer("o1", "content:cloud-report", "share", Category.SHARE, MONDAY_NOON)
    )

    sender = await _deliver(database, MONDAY_NOON + timedelta(days=3, hours=1))  # it expired meanwhile

    assert sender.sent == []
    async with database.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
    assert (row.status, row.last_error) == (EXPIRED, WITHDRAWN)
    async with database.sessions.begin() as session:  # never seen: not counted against them
        assert (await session.scalars(select(OfferRow))).all() == []


async def test_a_row_planned_with_its_message_goes_out_as_it_was_rendered(database: Database):
    person_id = await add_person(database, "ana@example.com")
    stored = text_message("Rendered by an older planner")
    step = Offer("o1", STEP.id, STEP.kind, STEP.category, MONDAY_NOON)
    await _planned(database, person_id, step, message=encode(stored))

    sender = await _deliver(database)

    assert [d.message for d in sender.sent] == [stored]
    assert [d.message for d in sender.sent] != [step_nudge(STEP, await _person(database, person_id), "o1")]
    async with database.sessions.begin() as session:
        assert (await session.scalars(select(DeliveryRow.status))).one() == SENT
