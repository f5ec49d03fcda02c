"""Pure conversions between table rows and the engine's types; no sessions, no queries.

Sets are stored as sorted lists so the stored JSON is stable; local times as "HH:MM" strings so an
admin reading the table sees what the person sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import Row

from bot.store.models import ActivityRow, ContentItemRow, IdentityRow, OfferRow, PersonRow
from bot.store.values import activity_from_values, offer_from_values, person_from_values
from nudges.activities import Activity
from nudges.library import ContentItem
from nudges.person import Offer, Person
from nudges.zones import Zone


@dataclass(frozen=True)
class Identity:
    """One platform account of a person, with the opaque address to reach them there."""

    platform: str
    user_id: str
    tenant: str = ""
    address: str | None = None


def person_from_row(row: PersonRow) -> Person:
    return person_from_values(
        row.email, row.name, row.zone, row.networks, row.topics, row.timezone, row.work_days,
        row.work_start, row.work_end, row.quiet_start, row.quiet_end, row.weekly_cap, row.paused_until,
        row.retired_kinds, row.pending_question, row.onboarded_at, row.opted_out, row.roles, row.milestones, row.team,
        bool(row.celebrate_publicly),
        recent_lines=row.recent_lines or (),
        awaiting=row.awaiting,
    )  # fmt: skip


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
    row.pending_question = person.pending_question
    row.onboarded_at = person.onboarded_at
    row.opted_out = person.opted_out
    row.milestones = sorted(person.milestones)
    row.celebrate_publicly = person.celebrate_publicly
    row.recent_lines = list(person.recent_lines)
    row.awaiting = person.awaiting


def offer_from_row(row: OfferRow) -> Offer:
    return offer_from_values(
        row.id, row.key, row.kind, row.category, row.company, row.offered_at, row.answer, row.answered_at
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


def activity_from_row(row: ActivityRow) -> Activity:
    return activity_from_values(row.kind, row.at, row.note)


def activity_row(person_id: int, activity: Activity, source: str) -> ActivityRow:
    return ActivityRow(
        person_id=person_id, kind=activity.kind.value, at=activity.at, note=activity.note, source=source
    )


def content_from_row(row: ContentItemRow | Row[Any]) -> ContentItem:
    """From a mapped row or a plain one of the same columns (what a turn reads)."""
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
        summary=row.summary or "",
        teams=frozenset(row.teams or ()),
        starts_at=row.starts_at,
        variants={network: tuple(texts) for network, texts in (row.variants or {}).items()},
        follow=tuple(row.follow or ()),
        withdrawn_at=row.withdrawn_at,
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
        summary=item.summary,
        teams=sorted(item.teams),
        starts_at=item.starts_at,
        variants={network: list(texts) for network, texts in item.variants.items()},
        follow=list(item.follow),
        withdrawn_at=item.withdrawn_at,
    )
    if item.created_at is not None:
        row.created_at = item.created_at
    return row


def identity_from_row(row: IdentityRow) -> Identity:
    return Identity(platform=row.platform, user_id=row.user_id, tenant=row.tenant, address=row.address)


def _format_time(value: time) -> str:
    return value.strftime("%H:%M")


def _format_optional_time(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")
