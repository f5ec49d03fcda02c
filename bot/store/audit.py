"""The audit trail: every role-gated action, who took it, when, on which platform, and whether it went through.

Written by the parts that check a role (Slack's ``/journey share`` and ``digest``, Teams' channel
digest, the ``journeybot role`` commands) and read by ``journeybot audit``. Refusals are recorded
too: an operator asking "who tried to post as marketing?" needs them. Rows are never updated; they
hold an email (or a platform placeholder key) and what was done, never message texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.database import Database
from bot.store.models import Base

DONE, REFUSED = "done", "refused"


class AuditRow(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str]  # the person's email (or slack:U123 before the roster knows them), or cli:<login>
    platform: Mapped[str] = mapped_column(String(16))  # "slack" | "teams" | "cli"
    action: Mapped[str] = mapped_column(String(64))  # e.g. "share.create", "digest.subscribe", "role.grant"
    role: Mapped[str] = mapped_column(String(32))  # the role that gates the action
    target: Mapped[str] = mapped_column(Text, default="")  # what it was done to: an item id, a channel …
    outcome: Mapped[str] = mapped_column(String(16), default=DONE)


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    actor: str
    platform: str
    action: str
    role: str
    target: str = ""
    outcome: str = DONE


async def record(database: Database, event: AuditEvent) -> None:
    async with database.sessions.begin() as session:
        session.add(audit_row(event))


def audit_row(event: AuditEvent) -> AuditRow:
    return AuditRow(
        at=event.at,
        actor=event.actor,
        platform=event.platform,
        action=event.action,
        role=event.role,
        target=event.target[:500],  # a target is a name or an id; never let it carry a document
        outcome=event.outcome,
    )


async def events(database: Database, since: datetime | None = None) -> Sequence[AuditEvent]:
    query = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    async with database.sessions() as session:
        rows = (await session.scalars(query)).all()
    return [AuditEvent(r.at, r.actor, r.platform, r.action, r.role, r.target, r.outcome) for r in rows]
