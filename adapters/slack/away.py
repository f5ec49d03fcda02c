"""Is a person away in Slack right now? Their status (out of office, holiday, sick, travelling) or
Do Not Disturb, looked up just before a proactive nudge goes out, and cached for a few minutes.

Checked at send time, not when planning: planning covers a whole organisation in seconds from the
database alone, and a status is worth knowing at the moment a message would arrive. A lookup that
fails (a workspace that has not granted the new scopes yet, a Slack hiccup) counts as "not away":
the nudge goes as it always did, and the answer is cached like any other so Slack is not asked again
on every tick.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

CACHE_SECONDS = 15 * 60  # a status changes a few times a day at most
CACHE_LIMIT = 50_000  # people remembered before starting over (bounds memory for a huge workspace)

# Slack's own "Out sick" and "Vacationing" presets, and the emoji people pick for leave and travel.
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":desert_island:",
        ":beach_with_umbrella:",
        ":face_with_thermometer:",
        ":thermometer:",
        ":sneezing_face:",
        ":mask:",
        ":nauseated_face:",
        ":airplane:",
        ":airplane_departure:",
        ":airplane_arriving:",
        ":baby_bottle:",
        ":baby:",
        ":no_entry:",
        ":no_entry_sign:",
        ":christmas_tree:",
        ":snowflake:",
    }
)
# Words, whole-word and case-insensitive, in any language people commonly use at work here.
AWAY_WORDS = re.compile(
    r"\b(out of (the )?office|ooo|pto|on leave|annual leave|parental leave|maternity|paternity|"
    r"vacation(ing)?|holidays?|day off|off today|off sick|out sick|sick( leave)?|unwell|"
    r"travell?ing|on the road|in transit|flying|away|urlaub|krank|abwesend|vacances|congé)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Presence:
    away: bool
    why: str = ""


def status_says_away(profile: dict[str, Any], now: float) -> Presence:
    """A profile's status: away when its emoji or words say so and it has not expired."""
    expires = int(profile.get("status_expiration") or 0)
    if expires and expires <= now:
        return Presence(False)
    emoji = str(profile.get("status_emoji") or "")
    text = str(profile.get("status_text") or "")
    if emoji in AWAY_EMOJI:
        return Presence(True, f"status {emoji}")
    if AWAY_WORDS.search(text):
        return Presence(True, "status says away")
    return Presence(False)


def dnd_says_away(dnd: dict[str, Any], now: float) -> Presence:
    """Do Not Disturb, snoozed or inside the person's scheduled DND hours."""
    if dnd.get("snooze_enabled") and float(dnd.get("snooze_endtime") or 0) > now:
        return Presence(True, "do not disturb")
    start, end = float(dnd.get("next_dnd_start_ts") or 0), float(dnd.get("next_dnd_end_ts") or 0)
    if dnd.get("dnd_enabled") and start <= now < end:
        return Presence(True, "do not disturb (scheduled)")
    return Presence(False)


class AwayLookup:
    """Cached status and DND lookups, per workspace and user."""

    def __init__(
        self, clock: Callable[[], float] = time.time, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.clock, self.monotonic = clock, monotonic
        self.cache: dict[tuple[str, str], tuple[float, Presence]] = {}

    async def presence(self, client: AsyncWebClient, team: str, user: str) -> Presence:
        key = (team, user)
        cached = self.cache.get(key)
        if cached is not None and cached[0] > self.monotonic():
            return cached[1]
        found = await self._look_up(client, user)
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[key] = (self.monotonic() + CACHE_SECONDS, found)
        return found

    async def _look_up(self, client: AsyncWebClient, user: str) -> Presence:
        now = self.clock()
        try:
            profile = (await client.users_profile_get(user=user)).get("profile") or {}
            by_status = status_says_away(profile, now)
            if by_status.away:
                return by_status
            return dnd_says_away((await client.dnd_info(user=user)).data, now)  # type: ignore[arg-type]
        except Exception as error:  # fail open: a missing scope must not stop every nudge
            log.info("could not read Slack status or DND of %s (nudging as usual): %s", user, error)
            return Presence(False)
