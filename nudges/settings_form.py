"""A person's own settings: parse them from chat ("set topics a, b") or a submitted form, validate, apply.

The same field names serve the Slack modal, the Teams card and the console, so a form on any
platform submits ``{"topics": "cloud, hiring", "work_start": "09:00", ...}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nudges import places, words
from nudges.library import NETWORK_LABELS
from nudges.messages import literal
from nudges.person import Person

MAX_WEEKLY_CAP = 7
MAX_PAUSE_DAYS = 365
FIELDS = (
    "networks",
    "topics",
    "timezone",
    "work_start",
    "work_end",
    "quiet_start",
    "quiet_end",
    "weekly_cap",
    "pause",
    "celebrate",
)
# The pause field: a number of days from now, NOT_PAUSED, or an ISO instant (the form offers the
# current pause end as one, so saving the form unchanged keeps the pause exactly as it was).
NOT_PAUSED = "off"
PAUSE_DAYS = (1, 3, 7, 14, 30)
_NOT_PAUSED_WORDS = ("", NOT_PAUSED, "0", "no", "none", "not paused", "resume")
# The celebrate field: whether the team digest may name the person next to their milestones.
# Private unless they say so. The forms offer CELEBRATE_CHOICES; chat takes any of the words below.
CELEBRATE_LABEL = "Celebrate my milestones by name in the team digest"
CELEBRATE_PUBLIC, CELEBRATE_PRIVATE = "yes", "no"
CELEBRATE_CHOICES = (
    ("No, keep them between us", CELEBRATE_PRIVATE),
    ("Yes, cheer me by name", CELEBRATE_PUBLIC),
)
_PUBLIC_WORDS = ("public", "yes", "on", "team", "channel", "announce")
_PRIVATE_WORDS = ("private", "no", "off", "me", "dm", "just me")
CELEBRATE_HELP = (
    "**Yes** (public): cheered by name in your team's digest. **No** (private, the default): "
    "between us. In chat: **set celebrate public** or **set celebrate private**."
)
PAUSE_HELP = f"How long a pause? A number of days from 1 to {MAX_PAUSE_DAYS}, or **off** for none."


class SettingsError(ValueError):
    """A setting that cannot be applied; the message tells the person what would work."""


def parse_set_command(text: str) -> dict[str, str]:
    """``topics cloud, hiring`` · ``hours 09:00-17:00`` · ``quiet 20:00-08:00`` / ``quiet off`` · …"""
    name, _, value = text.strip().partition(" ")
    name, value = name.lower(), value.strip()
    if name in ("networks", "network", "topics", "topic", "timezone", "tz", "cap"):
        key = {"network": "networks", "topic": "topics", "tz": "timezone", "cap": "weekly_cap"}.get(
            name, name
        )
        return {key: value}
    if name in ("hours", "quiet"):
        if name == "quiet" and value.lower() in ("off", "none", ""):
            return {"quiet_start": "", "quiet_end": ""}
        start, end = _range(value, name)
        prefix = "work" if name == "hours" else "quiet"
        return {f"{prefix}_start": start, f"{prefix}_end": end}
    if name in ("celebrate", "celebrations", "cheer"):
        return {"celebrate": value}
    raise SettingsError(
        "I can set: networks, topics, timezone, hours, quiet, cap, celebrate. e.g. **set topics cloud, hiring**."
    )


_RANGE = re.compile(r"\s*(?:-|–|—|\bto\b|\btill\b|\buntil\b)\s*")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def _range(value: str, name: str) -> tuple[str, str]:
    """ "9-5", "9:00–17:30", "9am to 5pm", "09:00-17:00" → ("09:00", "17:00") … as HH:MM. Working
    hours ending at or before they start, with no am/pm ("9-5"), end in the afternoon."""
    parts = _RANGE.split(value.strip().lower(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        raise SettingsError(f"Write it as a range, e.g. **set {name} 9-5** or **set {name} 09:00-17:30**.")
    start, end = (_clock(p.strip()) for p in parts)
    if start is None or end is None:
        raise SettingsError(f"Write it as a range, e.g. **set {name} 9-5** or **set {name} 09:00-17:30**.")
    (start_time, _), (end_time, end_marked) = start, end
    if name == "hours" and end_time <= start_time and not end_marked and end_time.hour < 12:
        end_time = end_time.replace(hour=end_time.hour + 12)
    return f"{start_time:%H:%M}", f"{end_time:%H:%M}"


def _clock(text: str) -> tuple[time, bool] | None:
    """ "9" / "9am" / "5pm" / "17:30" / "9.30" / "17h" → (the time, whether am/pm said which half)."""
    found = _CLOCK.match(text.replace(" ", "") if text.endswith(("am", "pm")) else text)
    if found is None:
        return None
    hours, minutes, half = int(found.group(1)), int(found.group(2) or 0), found.group(3)
    if half is not None:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.startswith("p") else 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes), half is not None


def _time(label: str, value: str) -> time:
    clock = _clock(value.strip().lower())
    if clock is None:
        raise SettingsError(f"{label} should look like 09:30, not '{value}'.")
    return clock[0]


def _timezone(text: str) -> str:
    try:
        return places.timezone(text)
    except places.UnknownTimezone as unknown:
        shown = literal(text[:60])
        if unknown.suggestions:
            options = " or ".join(f"**{s}**" for s in unknown.suggestions)
            raise SettingsError(f"I don't know the time zone “{shown}”. Did you mean {options}?") from None
        raise SettingsError(
            f"I don't know the time zone “{shown}”. A city works, e.g. _Berlin_ or _New York_, or a name like _Europe/Berlin_."
        ) from None


def _as_text(value: str | list[str]) -> str:
    return ", ".join(value) if isinstance(value, list) else value


def pause_choices(person: Person, now: datetime | None = None) -> tuple[tuple[str, str], ...]:
    """(label, value) for a form's pause input; the first is how things stand (``pause_value``)."""
    days = tuple((f"Pause for {n} day{'s' if n > 1 else ''}", str(n)) for n in PAUSE_DAYS)
    if not _paused(person, now):
        return (("Not paused", NOT_PAUSED), *days)
    assert person.paused_until is not None
    until = person.paused_until.astimezone(_zone(person))
    return (
        (f"Paused until {until:%A %d %B}", person.paused_until.isoformat()),
        ("Not paused", NOT_PAUSED),
        *days,
    )


def celebrate_value(person: Person) -> str:
    """The form's celebrate input as things stand: yes (named in the digest) or no (the default)."""
    return CELEBRATE_PUBLIC if person.celebrate_publicly else CELEBRATE_PRIVATE


def pause_value(person: Person, now: datetime | None = None) -> str:
    return pause_choices(person, now)[0][1]


def _paused(person: Person, now: datetime | None) -> bool:
    return person.paused(now) if now is not None else person.paused_until is not None


def _zone(person: Person) -> ZoneInfo:
    try:
        return ZoneInfo(person.schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _pause(person: Person, value: str, now: datetime | None) -> datetime | None:
    """When the pause ends (None: not paused); a number of days is counted from ``now``."""
    if value.lower() in _NOT_PAUSED_WORDS:
        return None
    if value.isdecimal():
        if not 1 <= int(value) <= MAX_PAUSE_DAYS:
            raise SettingsError(PAUSE_HELP)
        return _needed(now) + timedelta(days=int(value))
    try:
        until = datetime.fromisoformat(value)
    except ValueError as error:
        raise SettingsError(PAUSE_HELP) from error
    if until.tzinfo is None:  # a date or time without a zone is the person's own
        until = until.replace(tzinfo=_zone(person))
    if until == person.paused_until:
        return person.paused_until  # the form sent the pause back as it stands
    if not _needed(now) < until <= _needed(now) + timedelta(days=MAX_PAUSE_DAYS):
        raise SettingsError(PAUSE_HELP)
    return until


def _needed(now: datetime | None) -> datetime:
    if now is None:
        raise TypeError("a pause is counted from now: call apply_settings(..., now=...)")
    return now


def apply_settings(
    person: Person, values: Mapping[str, str | list[str]], now: datetime | None = None
) -> Person:
    """Validate every value first; apply all or nothing. ``now`` is needed for a ``pause``."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise SettingsError(f"I don't know the setting {', '.join(sorted(unknown))}.")
    texts = {k: _as_text(v).strip() for k, v in values.items()}
    changes: dict[str, object] = {}
    schedule = person.schedule
    if "networks" in texts:
        try:
            changes["networks"] = words.networks(texts["networks"])
        except words.UnknownNetworks:
            raise SettingsError(f"Networks I know: {', '.join(NETWORK_LABELS.values())}.") from None
    if "topics" in texts:
        try:
            changes["topics"] = words.person_topics(texts["topics"])
        except words.TopicTooLong:
            raise SettingsError(
                f"Keep each topic short ({words.TOPIC_MAX_LENGTH} characters at most)."
            ) from None
    if "timezone" in texts:
        schedule = replace(schedule, timezone=_timezone(texts["timezone"]))
    if "work_start" in texts or "work_end" in texts:
        start = _time("The start", texts.get("work_start") or f"{schedule.work_start:%H:%M}")
        end = _time("The end", texts.get("work_end") or f"{schedule.work_end:%H:%M}")
        if start >= end:
            raise SettingsError("Working hours should start before they end, e.g. 09:00-17:00.")
        schedule = replace(schedule, work_start=start, work_end=end)
    if "quiet_start" in texts or "quiet_end" in texts:
        raw = (texts.get("quiet_start", ""), texts.get("quiet_end", ""))
        if raw == ("", ""):
            quiet: tuple[time | None, time | None] = (None, None)
        else:
            quiet = (_time("Quiet hours' start", raw[0]), _time("Quiet hours' end", raw[1]))
        schedule = replace(schedule, quiet_start=quiet[0], quiet_end=quiet[1])
    if "weekly_cap" in texts:
        cap = texts["weekly_cap"]
        if not cap.isdecimal() or not 1 <= int(cap) <= MAX_WEEKLY_CAP:  # isdigit() lets "²" through
            raise SettingsError(f"Nudges per week: a number from 1 to {MAX_WEEKLY_CAP}.")
        changes["weekly_cap"] = int(cap)
    if "pause" in texts:
        changes["paused_until"] = _pause(person, texts["pause"], now)
    if "celebrate" in texts:
        said = texts["celebrate"].lower()
        if said not in _PUBLIC_WORDS + _PRIVATE_WORDS:
            raise SettingsError(CELEBRATE_HELP)
        changes["celebrate_publicly"] = said in _PUBLIC_WORDS
    return person.evolve(schedule=schedule, **changes)
