"""The reads and writes of one planning batch, one query each, so 1,000 people cost a handful of queries.

All of them go through the session's Core connection, not ``session.execute``: they select and write
tables, not ORM entities, and the ORM's result layer cost more than the reads themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.mapping import activity_from_row, offer_from_row
from bot.db.models import ActivityRow, IdentityRow, OfferRow, PersonRow
from bot.db.outbox_models import DeliveryRow
from nudges.person import History, Offer


@dataclass
class Batch:
    offers: dict[int, list[Offer]] = field(default_factory=lambda: defaultdict(list))
    activities: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    addresses: dict[int, tuple[str, str]] = field(default_factory=dict)

    def history(self, person_id: int) -> History:
        return History(tuple(self.offers.get(person_id, ())), tuple(self.activities.get(person_id, ())))

    def address(self, person_id: int, email: str, *, console: bool) -> tuple[str, str] | None:
        """(platform, address) of the person's most recently updated identity; the console (by email)
        when no platform is configured; None when there is no way to reach them yet."""
        found = self.addresses.get(person_id)
        if found is None and console:
            return ("console", email)
        return found

    async def existing_keys(self, connection: AsyncConnection, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        query = select(DeliveryRow.__table__.c.key).where(DeliveryRow.__table__.c.key.in_(keys))
        return set((await connection.scalars(query)).all())

    async def claim_introductions(
        self, connection: AsyncConnection, person_ids: list[int], now: datetime
    ) -> set[int]:
        """The same conditional update as ``Store.mark_introduced``: a greeting in chat may have won."""
        people = PersonRow.__table__
        query = (
            update(people)
            .where(people.c.id.in_(person_ids), people.c.introduced_at.is_(None))
            .values(introduced_at=now)
            .returning(people.c.id)
        )
        return set((await connection.scalars(query)).all())

    async def insert_offers(self, connection: AsyncConnection, offers: list[tuple[int, Offer]]) -> None:
        rows = [
            {
                "id": o.id, "person_id": person_id, "key": o.key, "kind": o.kind, "category": o.category.value,
                "company": o.company, "offered_at": o.offered_at, "answer": None, "answered_at": None,
            }
            for person_id, o in offers
        ]  # fmt: skip
        await connection.execute(insert(OfferRow.__table__), rows)


async def load_batch(connection: AsyncConnection, people: Sequence[Row[Any]]) -> Batch:
    ids = [row.id for row in people]
    batch = Batch()
    offers_table, activities_table = OfferRow.__table__.c, ActivityRow.__table__.c
    offers = (
        select(
            offers_table.person_id, offers_table.id, offers_table.key, offers_table.kind,
            offers_table.category, offers_table.company, offers_table.offered_at, offers_table.answer,
            offers_table.answered_at,
        )
        .where(offers_table.person_id.in_(ids))
        .order_by(offers_table.person_id, offers_table.offered_at, offers_table.id)
    )  # fmt: skip
    for row in await connection.execute(offers):
        batch.offers[row.person_id].append(offer_from_row(row))
    activities = (
        select(activities_table.person_id, activities_table.kind, activities_table.at, activities_table.note)
        .where(activities_table.person_id.in_(ids))
        .order_by(activities_table.person_id, activities_table.at, activities_table.id)
    )
    for row in await connection.execute(activities):
        batch.activities[row.person_id].append(activity_from_row(row))
    identities_table = IdentityRow.__table__.c
    identities = (
        select(
            identities_table.person_id,
            identities_table.platform,
            identities_table.address,
            identities_table.user_id,
            identities_table.tenant,
        )
        .where(identities_table.person_id.in_(ids))
        .order_by(identities_table.updated_at, identities_table.id)  # the most recent one wins below
    )
    fallback: dict[int, tuple[str, str]] = {}
    for person_id, platform, address, user_id, tenant in await connection.execute(identities):
        if address:
            batch.addresses[person_id] = (platform, address)
        elif platform == "slack":  # from the roster: Slack opens the DM from the user id itself
            fallback[person_id] = (platform, f"{tenant}:{user_id}" if tenant else user_id)
    for person_id, where in fallback.items():
        batch.addresses.setdefault(person_id, where)
    return batch
