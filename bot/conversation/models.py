"""The inbox's table: inbound events acknowledged but not handled yet, beyond what memory holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow


class InboundEventRow(Base):
    """One acknowledged event waiting for its turn (``bot/conversation/inbox.py``), oldest id first."""

    __tablename__ = "inbound_events"
    # A key's head (its oldest event) is what a turn process may claim: found by (key, id).
    __table_args__ = (Index("ix_inbound_events_key_id", "key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))  # whose turn (events of one key keep their order)
    payload: Mapped[str] = mapped_column(Text)  # the request body, as the platform sent it
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]  # taken back into a process's memory (a lease: see CLAIM_LEASE)
