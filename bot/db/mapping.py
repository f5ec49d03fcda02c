"""Pure conversions between table rows and the engine's types; no sessions, no queries.

Sets are stored as sorted lists so the stored JSON is stable; local times as "HH:MM" strings so an
admin reading the table sees what the person sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, ColumnElement, Dialect, Text, TypeDecorator, cast, type_coerce

from bot.db.models import ActivityRow, ContentItemRow, IdentityRow, OfferRow, PersonRow
from nudges.activities import Activity, ActivityKind
from nudges.library import Category, ContentItem
from nudges.messages import Answer
from nudges.person import Offer, Person, Schedule
from nudges.zones import Zone


@dataclass(frozen=True)
class Identity:
    """One platform account of a person, with the opaque address to reach them there."""

    platform: str
    user_id: str
    tenant: str = ""
    address: str | None = None


class _SharedJSON(TypeDecorator[Any]):
    """A JSON list column read as its text and decoded once per distinct text, into a tuple.

    People share a handful of values (``[]``, ``["employee"]``, the weekdays, a few network and topic
    pairs), so a batch decodes each of them once instead of six times per person. Tuples, because the
    decoded value is shared between rows.
    """

    impl = Text
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else _decoded(value)


@lru_cache(maxsize=4096)
def _decoded(text: str) -> Any:
    value = json.loads(text)
    return tuple(value) if isinstance(value, list) else value


def _read(name: str) -> ColumnElement[Any]:
    column = PersonRow.__table__.c[name]
    if isinstance(column.type, JSON):
        return type_coerce(cast(column, Text), _SharedJSON()).label(name)
    return column


# What ``person_from_row`` reads, for a batch read of many people (a Core select): no bookkeeping
# timestamps, and the JSON lists decoded once per distinct value.
PERSON_COLUMNS = tuple(
    _read(name)
    for name in (
        "email", "name", "zone", "networks", "topics", "timezone", "work_days", "work_start", "work_end",
        "quiet_start", "quiet_end", "weekly_cap", "paused_until", "retired_kinds", "onboarding_step",
        "opted_out", "roles", "milestones",
    )
)  # fmt: skip

# Enum lookups by value, without the Enum constructor's overhead: planning maps every row of a batch.
# An unknown value still goes through the constructor, which refuses it as before.
_ZONES = {zone.value: zone for zone in Zone}
_CATEGORIES = {category.value: category for category in Category}
_ANSWERS = {answer.value: answer for answer in Answer}
_ACTIVITY_KINDS = {kind.value: kind for kind in ActivityKind}


def person_from_row(row: PersonRow | Any) -> Person:
    """A person from a ``PersonRow`` or any row with the ``PERSON_COLUMNS`` (a Core select)."""
    return Person(
        key=row.email,
        name=row.name,
        zone=_ZONES.get(row.zone) or Zone(row.zone),
        networks=tuple(row.networks),
        topics=tuple(row.topics),
        schedule=_schedule(
            row.timezone,
            tuple(row.work_days),
            row.work_start,
            row.work_end,
            row.quiet_start,
            row.quiet_end,
        ),
        weekly_cap=row.weekly_cap,
        paused_until=row.paused_until,
        retired_kinds=frozenset(row.retired_kinds),
        onboarding_step=row.onboarding_step,
        opted_out=row.opted_out,
        roles=frozenset(row.roles),
        milestones=frozenset(row.milestones),
    )


@lru_cache(maxsize=4096)
def _schedule(
    timezone: str,
    work_days: tuple[int, ...],
    work_start: str,
    work_end: str,
    quiet_start: str | None,
    quiet_end: str | None,
) -> Schedule:
    """One shared ``Schedule`` per distinct stored schedule: an organisation has few, and the
    engine's per-schedule caches then find theirs by identity."""
    return Schedule(
        timezone=timezone,
        work_days=frozenset(work_days),
        work_start=_parse_time(work_start),
        work_end=_parse_time(work_end),
        quiet_start=_parse_optional_time(quiet_start),
        quiet_end=_parse_optional_time(quiet_end),
    )


def apply_person(row: PersonRow, person: Person) -> None:
    """Write back what the engine owns. Email, roles and team belong to the roster, not the engine."""
    row.name = person.name
    row.zone = int(person.zone)
    row.networks = list(person.networks)
    row.topics = list(person.topics)
    row.timezone = person.schedule.timezone
    row.work_days = sorted(person.schedule.work_days)
    row.work_start = _format_time(person.schedule.work_start)
    row.work_end = _format_time(person.schedule.work_end)
    row.quiet_start = _format_optional_time(person.schedule.quiet_start)
    row.quiet_end = _format_optional_time(person.schedule.quiet_end)
    row.weekly_cap = person.weekly_cap
    row.paused_until = person.paused_until
    row.retired_kinds = sorted(person.retired_kinds)
    row.onboarding_step = person.onboarding_step
    row.opted_out = person.opted_out
    row.milestones = sorted(person.milestones)


def offer_from_row(row: OfferRow | Any) -> Offer:
    answer = row.answer
    return Offer(
        id=row.id,
        key=row.key,
        kind=row.kind,
        category=_CATEGORIES.get(row.category) or Category(row.category),
        offered_at=row.offered_at,
        company=row.company,
        answer=None if answer is None else _ANSWERS.get(answer) or Answer(answer),
        answered_at=row.answered_at,
    )


def offer_row(person_id: int, offer: Offer) -> OfferRow:
    return OfferRow(
        id=offer.id,
        person_id=person_id,
        key=offer.key,
        kind=offer.kind,
        category=offer.category.value,
        company=offer.company,
        offered_at=offer.offered_at,
        answer=offer.answer.value if offer.answer is not None else None,
        answered_at=offer.answered_at,
    )


def activity_from_row(row: ActivityRow | Any) -> Activity:
    return Activity(kind=_ACTIVITY_KINDS.get(row.kind) or ActivityKind(row.kind), at=row.at, note=row.note)


def activity_row(person_id: int, activity: Activity, source: str) -> ActivityRow:
    return ActivityRow(
        person_id=person_id, kind=activity.kind.value, at=activity.at, note=activity.note, source=source
    )


def content_from_row(row: ContentItemRow) -> ContentItem:
    return ContentItem(
        id=row.id,
        title=row.title,
        url=row.url,
        topics=tuple(row.topics),
        texts=dict(row.texts),
        zones=frozenset(Zone(z) for z in row.zones),
        company=row.company,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def content_row(item: ContentItem) -> ContentItemRow:
    """A new row for ``item``; ``created_at`` is left to the column default when the item has none."""
    row = ContentItemRow(
        id=item.id,
        title=item.title,
        url=item.url,
        topics=list(item.topics),
        texts=dict(item.texts),
        zones=sorted(int(z) for z in item.zones),
        company=item.company,
        expires_at=item.expires_at,
    )
    if item.created_at is not None:
        row.created_at = item.created_at
    return row


def identity_from_row(row: IdentityRow) -> Identity:
    return Identity(platform=row.platform, user_id=row.user_id, tenant=row.tenant, address=row.address)


def _parse_time(text: str) -> time:
    return time.fromisoformat(text)


def _parse_optional_time(text: str | None) -> time | None:
    return None if text is None else time.fromisoformat(text)


def _format_time(value: time) -> str:
    return value.strftime("%H:%M")


def _format_optional_time(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")
