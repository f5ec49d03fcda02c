"""Import the organisation's holiday calendar: days on which no proactive nudge goes out.

Two formats, told apart by the file's extension:

- ``.ics`` (an export from Outlook, Google Calendar and friends): every event's days count, all-day
  or not, multi-day events included (``DTEND`` is exclusive, as RFC 5545 says). Read with the
  ``icalendar`` library rather than by hand: folded lines, time zones and escapes are its job.
- ``.yaml``/``.yml``: a list of dates (``2026-12-24``), of ``{date: …, name: …}`` mappings, or of
  ranges ``{from: 2026-12-24, to: 2026-12-31}`` (both ends included); optionally under ``holidays:``.

All or nothing, like the other importers: the whole file is checked first, and one bad entry (named
by its item or event number) changes nothing. An import replaces the stored calendar, so the file is
the calendar: re-import a corrected one to change it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.store.store import Store

MAX_EVENT_DAYS = 366  # a longer "holiday" is a mistake in the file, not a year off


class CalendarError(ValueError):
    """A calendar that cannot be imported; the message names the file and the entry."""


async def import_calendar(store: Store, path: Path) -> list[date]:
    """Check the whole file, then replace the stored holidays with its days; the days, sorted."""
    days = parse_calendar(path)
    await store.set_holidays(days)
    return days


def parse_calendar(path: Path) -> list[date]:
    suffix = path.suffix.lower()
    if suffix == ".ics":
        days = _ics(path)
    elif suffix in (".yaml", ".yml"):
        days = _yaml(path)
    else:
        raise CalendarError(f"{path.name}: expected an .ics file or a YAML (.yaml, .yml) list of dates")
    if not days:
        raise CalendarError(f"{path.name}: no days in it; nothing was changed")
    return sorted(days)


def _ics(path: Path) -> set[date]:
    import icalendar  # only the calendar command needs it

    try:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except ValueError as error:
        raise CalendarError(f"{path.name}: not a valid iCalendar file: {error}") from None
    days: set[date] = set()
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        where = f"{path.name} event {number}" + (f" ({summary!r})" if summary else "")
        start = event.get("DTSTART")
        if start is None:
            raise CalendarError(f"{where}: no DTSTART, so no day to hold")
        first = _day(start.dt)
        end = event.get("DTEND")
        days_end = None if end is None else _last_day(end.dt)
        last = first if days_end is None else max(first, days_end)
        days |= _span(first, last, where)
    return days


def _last_day(end: date | datetime) -> date:
    """The last day an event covers, from its exclusive DTEND (RFC 5545, 3.6.1): an all-day event
    ending on the 27th covers up to the 26th; a timed one ending at 10:00 on the 27th, the 27th."""
    if isinstance(end, datetime):
        return end.date() if end.time() != time(0) else end.date() - timedelta(days=1)
    return end - timedelta(days=1)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _yaml(path: Path) -> set[date]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CalendarError(f"{path.name}: not UTF-8 text; save the file as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise CalendarError(f"{path.name}: not valid YAML{where}: {problem}") from None
    entries = document.get("holidays") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise CalendarError(f"{path.name}: expected a list of dates, or a mapping with a 'holidays' list")
    days: set[date] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name} item {number}"
        if isinstance(entry, dict):
            name = entry.get("name")
            where += f" ({name!r})" if isinstance(name, str) and name.strip() else ""
            unknown = set(entry) - {"date", "from", "to", "name"}
            if unknown:
                raise CalendarError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
            if "date" in entry:
                if "from" in entry or "to" in entry:
                    raise CalendarError(f"{where}: either 'date' or 'from' and 'to', not both")
                days.add(_date(entry["date"], where))
            elif "from" in entry and "to" in entry:
                days |= _span(_date(entry["from"], where), _date(entry["to"], where), where)
            else:
                raise CalendarError(f"{where}: needs 'date', or 'from' and 'to'")
        else:
            days.add(_date(entry, where))
    return days


def _date(value: Any, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a date like 2026-12-24") from None


def _span(first: date, last: date, where: str) -> set[date]:
    if last < first:
        raise CalendarError(f"{where}: ends ({last}) before it starts ({first})")
    length = (last - first).days + 1
    if length > MAX_EVENT_DAYS:
        raise CalendarError(f"{where}: {length} days is longer than a year; is a date mistyped?")
    return {first + timedelta(days=n) for n in range(length)}
