"""The outbox: one row per message the scheduler decided to send, until it is sent (or given up on).

A row is written in the same transaction as the offer it carries, so a planned nudge is never lost;
``key`` (person, nudge, local day) is unique, so the same nudge is never planned twice. The message
is rendered from the offer when it is sent (``bot/delivery/messages.py``): planning a whole
organisation then writes a few short columns a person, and a nudge whose content was withdrawn in
the meantime is not sent. ``message`` holds a rendered message (neutral JSON) only for rows written
before that, which are sent as they are.

Status moves: pending → claimed → sending → sent | failed (retry later) | dead | uncertain, and
pending → cancelled (the person opted out or left meanwhile) | expired (its local day ended first). ``claimed`` means "taken by a worker, not yet
handed to the platform"; ``sending`` means "the platform may have it" — the distinction is what lets a
crash be recovered without sending twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow

PENDING, CLAIMED, SENDING, SENT = "pending", "claimed", "sending", "sent"
FAILED, DEAD, UNCERTAIN, CANCELLED = "failed", "dead", "uncertain", "cancelled"
EXPIRED = "expired"  # a nudge whose local day ended before it could go (``bot/delivery/window.py``)
STATUSES = (PENDING, CLAIMED, SENDING, SENT, FAILED, DEAD, UNCERTAIN, CANCELLED, EXPIRED)
READY = (PENDING, FAILED)  # statuses a worker may claim once ``not_before`` has passed


class DeliveryRow(Base):
    __tablename__ = "deliveries"
    # Workers look for ready rows by status and time; recovery for expired leases by status too.
    __table_args__ = (Index(None, "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(unique=True)  # "<person id>/<nudge key>/<local date>", "digest/…"
    # None for a team digest (``bot/digests/``): it goes to a channel, not to a person.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[str | None]
    category: Mapped[str]
    platform: Mapped[str]
    address: Mapped[str] = mapped_column(Text)
    message: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)  # failed sends (a 429 is not a failure)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None]
    message_ref: Mapped[str | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
