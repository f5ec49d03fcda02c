"""Which team channels get which team's digest: subscribe, unsubscribe, status, and who may.

Only the team's managers and admins may (un)subscribe: an admin any team, a manager the team they
are in or whose people report to them. The chat commands look the asker up without creating anyone
(``Store.find_person_id``), so someone who is refused leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.digests.models import DigestSubscriptionRow
from bot.store.database import Database
from bot.store.models import PersonRow
from nudges.digest import DEFAULT_TIME, DEFAULT_WEEKDAY, WEEKDAYS

DIGEST_ROLES = frozenset({"manager", "admin"})


@dataclass(frozen=True)
class Subscription:
    id: int
    team: str
    platform: str
    tenant: str
    channel: str
    address: str
    subscribed_by: int | None
    weekday: int
    at: str
    timezone: str
    planned_for: datetime | None
    created_at: datetime

    @property
    def when(self) -> str:
        return f"{WEEKDAYS[self.weekday].capitalize()}s at {self.at} ({self.timezone})"


def _subscription(row: DigestSubscriptionRow) -> Subscription:
    return Subscription(
        row.id, row.team, row.platform, row.tenant, row.channel, row.address, row.subscribed_by,
        row.weekday, row.at, row.timezone, row.planned_for, row.created_at,
    )  # fmt: skip


@dataclass(frozen=True)
class Asker:
    """Who asked, as far as the digest cares; ``None`` from ``asker`` means not on the roster."""

    person_id: int
    key: str
    team: str | None
    timezone: str
    roles: frozenset[str]


class Subscriptions:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def asker(self, person_id: int | None) -> Asker | None:
        if person_id is None:
            return None
        async with self.database.sessions() as session:
            row = await session.get(PersonRow, person_id)
            if row is None:
                return None
            return Asker(row.id, row.email, row.team, row.timezone, frozenset(row.roles))

    async def may_manage(self, asker: Asker | None, team: str) -> bool:
        """An admin may any team; a manager their own team or the team of people reporting to them."""
        if asker is None or not asker.roles & DIGEST_ROLES:
            return False
        if "admin" in asker.roles:
            return True
        if asker.team and asker.team.casefold() == team.casefold():
            return True
        query = select(func.count()).where(
            func.lower(PersonRow.team) == team.casefold(), PersonRow.manager_email == asker.key
        )
        async with self.database.sessions() as session:
            return bool(await session.scalar(query))

    async def team_exists(self, team: str) -> bool:
        query = select(func.count()).where(func.lower(PersonRow.team) == team.casefold())
        async with self.database.sessions() as session:
            return bool(await session.scalar(query))

    async def team_timezone(self, team: str) -> str:
        """The time zone most of the team is in (UTC for an empty team)."""
        query = (
            select(PersonRow.timezone, func.count())
            .where(func.lower(PersonRow.team) == team.casefold())
            .group_by(PersonRow.timezone)
            .order_by(func.count().desc(), PersonRow.timezone)
            .limit(1)
        )
        async with self.database.sessions() as session:
            row = (await session.execute(query)).first()
        return str(row[0]) if row else "UTC"

    async def subscribe(
        self,
        *,
        team: str,
        platform: str,
        tenant: str,
        channel: str,
        address: str,
        by: int | None,
        timezone: str,
        now: datetime,
        weekday: int = DEFAULT_WEEKDAY,
        at: str = DEFAULT_TIME,
    ) -> tuple[Subscription, bool]:
        """Subscribe the channel (or refresh its team, address and time); True when it is new."""
        for attempt in range(2):
            try:
                async with self.database.sessions.begin() as session:
                    query = select(DigestSubscriptionRow).where(
                        DigestSubscriptionRow.platform == platform,
                        DigestSubscriptionRow.tenant == tenant,
                        DigestSubscriptionRow.channel == channel,
                    )
                    row = (await session.scalars(query.with_for_update())).first()
                    fresh = row is None
                    if row is None:
                        row = DigestSubscriptionRow(
                            platform=platform, tenant=tenant, channel=channel, created_at=now
                        )
                        session.add(row)
                    row.team, row.address, row.subscribed_by = team, address, by
                    row.weekday, row.at, row.timezone = weekday, at, timezone
                    await session.flush()
                    return _subscription(row), fresh
            except IntegrityError:  # two managers asked at the same moment: the other one won
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def unsubscribe(self, platform: str, tenant: str, channel: str) -> bool:
        async with self.database.sessions.begin() as session:
            result = await session.execute(
                delete(DigestSubscriptionRow).where(
                    DigestSubscriptionRow.platform == platform,
                    DigestSubscriptionRow.tenant == tenant,
                    DigestSubscriptionRow.channel == channel,
                )
            )
            return bool(cast("CursorResult[Any]", result).rowcount)  # a DELETE's result is a CursorResult

    async def of_channel(self, platform: str, tenant: str, channel: str) -> Subscription | None:
        query = select(DigestSubscriptionRow).where(
            DigestSubscriptionRow.platform == platform,
            DigestSubscriptionRow.tenant == tenant,
            DigestSubscriptionRow.channel == channel,
        )
        async with self.database.sessions() as session:
            row = (await session.scalars(query)).first()
            return None if row is None else _subscription(row)

    async def all(self, team: str | None = None) -> list[Subscription]:
        query = select(DigestSubscriptionRow).order_by(DigestSubscriptionRow.id)
        if team is not None:
            query = query.where(func.lower(DigestSubscriptionRow.team) == team.casefold())
        async with self.database.sessions() as session:
            return [_subscription(row) for row in await session.scalars(query)]
