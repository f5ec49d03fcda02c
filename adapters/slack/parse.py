"""Slack payloads as the engine's neutral events. Pure: dicts in, ``Inbound`` (or ``None``) out.

Every function tolerates missing or oddly typed fields and answers ``None`` rather than raising:
Slack adds fields and event shapes over time, and a surprise must never become a 500.
"""

from __future__ import annotations

import re
from typing import Any

from adapters.slack.mrkdwn import unescape
from nudges.events import Inbound, PersonRef, Pressed, Said

PLATFORM = "slack"
# Slackbot is a user of every workspace and writes into DMs (reminders), but is nobody to guide.
SLACKBOT = "USLACKBOT"
_INDEX_SUFFIX = re.compile(r"#\d+$")
# Message subtypes a person produces by typing; everything else (bot_message, message_changed,
# message_deleted, channel_join …) is the platform or a bot talking, not the person.
PERSON_SUBTYPES = {None, "file_share", "thread_broadcast"}
Json = dict[str, Any]


def _dict(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def address(team_id: str, channel_id: str, multi_workspace: bool) -> str:
    """A DM channel id; with several workspaces prefixed by the team, so a nudge finds its token."""
    return f"{team_id}:{channel_id}" if multi_workspace and team_id else channel_id


def split_address(value: str) -> tuple[str, str]:
    """(team id or "", channel or user id) of an ``address``."""
    team, _, channel = value.rpartition(":")
    return team, channel


def is_dm(channel_id: str) -> bool:
    """A direct message, the bot's own *or one between two people*: both have ``D…`` ids. Only a
    ``message.im`` event, ``app_home_opened`` or ``conversations.open`` tell us the bot's own DM, so
    only those become an address; a slash command or a button may come from anyone's DM."""
    return channel_id.startswith("D")


def person(user_id: str, team_id: str = "") -> PersonRef:
    return PersonRef(PLATFORM, user_id, tenant=team_id)


def team_of(body: Json) -> str:
    """The workspace of any payload: events, interactions or slash commands."""
    return (
        _str(body.get("team_id"))
        or _str(_dict(body.get("team")).get("id"))
        or _str(_dict(body.get("user")).get("team_id"))
        or _str(_dict(body.get("event")).get("team"))
    )


def dm_message(body: Json, multi_workspace: bool = False) -> Inbound | None:
    """A person's own message in their DM with the bot, or None for anything else."""
    event = _dict(body.get("event"))
    if event.get("type") != "message" or event.get("channel_type") != "im":
        return None
    if event.get("bot_id") or event.get("subtype") not in PERSON_SUBTYPES:
        return None
    user, channel, text = _str(event.get("user")), _str(event.get("channel")), _str(event.get("text"))
    if not user or not channel or not text.strip() or user == SLACKBOT:  # Slackbot's reminders: nobody
        return None
    team = team_of(body)
    return Inbound(person(user, team), Said(unescape(text)), address=address(team, channel, multi_workspace))


def pressed(body: Json) -> Inbound | None:
    """The first action of a ``block_actions`` payload as a neutral button press."""
    actions = body.get("actions")
    action = _dict(actions[0]) if isinstance(actions, list) and actions else {}
    user = _str(_dict(body.get("user")).get("id"))
    action_id = _INDEX_SUFFIX.sub("", _str(action.get("action_id")))
    if not user or not action_id:
        return None
    team = team_of(body)
    container = _dict(body.get("container"))
    channel = _str(_dict(body.get("channel")).get("id")) or _str(container.get("channel_id"))
    if container.get("is_ephemeral") is True or container.get("type") == "ephemeral":
        channel = ""  # an ephemeral cannot be updated, and its channel may be anyone's: answer in ours
    message_ref = _str(container.get("message_ts")) or _str(_dict(body.get("message")).get("ts")) or None
    # No address from a press: the button may sit on an ephemeral in a DM between two people (see is_dm).
    return Inbound(
        person(user, team),
        Pressed(action_id, _str(action.get("value"))),
        message_ref=message_ref if channel else None,
        channel=channel or None,
    )


def form_values(view: Json) -> dict[str, str | list[str]]:
    """``view.state.values`` flattened to ``{action_id: value}``: text, selects, checkboxes, time, date."""
    values: dict[str, str | list[str]] = {}
    for block in _dict(_dict(view.get("state")).get("values")).values():
        for action_id, element in _dict(block).items():
            element = _dict(element)
            kind = element.get("type")
            if kind in ("multi_static_select", "checkboxes"):
                options = element.get("selected_options") or []
                values[action_id] = [_str(_dict(o).get("value")) for o in options if isinstance(o, dict)]
            elif kind in ("static_select", "radio_buttons"):
                values[action_id] = _str(_dict(element.get("selected_option")).get("value"))
            elif kind == "timepicker":
                values[action_id] = _str(element.get("selected_time"))
            elif kind == "datepicker":
                values[action_id] = _str(element.get("selected_date"))
            else:
                values[action_id] = _str(element.get("value"))
    return values


def subcommand(text: str) -> tuple[str, str]:
    """``/journey pause 3`` → ("pause", "pause 3"): the first word, and the whole text as said."""
    said = unescape(text).strip()
    return said.split(" ", 1)[0].lower() if said else "help", said or "help"
