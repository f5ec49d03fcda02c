"""Topic requests on the real database: they reach Socially Engaged people whose topics match, never
more than the weekly limit of such asks (the requester is told why nobody was asked), and only
marketing may ask; a bad request changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select, update

from adapters.console.sender import ConsoleSender
from bot.creators.models import TopicRequestRow
from bot.creators.service import Creators
from bot.delivery.models import DeliveryRow
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.store import Store
from tests.creators.test_copy_edit_store import NOW, _person


async def test_topic_requests_stay_within_each_persons_weekly_limit(database: Database, store: Store) -> None:
    mia = await _person(store, database, "Mia", zone=1)
    ada = await _person(store, database, "Ada", zone=4)
    async with database.sessions.begin() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.id == mia).values(roles=["employee", "marketing"])
        )
        await session.execute(
            update(PersonRow).where(PersonRow.id == ada).values(topics=["cloud security"], weekly_cap=2)
        )
    creators = Creators(database, lambda: NOW, {"console": ConsoleSender(lambda _: None)})
    marketing = (await store.load(mia, NOW))[0]

    refused = await creators.request_topic(ada, (await store.load(ada, NOW))[0], {"topic": "security"})
    assert "marketing" in refused.replies[0].fallback
    bad = await creators.request_topic(mia, marketing, {"topic": " "})
    assert "Nothing was sent yet" in bad.replies[0].fallback
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TopicRequestRow)) == 0

    for topic in ("security", "cloud"):
        asked = await creators.request_topic(mia, marketing, {"topic": topic})
        assert "Asked 1" in asked.replies[0].fallback
    third = await creators.request_topic(mia, marketing, {"topic": "cloud security"})
    assert "enough asks this week" in third.replies[0].fallback
    nobody = await creators.request_topic(mia, marketing, {"topic": "gardening"})
    assert "haven't asked anyone" in nobody.replies[0].fallback
    async with database.sessions() as session:
        rows = list(
            await session.scalars(select(DeliveryRow.person_id).where(DeliveryRow.key.like("topic:%")))
        )
    assert rows == [ada, ada]
