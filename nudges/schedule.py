"""When a person may hear from the bot: their working window, in their own time zone.

The window is the person's working days and hours, minus their quiet hours, read on the wall clock of
their IANA time zone. Every function takes ``now`` (timezone-aware) rather than reading a clock.

Daylight saving time is handled by construction, not by assumption: wall-clock times that do not exist
(a spring-forward gap) move to the first instant after the gap, times that happen twice (a fall-back
overlap) count both times, and ``next_window_start`` checks every candidate with ``in_window`` itself.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nudges.person import Schedule

# How far ahead next_window_start looks: two weeks covers any weekly pattern twice over.
SEARCH_DAYS = 14
# Offset changes are found by sampling the zone this often; real zones never change twice this fast.
_TRANSITION_PROBE = timedelta(hours=3)
_DAY = timedelta(days=1)
_MINUTE = timedelta(minutes=1)

Span = tuple[timedelta, timedelta]  # [start, end) measured from local midnight


@lru_cache(maxsize=512)
def zone_of(name: str) -> tzinfo:
    """The IANA zone by name; an unknown or malformed name falls back to UTC rather than failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC


def local_time(schedule: Schedule, now: datetime) -> datetime:
    """``now`` on the person's wall clock."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone_of(schedule.timezone))


def in_quiet_hours(schedule: Schedule, now: datetime) -> bool:
    """Quiet hours may wrap midnight (22:00–07:00). Missing or equal bounds mean no quiet hours."""
    return _in_spans(_of_day(local_time(schedule, now).time()), _quiet_spans(schedule))


def in_window(schedule: Schedule, now: datetime) -> bool:
    """A working day, within [work_start, work_end), and not in quiet hours, all on the local clock."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return _in_window_at(schedule, now.astimezone(UTC))


# A tick asks this for everyone at the same instant, about a few schedules. Keyed in UTC: aware
# datetimes sharing a zone compare by wall clock, so a fall-back fold could alias two instants.
@lru_cache(maxsize=4096)
def _in_window_at(schedule: Schedule, now: datetime) -> bool:
    local = local_time(schedule, now)
    return local.weekday() in schedule.work_days and _in_spans(_of_day(local.time()), window_spans(schedule))


@lru_cache(maxsize=4096)  # schedules are frozen and few; in_window runs for everyone every tick
def window_spans(schedule: Schedule) -> tuple[Span, ...]:
    """The parts of a working day's wall clock that are in the window: working hours minus quiet hours.

    Working hours do not wrap midnight: work_end at or before work_start means no window at all.
    """
    spans = [(_of_day(schedule.work_start), _of_day(schedule.work_end))]
    for quiet_start, quiet_end in _quiet_spans(schedule):
        spans = [
            part
            for start, end in spans
            for part in ((start, min(end, quiet_start)), (max(start, quiet_end), end))
            if part[0] < part[1]
        ]
    return tuple(spans)


@lru_cache(maxsize=8192)  # spreading asks it for every person's send minute: a few hundred distinct ones
def local_to_utc(schedule: Schedule, local: datetime) -> datetime:
    """The first instant whose local wall time is ``local`` (naive) or, if that time does not exist
    because of a DST gap, the first instant after the gap. In a fall-back overlap: the first occurrence.
    """
    zone = zone_of(schedule.timezone)
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == local:
        return first
    # A gap: fold=1 lands before the transition and fold=0 after it; the transition is the answer.
    return _transition_between(zone, local.replace(tzinfo=zone, fold=1).astimezone(UTC), first)


def next_window_start(schedule: Schedule, now: datetime) -> datetime | None:
    """The first instant in [now, now + ``SEARCH_DAYS``] that is in the window (``now`` itself if it
    is), in UTC; None if there is none (no working days, or quiet hours cover the working hours)."""
    if in_window(schedule, now):
        return now
    now = now.astimezone(UTC)
    openings = _openings(schedule, local_time(schedule, now).date())
    found = bisect_left(openings, now)
    if found < len(openings) and openings[found] <= now + timedelta(days=SEARCH_DAYS):
        return openings[found]
    return None


@lru_cache(maxsize=4096)  # a tick asks from thousands of instants, of a few schedules and days
def _openings(schedule: Schedule, day: date) -> tuple[datetime, ...]:
    """Where a stretch of window instants may begin, for any ``now`` on local ``day``: sorted, in UTC.

    A stretch begins either where the wall clock reaches the start of a window span (on either pass
    through a fall-back overlap) or at a DST transition that jumps into a span, so those are the only
    candidates; each is kept if it is in the window. The days cover everything [now, now +
    ``SEARCH_DAYS``] can reach on the wall clock, one day either side."""
    zone = zone_of(schedule.timezone)
    first_day, last_day = day - _DAY, day + timedelta(days=SEARCH_DAYS + 2)
    since = local_to_utc(schedule, datetime.combine(first_day, time()))
    until = local_to_utc(schedule, datetime.combine(last_day + _DAY, time()))
    candidates: set[datetime] = set(_transitions(zone, since, until))
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in schedule.work_days:
            continue
        for start, _ in window_spans(schedule):
            wall = datetime.combine(day, time()) + start
            candidates.add(local_to_utc(schedule, wall))
            candidates.add(wall.replace(tzinfo=zone, fold=1).astimezone(UTC))  # an overlap's second pass
    return tuple(sorted(c for c in candidates if in_window(schedule, c)))


def send_minute(person_key: str, schedule: Schedule, local_date: date, seed: int = 0) -> time | None:
    """A reproducible local send time (whole minute) inside that day's window, spread over the window.

    Derived from a SHA-256 of key, date and seed (not ``hash()``, which changes per process), so each
    person gets their own time each day and not everyone hears from the bot at 09:30. None when that
    day has no window (not a working day, or quiet hours cover the working hours).
    """
    minutes = _window_minutes(schedule, local_date)
    if not minutes:
        return None
    digest = hashlib.sha256(f"{person_key}\x1f{local_date.isoformat()}\x1f{seed}".encode()).digest()
    chosen = minutes[int.from_bytes(digest[:8], "big") % len(minutes)]
    return time(chosen // 60, chosen % 60)


@lru_cache(maxsize=4096)  # everyone with the same schedule shares a day's minutes: build them once
def _window_minutes(schedule: Schedule, local_date: date) -> tuple[int, ...]:
    """The minutes of the day (from local midnight) that ``send_minute`` may choose on that day."""
    if local_date.weekday() not in schedule.work_days:
        return ()
    minutes = [
        minute
        for start, end in window_spans(schedule)
        for minute in range(_ceil_minutes(start), _ceil_minutes(end))
    ]
    midnight = datetime.combine(local_date, time())
    if local_to_utc(schedule, midnight + _DAY) - local_to_utc(schedule, midnight) != _DAY:
        # A DST change day (or a skipped one): keep the minutes that exist and are in the window.
        minutes = [m for m in minutes if _exists_in_window(schedule, midnight + m * _MINUTE)]
    return tuple(minutes)


def _exists_in_window(schedule: Schedule, wall: datetime) -> bool:
    instant = local_to_utc(schedule, wall)
    return local_time(schedule, instant).replace(tzinfo=None) == wall and in_window(schedule, instant)


def _quiet_spans(schedule: Schedule) -> list[Span]:
    start, end = schedule.quiet_start, schedule.quiet_end
    if start is None or end is None or start == end:
        return []
    if start < end:
        return [(_of_day(start), _of_day(end))]
    return [(timedelta(0), _of_day(end)), (_of_day(start), _DAY)]  # wraps midnight


def _of_day(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour, minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond
    )


def _in_spans(moment: timedelta, spans: Iterable[Span]) -> bool:
    return any(start <= moment < end for start, end in spans)


def _ceil_minutes(span: timedelta) -> int:
    return -(-span // _MINUTE)


def _offset(zone: tzinfo, instant: datetime) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


def _transitions(zone: tzinfo, start: datetime, end: datetime) -> list[datetime]:
    """Instants in (start, end] where the zone's UTC offset changes: from each UTC year's list,
    found once per zone (planning asks for a window start from thousands of different instants)."""
    return [
        t
        for year in range(start.astimezone(UTC).year, end.astimezone(UTC).year + 1)
        for t in _transitions_in_year(zone, year)
        if start < t <= end
    ]


@lru_cache(maxsize=1024)
def _transitions_in_year(zone: tzinfo, year: int) -> tuple[datetime, ...]:
    """The zone's offset changes in (the start of UTC year ``year``, the start of the next]."""
    return tuple(
        _probe_transitions(zone, datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))
    )


def _probe_transitions(zone: tzinfo, start: datetime, end: datetime) -> list[datetime]:
    """Instants in (start, end] where the zone's UTC offset changes (probed every few hours)."""
    found = []
    probe = start.replace(microsecond=0)
    while probe < end:
        step = min(probe + _TRANSITION_PROBE, end)
        if _offset(zone, probe) != _offset(zone, step):
            found.append(_transition_between(zone, probe, step))
        probe = step
    return found


def _transition_between(zone: tzinfo, before: datetime, after: datetime) -> datetime:
    """The first whole second after ``before`` with a different offset (there is one by ``after``)."""
    offset = _offset(zone, before)
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, datetime.fromtimestamp(middle, UTC)) == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)
