"""What Slack says about a user (``users.info``): name, email, time zone, and whether it is a person.

Answers are kept for an hour per process: a person known with a gap the workspace cannot fill (no
``users:read.email`` scope, a time zone of UTC) would otherwise cost a ``users.info`` call per turn.
A failed call is not kept, so the next turn asks again.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.allowed import AllowedTeams, user_enterprise
from adapters.slack.parse import PLATFORM, SLACKBOT
from nudges.events import PersonRef

KEPT_SECONDS = 3600.0
MAX_KEPT = 10_000
Json = dict[str, Any]


class Profiles:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._kept: OrderedDict[str, tuple[float, Json]] = OrderedDict()

    async def get(self, client: AsyncWebClient, user_id: str) -> Json | None:
        """The ``user`` object of ``users.info``, or None when Slack could not say (429, 5xx, offline)."""
        now = self.clock()
        kept = self._kept.get(user_id)
        if kept is not None and kept[0] > now:
            return kept[1]
        try:
            user = (await client.users_info(user=user_id))["user"]
        except (SlackApiError, aiohttp.ClientError, TimeoutError, KeyError, TypeError):
            return None
        if not isinstance(user, dict):
            return None
        self._kept[user_id] = (now + KEPT_SECONDS, user)
        self._kept.move_to_end(user_id)
        while len(self._kept) > MAX_KEPT:
            self._kept.popitem(last=False)
        return user


def is_person(user_id: str, user: Json | None) -> bool:
    """False for Slackbot, other apps' bot users and deactivated accounts. Someone Slack could not tell
    us about counts as a person: a missed introduction is worse than one sent to a bot."""
    if user_id == SLACKBOT:
        return False
    return user is None or not (user.get("is_bot") or user.get("deleted"))


def person_ref(user: Json, user_id: str, team_id: str, allowed: AllowedTeams) -> PersonRef:
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    # The email is there only with the users:read.email scope; without it the Slack id is the key.
    # It links a Slack user to a roster person (their journey, their roles), so it must be proof: an
    # address Slack has confirmed, in one of our own workspaces. Otherwise the Slack id is the key.
    email = profile.get("email") or None
    home = str(user.get("team_id") or team_id)
    if user.get("is_email_confirmed") is not True or not allowed.allows(home, user_enterprise(user)):
        email = None
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name") or ""
    tz = user.get("tz") if isinstance(user.get("tz"), str) else None
    return PersonRef(PLATFORM, user_id, tenant=team_id, email=email, name=name, timezone=tz)
