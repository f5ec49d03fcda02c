"""The worker's side of the outbox: claim rows, mark them as being sent, record what happened.

Every state change is conditional on the row still being ours (``claimed_by`` and the expected
status), so a worker that lost its lease cannot overwrite what the worker that recovered the row
decided. Claims use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: any number of workers take disjoint
rows. (SQLite ignores the clause; there, one process delivers.) The writes of one worker go through
a ``GroupWriter`` (``bot/delivery/writes.py``): what arrives while a commit is under way shares the
next one, and every caller returns only once its change is committed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, Update, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.delivery.models import CLAIMED, DEAD, EXPIRED, PENDING, READY, SENDING, SENT, DeliveryRow
from bot.delivery.writes import GroupWriter
from bot.ports import Sent
from bot.store.database import Database
from bot.store.models import IdentityRow, OfferRow, PersonRow

ROWS = DeliveryRow.__table__
PEOPLE = PersonRow.__table__


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    person_id: int | None  # None: a team digest to a channel
    offer_id: str | None
    platform: str
    address: str
    message: dict[str, Any] | None  # rendered at planning by older versions; None: render the offer
    attempts: int
    category: str
    planned_at: datetime


class Outbox:
    def __init__(self, database: Database, worker: str, lease: timedelta) -> None:
        self.database = database
        self.worker = worker
        self.lease = lease
        self.writes = GroupWriter(database.engine)

    async def claim(self, platforms: Collection[str], now: datetime, limit: int) -> list[Claimed]:
        ready = (
            select(ROWS.c.id)
            .where(ROWS.c.status.in_(READY), ROWS.c.not_before <= now)
            .where(ROWS.c.platform.in_(platforms))
            .order_by(ROWS.c.not_before, ROWS.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._take(ready, CLAIMED, now)

    async def take_expired(
        self, platforms: Collection[str], status: str, now: datetime, limit: int | None = None
    ) -> list[Claimed]:
        """Rows whose worker's lease ran out (it died or hung), now ours with a fresh lease; at most
        ``limit``, the longest expired first (the rest wait for the next pass)."""
        expired = (
            select(ROWS.c.id)
            .where(ROWS.c.status == status, ROWS.c.lease_until < now)
            .where(ROWS.c.platform.in_(platforms))
            .order_by(ROWS.c.lease_until, ROWS.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._take(expired, status, now)

    async def _take(self, ids_query: Select[Any], status: str, now: datetime) -> list[Claimed]:
        async def take(connection: AsyncConnection) -> list[Claimed]:
            ids = list((await connection.scalars(ids_query)).all())
            if not ids:
                return []
            values = {"status": status, "claimed_by": self.worker, "lease_until": now + self.lease}
            await connection.execute(update(ROWS).where(ROWS.c.id.in_(ids)).values(**values))
            rows = await connection.execute(select(ROWS).where(ROWS.c.id.in_(ids)).order_by(ROWS.c.id))
            return [
                Claimed(r.id, r.key, r.person_id, r.offer_id, r.platform, r.address, r.message, r.attempts,
                        r.category, r.created_at)
                for r in rows
            ]  # fmt: skip

        return await self.writes.run(take)

    async def renew(self, row_ids: Collection[int], until: datetime) -> int:
        """The heartbeat: extend the lease of rows this worker still holds (never shortening one)."""

        async def renew(connection: AsyncConnection) -> int:
            query = (
                update(ROWS)
                .where(ROWS.c.id.in_(list(row_ids)), ROWS.c.claimed_by == self.worker)
                .where(ROWS.c.status.in_((CLAIMED, SENDING)), ROWS.c.lease_until < until)
                .values(lease_until=until)
            )
            return int((await connection.execute(query)).rowcount)

        return await self.writes.run(renew)

    async def people(self, person_ids: Collection[int]) -> dict[int, Any]:
        query = select(PEOPLE).where(PEOPLE.c.id.in_(person_ids))
        # COMMIT, not ROLLBACK: a rollback drops the connection's prepared statements (psycopg).
        async with self.database.engine.begin() as connection:
            return {row.id: row for row in await connection.execute(query)}

    def _ours(self, row_id: int, expected: str) -> Update:
        return update(ROWS).where(
            ROWS.c.id == row_id, ROWS.c.status == expected, ROWS.c.claimed_by == self.worker
        )

    async def move(self, row_id: int, expected: str, **values: Any) -> bool:
        """Change our row if it is still in the ``expected`` status and ours; False if it is not."""

        async def move(connection: AsyncConnection) -> bool:
            return bool((await connection.execute(self._ours(row_id, expected).values(**values))).rowcount)

        return await self.writes.run(move)

    async def start_sending(self, row: Claimed, now: datetime) -> bool:
        """The last commit before the platform call: from here on, the message may exist."""
        return await self.move(row.id, CLAIMED, status=SENDING, lease_until=now + self.lease)

    async def record_sent(self, row: Claimed, sent: Sent, now: datetime, expected: str = SENDING) -> bool:
        """Sent, with the platform's message id on the row and on the offer (for chat.update later),
        and the address the platform refined (the DM Slack opened for a user id) on the identity."""
        done = {"status": SENT, "message_ref": sent.message_ref, "address": sent.address, "sent_at": now}

        async def record(connection: AsyncConnection) -> bool:
            moved = await connection.execute(self._ours(row.id, expected).values(lease_until=None, **done))
            if not moved.rowcount:
                return False
            if row.offer_id:
                await connection.execute(
                    update(OfferRow.__table__)
                    .where(OfferRow.__table__.c.id == row.offer_id)
                    .values(platform=row.platform, message_ref=sent.message_ref)
                )
            if sent.address and sent.address != row.address:
                await connection.execute(_learn_address(row, sent.address, now))
            return True

        return await self.writes.run(record)

    async def mark_unreachable(
        self, row: Claimed, error: str, now: datetime, expected: str = SENDING
    ) -> bool:
        """The person cannot be reached there: stop this row, their other waiting rows, and their nudges.
        Only while the row is still ours: a worker that lost its lease changes nothing."""
        stop = {"status": DEAD, "lease_until": None}

        async def mark(connection: AsyncConnection) -> bool:
            moved = await connection.execute(self._ours(row.id, expected).values(last_error=error, **stop))
            if not moved.rowcount:
                return False
            if row.person_id is None:  # a digest's channel: only this row stops
                return True
            await connection.execute(
                update(ROWS)
                .where(ROWS.c.person_id == row.person_id, ROWS.c.status.in_(READY))
                .values(last_error="the person is unreachable", **stop)
            )
            await connection.execute(
                update(PEOPLE).where(PEOPLE.c.id == row.person_id).values(unreachable_at=now)
            )
            return True

        return await self.writes.run(mark)

    async def expire(self, row: Claimed, reason: str, next_due_at: datetime | None = None) -> bool:
        """A nudge that outlived its day: expired, and its offer forgotten (the person never saw it, so
        it must not count toward their cap or as ignored), and the person planned afresh next tick
        (or at ``next_due_at``: someone away today is looked at again in their next window)."""
        offers = OfferRow.__table__

        async def expire(connection: AsyncConnection) -> bool:
            moved = await connection.execute(
                self._ours(row.id, CLAIMED).values(status=EXPIRED, lease_until=None, last_error=reason)
            )
            if not moved.rowcount:
                return False
            if row.offer_id:
                unseen = and_(offers.c.answer.is_(None), offers.c.message_ref.is_(None))
                await connection.execute(delete(offers).where(offers.c.id == row.offer_id, unseen))
            await connection.execute(
                update(PEOPLE).where(PEOPLE.c.id == row.person_id).values(next_due_at=next_due_at)
            )
            return True

        return await self.writes.run(expire)

    async def release(self, row: Claimed, not_before: datetime) -> bool:
        """Back to pending (not yet handed to the platform), to be tried at ``not_before``."""
        return await self.move(row.id, CLAIMED, status=PENDING, not_before=not_before, lease_until=None)


def _learn_address(row: Claimed, refined: str, now: datetime) -> Update:
    """Keep where the message went on the identity it was planned from, so later sends and
    reconciliation go there directly: the identity with the row's address, or the one planning
    reached through its user id because it had none (``[tenant:]user_id``, see ``plan_batch``).
    An identity that learned another address in the meantime (the person wrote) keeps it."""
    identities = IdentityRow.__table__
    tenant, _, user_id = row.address.rpartition(":")
    planned_from = or_(
        identities.c.address == row.address,
        and_(identities.c.address.is_(None), identities.c.user_id == user_id, identities.c.tenant == tenant),
    )
    return (
        update(identities)
        .where(identities.c.person_id == row.person_id, identities.c.platform == row.platform)
        .where(planned_from)
        .values(address=refined, updated_at=now)
    )
