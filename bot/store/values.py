"""Engine types from plain column values: no SQLAlchemy, so a planning worker process can use them.

``mapping.py`` builds engine types from ORM rows through these functions, and the scheduler's
planner (``bot/scheduling/batch.py``) from the raw driver rows it reads in bulk; both decode stored values
the same way. JSON lists and schedules repeat across people (``[]``, ``["employee"]``, the weekdays,
a handful of working hours), so they are decoded once per distinct value and shared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from nudges.activities import Activity, ActivityKind
from nudges.library import Category
from nudges.messages import Answer
from nudges.person import Offer, Person, Schedule
from nudges.zones import Zone

# Enum lookups by value, without the Enum constructor's overhead: planning maps every row of a batch.
# An unknown value still goes through the constructor, which refuses it as before.
_ZONES = {zone.value: zone for zone in Zone}
_CATEGORIES = {category.value: category for category in Category}
_ANSWERS = {answer.value: answer for answer in Answer}
_ACTIVITY_KINDS = {kind.value: kind for kind in ActivityKind}


@lru_cache(maxsize=4096)
def decoded(text: str) -> tuple[Any, ...]:
    """A stored JSON list as a tuple (tuples, because the decoded value is shared between rows)."""
    value = json.loads(text)
    return tuple(value) if isinstance(value, list) else value


def person_from_values(
    email: str, name: str, zone: int, networks: Sequence[str], topics: Sequence[str], timezone: str,
    work_days: Sequence[int], work_start: str, work_end: str, quiet_start: str | None, quiet_end: str | None,
    weekly_cap: int, paused_until: datetime | None, retired_kinds: Sequence[str], pending_question: str | None,
    onboarded_at: datetime | None, opted_out: bool, roles: Sequence[str], milestones: Sequence[str],
    team: str | None = None, celebrate_publicly: bool = False, recent_lines: Sequence[str] = (),
    awaiting: str | None = None,
) -> Person:  # fmt: skip
    """A person from the ``people`` columns the engine owns, in the table's order."""
    return Person(
        key=email,
        name=name,
        zone=_ZONES.get(zone) or Zone(zone),
        networks=tuple(networks),
        topics=tuple(topics),
        schedule=schedule(timezone, tuple(work_days), work_start, work_end, quiet_start, quiet_end),
        weekly_cap=weekly_cap,
        paused_until=paused_until,
        retired_kinds=frozenset(retired_kinds),
        pending_question=pending_question,
        onboarded_at=onboarded_at,
        opted_out=bool(opted_out),
        roles=frozenset(roles),
        milestones=frozenset(milestones),
        team=team or "",
        celebrate_publicly=bool(celebrate_publicly),
        recent_lines=tuple(recent_lines),
        awaiting=awaiting,
    )


@lru_cache(maxsize=4096)
def schedule(
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
        work_start=time.fromisoformat(work_start),
        work_end=time.fromisoformat(work_end),
        quiet_start=None if quiet_start is None else time.fromisoformat(quiet_start),
        quiet_end=None if quiet_end is None else time.fromisoformat(quiet_end),
    )


def offer_from_values(
    id: str, key: str, kind: str, category: str, company: bool, offered_at: datetime,
    answer: str | None, answered_at: datetime | None,
) -> Offer:  # fmt: skip
    return Offer(
        id=id,
        key=key,
        kind=kind,
        category=_CATEGORIES.get(category) or Category(category),
        offered_at=offered_at,
        company=bool(company),
        answer=None if answer is None else _ANSWERS.get(answer) or Answer(answer),
        answered_at=answered_at,
    )


def activity_from_values(kind: str, at: datetime, note: str) -> Activity:
    return Activity(kind=_ACTIVITY_KINDS.get(kind) or ActivityKind(kind), at=at, note=note)
