"""What the scheduler does for one person now: introduce them, nudge them, or wait until when.

Pure decisions on top of the engine (no I/O): ``bot/scheduling/tick.py`` loads a batch of people and writes what
these functions decide.

- A person imported from the roster gets one introduction, in their working window, at their own
  spread minute (unless they already started talking to the bot). After that the bot stays quiet
  unless they finished onboarding or their team is auto-enrolled by the organisation.
- For everyone enrolled, ``nudges.selection.next_due_at`` says the earliest instant a nudge may go;
  the scheduler then spreads the instant to the person's ``send_minute`` of that day, so a Monday
  09:30 does not wake up the whole organisation at once. Celebrations are not spread: they go
  promptly (still inside the window).
- On a day of the organisation's holiday calendar (the person's local date) nothing proactive goes.
- "Never" from the engine (opted out, no window, no allowance) is stored as "look again in
  ``RECHECK``": a roster change or an org setting that touches no ``UnitOfWork.save`` is then picked up
  within a day, at the cost of one cheap look per person per day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from nudges.library import Category, Library
from nudges.person import History, Offer, Person, Schedule
from nudges.schedule import in_window, local_time, local_to_utc, next_window_start, send_minute
from nudges.selection import (
    MAX_PER_LOCAL_DAY,
    Nudge,
    celebration_pending,
    choose_or_next_due,
    next_due_at,
)

RECHECK = timedelta(days=1)
INTRO_KEY = "intro"


@dataclass(frozen=True)
class Decision:
    nudge: Nudge | None  # what to send now, if anything (an introduction is a Nudge of category INTRO)
    next_due_at: datetime  # when to look at this person again


@dataclass(frozen=True)
class Standing:
    """What the scheduler knows about a person beyond the engine's ``Person``."""

    introduced: bool
    started: bool
    auto_enrolled: bool


def spread(person: Person, due: datetime, seed: int = 0) -> datetime:
    """``due``, or later that same local day at the person's own send minute if that has not passed."""
    day = local_time(person.schedule, due).date()
    minute = send_minute(person.key, person.schedule, day, seed)
    if minute is None:
        return due
    slot = local_to_utc(person.schedule, datetime.combine(day, minute))
    return slot if slot > due else due


def decide(
    person: Person, history: History, standing: Standing, library: Library, now: datetime, rng: random.Random,
    seed: int = 0, holidays: frozenset[date] = frozenset(),
) -> Decision:  # fmt: skip
    later = now + RECHECK
    if person.opted_out:
        return Decision(None, later)
    if holidays and local_time(person.schedule, now).date() in holidays:
        # An organisation holiday on the person's own calendar: nothing proactive at all today (not
        # even an introduction or a cheer); look again when the next day's window opens.
        return Decision(None, min(_next_day_window(person.schedule, now.astimezone(UTC)) or later, later))
    if not standing.introduced and not standing.started:
        return _introduce(person, now, seed)
    # Someone halfway through the onboarding questions is left to finish them in their own time.
    if not (person.onboarded or standing.auto_enrolled):
        return Decision(None, later)
    # Enrolled by the organisation: planned for as if they had finished the questions (not saved).
    enrolled = person if person.onboarded else person.evolve(pending_question=None, onboarded_at=now)
    start = max(now, person.paused_until or now)  # the end of a break, or now
    if not in_window(person.schedule, start):
        # Nothing can go before the window opens: look again then (a bound shared by everyone with
        # this schedule, so it is computed once per tick rather than once per person).
        return Decision(None, min(window_start(person.schedule, start) or later, later))
    celebrating = celebration_pending(person, history)
    if not celebrating:
        slot = spread(person, now, seed)
        if slot > now:  # today's own minute is still to come; the engine's exact answer comes then
            return Decision(None, slot)
    # Capped, or nothing fits: the engine also says when it could be otherwise (no later than the
    # next look, so a cap that frees in days costs no working out of windows and send minutes).
    nudge, due = choose_or_next_due(enrolled, history, library, now, rng, until=later)
    if nudge is None:
        if due is None or due >= later:
            return Decision(None, later)
        due = _at_own_minute(enrolled, due, celebrating, seed)
        return Decision(None, min(due, later) if due is not None and due > now else later)
    if nudge.category != Category.CELEBRATION and MAX_PER_LOCAL_DAY == 1:
        # Nothing else counts today, so the next look is at the next day's window (the engine's exact
        # answer comes then, from inside the window, where it is cheap).
        return Decision(nudge, min(_next_day_window(person.schedule, now.astimezone(UTC)) or later, later))
    after = History((*history.offers, nudge.to_offer("planned", now)), history.activities, history.earlier)
    return Decision(nudge, min(_due(enrolled, after, now, seed) or later, later))


@lru_cache(maxsize=4096)
def window_start(schedule: Schedule, instant: datetime) -> datetime | None:
    """``next_window_start``, memoised: within a tick most people share both arguments."""
    return next_window_start(schedule, instant)


@lru_cache(maxsize=4096)
def _next_day_window(schedule: Schedule, now: datetime) -> datetime | None:
    """When the window opens on the local day after ``now``'s: shared by everyone nudged this tick
    with the same schedule. (``now`` in UTC: aware datetimes of one zone compare by wall clock, so
    the two passes through a fall-back hour would share an entry.)"""
    tomorrow = local_time(schedule, now).date() + timedelta(days=1)
    return window_start(schedule, local_to_utc(schedule, datetime.combine(tomorrow, time())))


def _introduce(person: Person, now: datetime, seed: int) -> Decision:
    start = max(now, person.paused_until or now)  # the end of a break, or now
    opens = window_start(person.schedule, start)
    if opens is None:
        return Decision(None, now + RECHECK)
    due = spread(person, opens, seed)
    if due > now:
        return Decision(None, min(due, now + RECHECK))
    return Decision(Nudge(Category.INTRO, INTRO_KEY, INTRO_KEY), now + RECHECK)


def _due(person: Person, history: History, now: datetime, seed: int) -> datetime | None:
    return _at_own_minute(
        person, next_due_at(person, history, now), celebration_pending(person, history), seed
    )


def _at_own_minute(person: Person, due: datetime | None, celebrating: bool, seed: int) -> datetime | None:
    """The engine's next instant, spread to the person's own minute that day (``spread``); a
    celebration waiting goes promptly instead."""
    return due if due is None or celebrating else spread(person, due, seed)


def idempotency_key(person_id: int, person: Person, nudge: Nudge, now: datetime) -> str:
    """One delivery per person, nudge and local day, whichever replica plans it."""
    return f"{person_id}/{nudge.key}/{local_time(person.schedule, now).date().isoformat()}"


def intro_offer(offer_id: str, now: datetime) -> Offer:
    return Offer(id=offer_id, key=INTRO_KEY, kind=INTRO_KEY, category=Category.INTRO, offered_at=now)
