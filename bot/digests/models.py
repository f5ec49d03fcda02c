"""The digest's one table: a team channel subscribed to a team's weekly digest, whatever the platform.

``address`` is how the platform's ``Sender`` reaches the channel (Slack ``team:channel``, a Teams
channel's conversation reference), opaque here as a person's address is. ``weekday``/``at`` are the
team's local time in ``timezone`` (the subscriber's, unless an admin chose another). ``planned_for``
is the latest weekly slot already put into the outbox: a late tick plans only the latest missed slot.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow


class DigestSubscriptionRow(Base):
    __tablename__ = "digest_subscriptions"
    __table_args__ = (UniqueConstraint("platform", "tenant", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team: Mapped[str]  # as in the roster's team column (compared case-insensitively)
    platform: Mapped[str]  # "slack" | "teams"
    tenant: Mapped[str] = mapped_column(String(64), default="")  # Slack team id, Teams tenant id
    channel: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text)
    subscribed_by: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )  # None: an admin at the command line
    weekday: Mapped[int] = mapped_column(default=0)  # Monday = 0
    at: Mapped[str] = mapped_column(default="09:30")  # HH:MM, local time in ``timezone``
    timezone: Mapped[str] = mapped_column(default="UTC")
    planned_for: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
