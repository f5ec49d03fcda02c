"""PRIVACY.md (the Teams manifest's privacy link) tells admins how to delete a person: it works."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from bot.delivery.models import DeliveryRow
from bot.digests.models import DigestSubscriptionRow
from bot.store.database import Database
from bot.store.models import ActivityRow, IdentityRow, OfferRow, PersonRow
from bot.store.store import Store
from nudges.events import PersonRef

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
PRIVACY = Path(__file__).parents[2] / "PRIVACY.md"


async def _someone(store: Store, email: str) -> int:
    person_id = await store.ensure_person(PersonRef("teams", f"aad-{email}", email=email), '{"x": 1}', NOW)
    async with store.database.sessions.begin() as session:
        session.add(ActivityRow(person_id=person_id, kind="share", at=NOW, note="my words", source="logged"))
        session.add(
            OfferRow(
                id=f"offer-{email}", person_id=person_id, key="k", kind="k", category="step", offered_at=NOW
            )
        )
        session.add(
            DeliveryRow(
                key=f"{person_id}/k/2026-03-02",
                person_id=person_id,
                category="step",
                platform="teams",
                address="{}",
                message={},
                not_before=NOW,
            )
        )
        session.add(
            DigestSubscriptionRow(
                team="t",
                platform="teams",
                tenant="t",
                channel=f"19:{email}",
                address="{}",
                subscribed_by=person_id,
            )
        )
    return person_id


async def test_the_documented_delete_removes_the_person_and_everything_about_them(database: Database) -> None:
    (statement,) = re.findall(r"`(DELETE FROM people WHERE email = '[^']+';)`", PRIVACY.read_text())
    store = Store(database)
    gone = await _someone(store, re.search(r"'([^']+)'", statement)[1])  # type: ignore[index]
    kept = await _someone(store, "someone.else@example.com")
    async with database.sessions.begin() as session:
        await session.execute(text(statement))
    async with database.sessions() as session:
        for table in (PersonRow, IdentityRow, ActivityRow, OfferRow, DeliveryRow, DigestSubscriptionRow):
            owner = (
                PersonRow.id
                if table is PersonRow
                else DigestSubscriptionRow.subscribed_by
                if table is DigestSubscriptionRow
                else table.person_id  # type: ignore[attr-defined]
            )
            assert await session.scalar(select(func.count()).where(owner == gone)) == 0, table.__tablename__
            assert await session.scalar(select(func.count()).where(owner == kept)) == 1, table.__tablename__
