"""Teams' table: activity ids already taken in (durable deduplication of Teams' retries)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow


class TeamsSeenActivityRow(Base):
    """One activity already taken in, by a digest of its conversation and activity id (an activity id
    is unique within its conversation): the primary key makes a retry a no-op on every replica."""

    __tablename__ = "teams_seen_activities"

    activity_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
