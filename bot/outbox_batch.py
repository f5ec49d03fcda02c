"""The reads and writes of one planning batch, one query each, so 500 people cost a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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

    async def existing_keys(self, session: Any, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        query = select(DeliveryRow.key).where(DeliveryRow.key.in_(keys))
        return set((await session.scalars(query)).all())

    async def claim_introductions(self, session: Any, person_ids: list[int], now: datetime) -> set[int]:
        """The same conditional update as ``Store.mark_introduced``: a greeting in chat may have won."""
        query = (
            update(PersonRow)
            .where(PersonRow.id.in_(person_ids), PersonRow.introduced_at.is_(None))
            .values(introduced_at=now)
            .returning(PersonRow.id)
        )
        return set((await session.scalars(query)).all())

    async def insert_offers(self, session: Any, offers: list[tuple[int, Offer]]) -> None:
        rows = [
            {
                "id": o.id, "person_id": person_id, "key": o.key, "kind": o.kind, "category": o.category.value,
                "company": o.company, "offered_at": o.offered_at, "answer": None, "answered_at": None,
            }
            for person_id, o in offers
        ]  # fmt: skip
        await session.execute(insert(OfferRow.__table__), rows)


async def load_batch(session: AsyncSession, people: Sequence[Row[Any]]) -> Batch:
    ids = [row.id for row in people]
    batch = Batch()
    offers = select(OfferRow.__table__).where(OfferRow.person_id.in_(ids))
    for row in await session.execute(offers.order_by(OfferRow.person_id, OfferRow.offered_at, OfferRow.id)):
        batch.offers[row.person_id].append(offer_from_row(row))  # type: ignore[arg-type]
    activities = select(ActivityRow.__table__).where(ActivityRow.person_id.in_(ids))
    for row in await session.execute(
        activities.order_by(ActivityRow.person_id, ActivityRow.at, ActivityRow.id)
    ):
        batch.activities[row.person_id].append(activity_from_row(row))  # type: ignore[arg-type]
    identities = (
        select(
            IdentityRow.person_id,
            IdentityRow.platform,
            IdentityRow.address,
            IdentityRow.user_id,
            IdentityRow.tenant,
        )
        .where(IdentityRow.person_id.in_(ids))
        .order_by(IdentityRow.updated_at, IdentityRow.id)  # the most recent one wins below
    )
    fallback: dict[int, tuple[str, str]] = {}
    for person_id, platform, address, user_id, tenant in await session.execute(identities):
        if address:
            batch.addresses[person_id] = (platform, address)
        elif platform == "slack":  # from the roster: Slack opens the DM from the user id itself
            fallback[person_id] = (platform, f"{tenant}:{user_id}" if tenant else user_id)
    for person_id, where in fallback.items():
        batch.addresses.setdefault(person_id, where)
    return batch
