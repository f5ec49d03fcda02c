"""The worker's side of the outbox: claim rows, mark them as being sent, record what happened.

Every state change is one short transaction, conditional on the row still being ours
(``claimed_by`` and the expected status), so a worker that lost its lease cannot overwrite what the
worker that recovered the row decided. Claims use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: any
number of workers take disjoint rows. (SQLite ignores the clause; there, one process delivers.)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Update, and_, func, or_, select, update

from bot.db.database import Database
from bot.db.models import IdentityRow, OfferRow, PersonRow
from bot.db.outbox_models import CLAIMED, PENDING, READY, SENDING, SENT, DeliveryRow
from bot.ports import Sent


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    person_id: int
    offer_id: str | None
    platform: str
    address: str
    message: dict[str, Any] | None  # rendered at planning by older versions; None: render the offer
    attempts: int


class Outbox:
    def __init__(self, database: Database, worker: str, lease: timedelta) -> None:
        self.database = database
        self.worker = worker
        self.lease = lease

    async def claim(self, platforms: Collection[str], now: datetime, limit: int) -> list[Claimed]:
        ready = (
            select(DeliveryRow.id)
            .where(DeliveryRow.status.in_(READY), DeliveryRow.not_before <= now)
            .where(DeliveryRow.platform.in_(platforms))
            .order_by(DeliveryRow.not_before, DeliveryRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._take(ready, CLAIMED, now)

    async def take_expired(self, platforms: Collection[str], status: str, now: datetime) -> list[Claimed]:
        """Rows whose worker's lease ran out (it died or hung), now ours with a fresh lease."""
        expired = (
            select(DeliveryRow.id)
            .where(DeliveryRow.status == status, DeliveryRow.lease_until < now)
            .where(DeliveryRow.platform.in_(platforms))
            .order_by(DeliveryRow.id)
            .with_for_update(skip_locked=True)
        )
        return await self._take(expired, status, now)

    async def _take(self, ids_query: Any, status: str, now: datetime) -> list[Claimed]:
        async with self.database.sessions.begin() as session:
            ids = list((await session.scalars(ids_query)).all())
            if not ids:
                return []
            values = {"status": status, "claimed_by": self.worker, "lease_until": now + self.lease}
            await session.execute(update(DeliveryRow).where(DeliveryRow.id.in_(ids)).values(**values))
            rows = await session.scalars(
                select(DeliveryRow).where(DeliveryRow.id.in_(ids)).order_by(DeliveryRow.id)
            )
            return [
                Claimed(r.id, r.key, r.person_id, r.offer_id, r.platform, r.address, r.message, r.attempts)
                for r in rows
            ]

    async def people(self, person_ids: Collection[int]) -> dict[int, Any]:
        query = select(PersonRow.__table__).where(PersonRow.id.in_(person_ids))
        async with self.database.sessions.begin() as session:
            return {row.id: row for row in await session.execute(query)}

    async def move(self, row_id: int, expected: str, **values: Any) -> bool:
        """Change our row if it is still in the ``expected`` status and ours; False if it is not."""
        query = (
            update(DeliveryRow)
            .where(DeliveryRow.id == row_id, DeliveryRow.status == expected)
            .where(DeliveryRow.claimed_by == self.worker)
            .values(**values)
        )
        async with self.database.sessions.begin() as session:
            return bool((await session.execute(query)).rowcount)  # type: ignore[attr-defined]

    async def start_sending(self, row: Claimed, now: datetime) -> bool:
        """The last commit before the platform call: from here on, the message may exist."""
        return await self.move(row.id, CLAIMED, status=SENDING, lease_until=now + self.lease)

    async def record_sent(self, row: Claimed, sent: Sent, now: datetime, expected: str = SENDING) -> bool:
        """Sent, with the platform's message id on the row and on the offer (for chat.update later),
        and the address the platform refined (the DM Slack opened for a user id) on the identity."""
        query = (
            update(DeliveryRow)
            .where(DeliveryRow.id == row.id, DeliveryRow.status == expected)
            .where(DeliveryRow.claimed_by == self.worker)
            .values(
                status=SENT, message_ref=sent.message_ref, address=sent.address, sent_at=now, lease_until=None
            )
        )
        async with self.database.sessions.begin() as session:
            moved = bool((await session.execute(query)).rowcount)  # type: ignore[attr-defined]
            if moved and row.offer_id:
                await session.execute(
                    update(OfferRow)
                    .where(OfferRow.id == row.offer_id)
                    .values(platform=row.platform, message_ref=sent.message_ref)
                )
            if moved and sent.address and sent.address != row.address:
                await session.execute(_learn_address(row, sent.address, now))
            return moved

    async def mark_unreachable(self, row: Claimed, error: str, now: datetime, dead: str) -> None:
        """The person cannot be reached there: stop this row, their other waiting rows, and their nudges."""
        stop = {"status": dead, "lease_until": None}
        async with self.database.sessions.begin() as session:
            await session.execute(
                update(DeliveryRow).where(DeliveryRow.id == row.id).values(last_error=error, **stop)
            )
            await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.person_id == row.person_id, DeliveryRow.status.in_(READY))
                .values(last_error="the person is unreachable", **stop)
            )
            await session.execute(
                update(PersonRow).where(PersonRow.id == row.person_id).values(unreachable_at=now)
            )

    async def counts(self) -> dict[str, int]:
        query = select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
        async with self.database.sessions.begin() as session:
            return {status: count for status, count in await session.execute(query)}

    async def release(self, row: Claimed, not_before: datetime) -> bool:
        """Back to pending (not yet handed to the platform), to be tried at ``not_before``."""
        return await self.move(row.id, CLAIMED, status=PENDING, not_before=not_before, lease_until=None)


def _learn_address(row: Claimed, refined: str, now: datetime) -> Update:
    """Keep where the message went on the identity it was planned from, so later sends and
    reconciliation go there directly: the identity with the row's address, or the one planning
    reached through its user id because it had none (``[tenant:]user_id``, see ``plan_batch``).
    An identity that learned another address in the meantime (the person wrote) keeps it."""
    tenant, _, user_id = row.address.rpartition(":")
    planned_from = or_(
        IdentityRow.address == row.address,
        and_(IdentityRow.address.is_(None), IdentityRow.user_id == user_id, IdentityRow.tenant == tenant),
    )
    return (
        update(IdentityRow)
        .where(IdentityRow.person_id == row.person_id, IdentityRow.platform == row.platform)
        .where(planned_from)
        .values(address=refined, updated_at=now)
    )
