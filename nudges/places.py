"""Time zones as people name them: "utc", "Europe/berlin", "new york", "São Paulo", "tokyo".

Names are resolved through the IANA database the standard library reads (``zoneinfo``): a zone's
full name in any case, or its city (the last part of the name, underscores as spaces, accents
folded, so "sao paulo" is America/Sao_Paulo). A few everyday names that are not IANA cities are
listed in ``ALIASES`` (data: add a line when people keep typing one). A close miss gets
suggestions for a "did you mean …?" and changes nothing.
"""

from __future__ import annotations

import difflib
import unicodedata
import zoneinfo
from functools import cache

# Everyday names that are not a zone's city, lower-case, accents folded.
ALIASES = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "universal": "UTC",
    "uk": "Europe/London",
    "britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "ireland": "Europe/Dublin",
    "germany": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid",
    "italy": "Europe/Rome",
    "milan": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich",
    "austria": "Europe/Vienna",
    "poland": "Europe/Warsaw",
    "portugal": "Europe/Lisbon",
    "india": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "japan": "Asia/Tokyo",
    "china": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "brazil": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "rio de janeiro": "America/Sao_Paulo",
    "nyc": "America/New_York",
    "new york city": "America/New_York",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "pacific time": "America/Los_Angeles",
    "eastern": "America/New_York",
    "eastern time": "America/New_York",
    "central time": "America/Chicago",
    "austin": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "cst": "America/Chicago",
    "mountain time": "America/Denver",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "dubai": "Asia/Dubai",
    "abu dhabi": "Asia/Dubai",
    "australia": "Australia/Sydney",
    "canberra": "Australia/Sydney",
    "new zealand": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
}
# Regions whose zones are the real places; the rest ("US/Eastern", "Etc/GMT+5") are old aliases.
_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")


_LONGEST = 60  # longer than any zone's name or city: not worth comparing


class UnknownTimezone(ValueError):
    """A name no zone has; ``suggestions`` are the closest zones (may be empty)."""

    def __init__(self, name: str, suggestions: tuple[str, ...]) -> None:
        super().__init__(f"unknown time zone: {name}")
        self.name = name
        self.suggestions = suggestions


def fold(text: str) -> str:
    """Lower case, accents folded, underscores and dashes as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


@cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """(every zone by its folded full name, every real place's zone by its folded city)."""
    zones = zoneinfo.available_timezones()
    by_name = {fold(z): z for z in zones}
    by_city: dict[str, str] = {}
    for zone in sorted(zones):
        region, _, city = zone.rpartition("/")
        if region.split("/")[0] in _REGIONS:
            by_city.setdefault(fold(city), zone)
    return by_name, by_city


def timezone(text: str) -> str:
    """The IANA name for ``text`` ("new york" → "America/New_York", "utc" → "UTC").

    Raises ``UnknownTimezone`` with the closest names when nothing matches exactly."""
    key = fold(text.strip().strip(".!?"))
    if not key or len(key) > _LONGEST:
        raise UnknownTimezone(text, ())
    by_name, by_city = _names()
    for found in (by_name.get(key), ALIASES.get(key), by_city.get(key)):
        if found is not None:
            return found
    # "berlin germany", "tokyo, japan": the first words may be the city.
    words = key.replace(",", " ").split()
    for size in range(len(words) - 1, 0, -1):
        head = " ".join(words[:size])
        found = ALIASES.get(head) or by_city.get(head)
        if found is not None:
            return found
    places = {**by_city, **ALIASES}
    close = difflib.get_close_matches(key, list(places), n=3, cutoff=0.75)
    close += difflib.get_close_matches(key, list(by_name), n=2, cutoff=0.8)
    suggestions = tuple(dict.fromkeys(places.get(c) or by_name[c] for c in close))
    raise UnknownTimezone(text, suggestions[:3])
