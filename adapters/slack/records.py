"""What the Slack adapter keeps in the database besides people: seen events and
the pruning of those and of Bolt's unfinished OAuth states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete

from adapters.slack.models import SlackSeenEventRow, slack_oauth_states
from bot.store import seen
from bot.store.database import Database

# Slack retries a delivery three times within about an hour; a day of memory is ample.
SEEN_EVENTS_KEPT = timedelta(days=1)


class SlackRecords:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def first_time(self, event_id: str, now: datetime) -> bool:
        """True once per ``event_id``, across processes: the primary key decides who was first."""
        return await seen.first_time(self.database, SlackSeenEventRow, event_id=event_id[:64], seen_at=now)

    async def forget_events_before(self, cutoff: datetime) -> int:
        return await seen.forget_before(self.database, SlackSeenEventRow.seen_at, cutoff)

    async def forget_expired_oauth_states(self, now: datetime) -> int:
        """States of installs nobody finished: a state is deleted when it is used, an expired one
        never is. slack_sdk stores ``expire_at`` as naive UTC and checks it against the wall clock."""
        cutoff = now.astimezone(UTC).replace(tzinfo=None)
        async with self.database.sessions.begin() as session:
            result = await session.execute(
                delete(slack_oauth_states).where(slack_oauth_states.c.expire_at < cutoff)
            )
            return cast("CursorResult[Any]", result).rowcount  # a DELETE's result is a CursorResult
