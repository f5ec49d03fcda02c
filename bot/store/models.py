"""The tables. Rows only: conversion to engine types lives in ``mapping.py``, queries in ``store.py``.

Every timestamp is a ``UTCDateTime``: stored in UTC, always read back timezone-aware, on SQLite too.
Defaults are Python-side because the ORM is the only writer; constraint names follow ``metadata``'s
naming convention so Alembic can find (and batch-migrate) them on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is UTC in the database and timezone-aware in Python.

    Naive datetimes are refused: a naive value is a bug waiting for a time zone to disagree.
    SQLite keeps no offset, so values are stored as naive UTC there and made aware again on read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; use a timezone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map = {datetime: UTCDateTime, str: String}  # noqa: RUF012
    if TYPE_CHECKING:
        # Every model here maps one Table (SQLAlchemy declares ``__table__`` as any FromClause).
        __table__: ClassVar[Table]


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("zone BETWEEN 1 AND 4", name="zone_range"),
        CheckConstraint("weekly_cap >= 0", name="weekly_cap_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The natural key; a person first seen on a platform without an email is "slack:U123" until linked.
    email: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(default="")
    timezone: Mapped[str] = mapped_column(default="UTC")  # IANA
    # Chosen by the roster or the person themselves: a platform's guess (Slack's users.info tz,
    # Teams' localTimezone) only fills in a time zone nobody chose, UTC included.
    timezone_explicit: Mapped[bool] = mapped_column(default=False)
    team: Mapped[str | None]
    manager_email: Mapped[str | None]
    roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["employee"])
    zone: Mapped[int] = mapped_column(default=1)
    networks: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    work_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])  # Monday = 0
    work_start: Mapped[str] = mapped_column(default="09:30")  # "HH:MM", local time
    work_end: Mapped[str] = mapped_column(default="16:30")
    quiet_start: Mapped[str | None]
    quiet_end: Mapped[str | None]
    weekly_cap: Mapped[int] = mapped_column(default=2)
    # Which of "hours", "days", "cap" the person chose themselves: organisation defaults
    # (``journeybot org set``) never replace those (bot/store/org.py).
    own_settings: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    paused_until: Mapped[datetime | None]
    retired_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The onboarding question waiting for an answer, by its name (nudges/onboarding.py), and when
    # the person finished the questions; both NULL before they start.
    pending_question: Mapped[str | None]
    onboarded_at: Mapped[datetime | None]
    opted_out: Mapped[bool] = mapped_column(default=False)
    milestones: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The person's yes to having their milestones named in their team's digest channel (``set
    # celebrate public``); without it a digest counts them and never names them.
    celebrate_publicly: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The phrasings the person saw last (nudges.phrases), so replies do not repeat themselves.
    recent_lines: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # What the bot's last question waits for (nudges.person.Person.awaiting): a typed "yes" answers it.
    awaiting: Mapped[str | None] = mapped_column(String(400))
    started_at: Mapped[datetime | None]  # when they started the journey
    introduced_at: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None] = mapped_column(index=True)  # the scheduler's "when next"
    unreachable_at: Mapped[datetime | None]
    # Left the organisation (a full roster import did not list them): no more nudges, and erased
    # once RETENTION_DAYS have passed (bot/store/privacy.py). A roster listing them again clears it.
    left_at: Mapped[datetime | None] = mapped_column(index=True)  # each tick looks for expired ones
    # What planning needs of their offers, compacted (bot/store/summary.py): written by the planner,
    # emptied by triggers on ``offers`` whenever anything else changes them (0016_planning_summary).
    # Deferred: only the planner reads it, with plain SQL.
    plan_summary: Mapped[str | None] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IdentityRow(Base):
    """One platform account of a person; ``address`` is how to reach them there again (opaque)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str]  # "slack" | "teams" | "console"
    tenant: Mapped[str] = mapped_column(default="")
    user_id: Mapped[str]
    address: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ActivityRow(Base):
    __tablename__ = "activities"
    # With the kind: a tick reads everyone's recent activities by person and instant, and only
    # their kinds (``bot/scheduling/sql.py``), from the index alone (migration 0025).
    __table_args__ = (Index(None, "person_id", "at", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    kind: Mapped[str]  # an ActivityKind value
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str]  # "logged" | "nudge" | "import"


# The offers of suggested shares, a third of all offers: looked up by key when an item ends (its
# sent cards), comes back (``Store.upsert_content``) or is reported on alone. A query reaches the
# index only by naming this very condition, as literal SQL: a bound "category = ?" does not prove it
# to SQLite, nor to PostgreSQL's generic plans.
SHARE_OFFERS = "category = 'share'"


class OfferRow(Base):
    __tablename__ = "offers"
    __table_args__ = (
        Index(None, "person_id", "offered_at"),
        Index(
            "ix_offers_share_key", "key", postgresql_where=text(SHARE_OFFERS), sqlite_where=text(SHARE_OFFERS)
        ),
    )

    id: Mapped[str] = mapped_column(primary_key=True)  # made by the engine
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    key: Mapped[str]
    kind: Mapped[str]
    category: Mapped[str]  # a Category value
    company: Mapped[bool] = mapped_column(default=False)
    offered_at: Mapped[datetime]
    answer: Mapped[str | None]  # an Answer value
    answered_at: Mapped[datetime | None]
    platform: Mapped[str | None]
    message_ref: Mapped[str | None]  # the platform's message id, to update the message in place


# The condition of ``SHARE_OFFERS`` for a query's WHERE, with the value inline (see there).
IS_SHARE_OFFER = OfferRow.category == literal_column("'share'")


class ContentItemRow(Base):
    __tablename__ = "content_items"

    id: Mapped[str] = mapped_column(primary_key=True)  # marketing's own slug
    title: Mapped[str]
    url: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # network -> ready text
    zones: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 2, 3, 4])
    company: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    created_by: Mapped[str | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    teams: Mapped[list[str]] = mapped_column(JSON, default=list)  # case-folded; empty: every team
    starts_at: Mapped[datetime | None]
    variants: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)  # network -> more texts
    follow: Mapped[list[str]] = mapped_column(JSON, default=list)  # accounts and hashtags, for consumers
    withdrawn_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]


# What happened to suggested shares: who said *I shared it* on which network, and link clicks. Rows
# name the offer (which names the person, for their own history), but the report only ever counts
# them by item, network, team and zone: no list of people comes out of these tables.
class ContentShareRow(Base):
    __tablename__ = "content_shares"
    __table_args__ = (Index(None, "item_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str]
    network: Mapped[str | None]  # None: shared without saying where
    with_own_line: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime]


class ContentClickRow(Base):
    __tablename__ = "content_clicks"
    __table_args__ = (Index(None, "item_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str]
    network: Mapped[str]
    at: Mapped[datetime]


class OrgSettingRow(Base):
    __tablename__ = "org_settings"

    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
