"""The creators' tables: copy-edit requests, topic requests (and who took them on), announced pieces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, utcnow

OPEN, CLAIMED, SUGGESTED, ACCEPTED, DECLINED = "open", "claimed", "suggested", "accepted", "declined"


class EditRequestRow(Base):
    """A draft on its way through the copy-editing path. ``status`` moves open → claimed →
    suggested → accepted | declined, each step a conditional update (one claimer wins a race)."""

    __tablename__ = "edit_requests"
    __table_args__ = (Index(None, "status", "created_at"),)

    id: Mapped[str] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_zone: Mapped[int]  # the author's zone when they asked: Socially Engaged go first
    title: Mapped[str] = mapped_column(default="")
    draft: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(default=OPEN)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    suggestions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class TopicRequestRow(Base):
    __tablename__ = "topic_requests"

    id: Mapped[str] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str]
    why: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicTakerRow(Base):
    __tablename__ = "topic_takers"
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("topic_requests.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]


class AmplifiedPieceRow(Base):
    """An author's own new piece, announced to colleagues who may pass it on."""

    __tablename__ = "amplified_pieces"

    id: Mapped[str] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
