"""Which Teams channels receive the manager digest, and how to reach them.

The manager feature builds and sends the digest; this only records who asked for it where.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.exc import IntegrityError

from adapters.teams.models import TeamsDigestChannelRow
from bot.store.database import Database

DIGEST_ROLES = frozenset({"manager", "admin"})


@dataclass(frozen=True)
class DigestChannel:
    tenant_id: str
    channel_id: str
    reference: str
    person_id: int


class DigestChannels:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def subscribe(self, channel: DigestChannel, now: datetime) -> bool:
        """Subscribe (or refresh the reference of) a channel; True when it is new."""
        try:
            return await self._subscribe(channel, now)
        except IntegrityError:  # two managers asked at the same moment: the other one won
            return await self._subscribe(channel, now)

    async def _subscribe(self, channel: DigestChannel, now: datetime) -> bool:
        async with self.database.sessions.begin() as session:
            query = select(TeamsDigestChannelRow).where(
                TeamsDigestChannelRow.tenant_id == channel.tenant_id,
                TeamsDigestChannelRow.channel_id == channel.channel_id,
            )
            row = (await session.scalars(query.with_for_update())).first()
            if row is not None:
                row.reference, row.person_id = channel.reference, channel.person_id
                return False
            session.add(
                TeamsDigestChannelRow(
                    tenant_id=channel.tenant_id,
                    channel_id=channel.channel_id,
                    reference=channel.reference,
                    person_id=channel.person_id,
                    created_at=now,
                )
            )
            return True

    async def unsubscribe(self, tenant_id: str, channel_id: str) -> bool:
        async with self.database.sessions.begin() as session:
            result = await session.execute(
                delete(TeamsDigestChannelRow).where(
                    TeamsDigestChannelRow.tenant_id == tenant_id,
                    TeamsDigestChannelRow.channel_id == channel_id,
                )
            )
            return bool(cast("CursorResult[Any]", result).rowcount)  # a DELETE's result is a CursorResult

    async def all(self) -> list[DigestChannel]:
        query = select(TeamsDigestChannelRow).order_by(TeamsDigestChannelRow.id)
        async with self.database.sessions.begin() as session:
            return [
                DigestChannel(row.tenant_id, row.channel_id, row.reference, row.person_id)
                for row in await session.scalars(query)
            ]
