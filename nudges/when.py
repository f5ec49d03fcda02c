"""How long a break, as people say it: "1 week", "for two weeks", "10 days", "until Monday",
"till 4 January", "until tomorrow".

``pause_end`` turns the words after "pause" into the instant the break ends. A day named ("until
Monday", "till 4 January") ends the break at the start of that day on the person's own clock;
a length ("two weeks") counts from ``now``. ``now`` and the time zone are arguments: the engine
never reads the clock. The words are data below.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30,
    "a couple of": 2, "couple of": 2, "a couple": 2, "a few": 3, "few": 3,
}  # fmt: skip
UNITS = {
    "d": 1, "day": 1, "days": 1, "dy": 1, "dys": 1,
    "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7, "wek": 7, "weks": 7, "weeek": 7,
    "fortnight": 14, "fortnights": 14,
    "m": 30, "month": 30, "months": 30, "mo": 30, "mth": 30, "mths": 30,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_UNTIL = ("until", "till", "til", "untill", "untl", "to", "through", "thru", "up to", "up until", "before")
_FOR = ("for", "for about", "for around", "about", "around", "another", "for another")

_NUMBER = "|".join(sorted((re.escape(n) for n in NUMBERS), key=len, reverse=True))
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_LENGTH = re.compile(rf"^(?:(\d+)|({_NUMBER}))?\s*({_UNIT})$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


_MOST_DAYS = 100 * 366  # beyond any pause; the caller says what is allowed


class NotADuration(ValueError):
    """Words that are not a length of time nor a day."""


def _days(text: str) -> int | None:
    """ "1 week" → 7, "two weeks" → 14, "10 days" → 10, "10" → 10, "a month" → 30."""
    if text.isdecimal():
        return int(text)
    found = _LENGTH.match(text.replace("-", " "))
    if found is None:
        return None
    digits, word, unit = found.groups()
    count = int(digits) if digits else NUMBERS[word] if word else 1
    return count * UNITS[unit]


def _day(text: str, today: date) -> date | None:
    """ "monday" → the next Monday (a week on, said on a Monday), "4 january" / "jan 4" → the next
    4 January, "tomorrow", "next week" (its Monday), "2027-01-04"."""
    text = text.removeprefix("next ").removeprefix("this ") if text != "next week" else text
    if text == "tomorrow":
        return today + timedelta(days=1)
    if text in ("next week", "monday next week"):
        return today + timedelta(days=7 - today.weekday())
    if text in WEEKDAYS:
        ahead = (WEEKDAYS[text] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace(",", " ").replace(".", " ").split()
    if len(parts) == 3 and parts[2].isdecimal():  # "4 january 2027"
        year, parts = int(parts[2]), parts[:2]
    else:
        year = None
    if len(parts) != 2:
        return None
    first, second = parts
    if first in MONTHS:
        first, second = second, first
    day, month = _ORDINAL.match(first), MONTHS.get(second)
    if day is None or month is None:
        return None
    try:
        when = date(year or today.year, month, int(day.group(1)))
    except ValueError:
        return None
    if when <= today and year is None:
        when = when.replace(year=today.year + 1)
    return when


def pause_end(words: str, now: datetime, timezone: str) -> datetime | None:
    """When a break of ``words`` ends, or None for no words (the caller's default).

    Raises ``NotADuration`` for words that are neither a length nor a day."""
    text = " ".join(words.lower().replace("’", "'").strip(" .!?").split())
    if not text:
        return None
    for lead in sorted(_FOR + _UNTIL, key=len, reverse=True):
        if text.startswith(lead + " "):
            text = text[len(lead) + 1 :]
            break
    text = text.removeprefix("the ").strip()
    days = _days(text)
    if days is not None:
        if days > _MOST_DAYS:  # "pause 99999999999 days": not a break anyone can take
            raise NotADuration(words)
        return now + timedelta(days=days)
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    day = _day(text, now.astimezone(zone).date())
    if day is None:
        raise NotADuration(words)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
