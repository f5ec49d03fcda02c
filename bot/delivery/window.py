"""Whether a claimed outbox row may go now, must wait, or has outlived its day (pure; no I/O).

A row can wait a long time between planning and delivery (a worker down overnight, a pause set after
planning, a queue slow with 429s), and the person's window is checked again right before sending:

- A nudge belongs to the local day it was planned for: the engine allows one counting nudge a day
  and planned the next one for the next day, so a nudge carried over would make two on that day.
  When its day has no window left (after work, paused beyond it, or simply the next morning), it
  **expires** instead of being sent late.
- The introduction and a celebration are kept: each is planned only once (``introduced_at`` and the
  celebration's offer are already written), so expiring them would lose them for good, and neither
  counts toward the daily or weekly limits. They wait for the next window.
- A row that waits past its day goes at the person's own send minute of the day it goes
  (``bot.scheduling.plan.spread``), or at once if that minute has passed, so a backlog after an outage
  does not all go at the window's first minute. On its own day it goes when the window reopens (its
  minute came already: that is when it was planned). Celebrations go promptly, as planning sends them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.scheduling.plan import spread
from nudges.creators import CATEGORY as CREATORS
from nudges.library import Category
from nudges.person import Person
from nudges.schedule import local_time, local_to_utc, next_window_start

# No window in the next two weeks (``next_window_start``'s horizon): a kept row looks again tomorrow.
RETRY_LATER = timedelta(days=1)
# The creators' messages (a draft to copy-edit, suggestions back, a topic request) are each written
# once, for a person who is waiting on them: they wait for the next window too (``nudges/creators.py``).
KEPT = frozenset({Category.INTRO.value, Category.CELEBRATION.value, CREATORS})


@dataclass(frozen=True)
class Expired:
    reason: str


def next_day_window(person: Person, now: datetime) -> datetime:
    """When the person's window opens on a later local day than ``now``'s (tomorrow, or the next
    working day): where someone away today is looked at again."""
    tomorrow = local_time(person.schedule, now).date() + timedelta(days=1)
    midnight = local_to_utc(person.schedule, datetime.combine(tomorrow, time()))
    return next_window_start(person.schedule, midnight) or now + RETRY_LATER


def when_to_send(
    person: Person, category: str, planned_at: datetime, now: datetime, seed: int = 0
) -> datetime | Expired | None:
    """None: send now. An instant: wait until then. ``Expired``: never send it."""
    start = person.paused_until if person.paused(now) and person.paused_until else now
    opens = next_window_start(person.schedule, start)
    day = local_time(person.schedule, planned_at).date()
    later_day = opens is None or local_time(person.schedule, opens).date() > day
    if category not in KEPT and later_day:
        return Expired(
            f"expired: its day ({day.isoformat()} in {person.schedule.timezone}) had no window left"
        )
    if opens is None:
        return now + RETRY_LATER
    # On its own day the row's minute has come already (it was planned then); on a later day, that
    # day's minute. A celebration goes as soon as the window allows, as planning sends it.
    due = spread(person, opens, seed) if later_day and category != Category.CELEBRATION.value else opens
    return None if due <= now else due
