"""What Teams' side of the bot remembers: which activities it has taken in already."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from adapters.teams.models import TeamsSeenActivityRow
from bot.store import seen
from bot.store.database import Database

if TYPE_CHECKING:
    pass

# Teams retries an activity for a few minutes at most; a day is plenty.
SEEN_ACTIVITIES_KEPT = timedelta(days=1)


def activity_key(activity: dict[str, Any]) -> str | None:
    """Who-and-which of an activity: its conversation and its id (None: it has no id to go by)."""
    activity_id = activity.get("id")
    conversation = activity.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    if not isinstance(activity_id, str) or not activity_id or not isinstance(conversation_id, str):
        return None
    return hashlib.sha256(f"{conversation_id}\n{activity_id}".encode()).hexdigest()


class TeamsRecords:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def first_time(self, key: str, now: datetime) -> bool:
        """True once per activity, across processes: the primary key decides who was first."""
        return await seen.first_time(self.database, TeamsSeenActivityRow, activity_key=key, seen_at=now)

    async def forget_before(self, cutoff: datetime) -> int:
        return await seen.forget_before(self.database, TeamsSeenActivityRow.seen_at, cutoff)
