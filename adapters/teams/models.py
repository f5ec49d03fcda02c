"""Teams' table: team channels where a manager asked for the digest (``@journeybot digest here``).

A Teams channel can only be written to proactively through its conversation reference, so the
reference is stored with the subscription (as identities store a person's).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow


class TeamsDigestChannelRow(Base):
    __tablename__ = "teams_digest_channels"
    __table_args__ = (UniqueConstraint("tenant_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), default="")
    channel_id: Mapped[str] = mapped_column(String(200))  # "19:…@thread.tacv2"
    reference: Mapped[str] = mapped_column(Text)  # serialised ConversationReference of the channel
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
