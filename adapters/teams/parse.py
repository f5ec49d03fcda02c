"""Bot Framework activities from Teams as the engine's neutral inbound events. Pure.

A card button arrives two ways: as an ``adaptiveCard/action`` invoke (``Action.Execute``) or, from
clients without Universal Actions, as a message whose ``value`` is the ``Action.Submit`` data.
Both carry the same ``{action, value}`` data, or ``{form: settings, <field>: …}`` for the form.
"""

from __future__ import annotations

import html
import re
from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams.cards import ACTION_KEY, VALUE_KEY
from adapters.teams.creators_card import FORMS as CREATOR_FORMS
from adapters.teams.creators_card import form_values as creator_values
from adapters.teams.settings_card import FORM_KEY
from adapters.teams.share_card import FIELDS as SHARE_FIELDS
from adapters.teams.share_card import SHARE_FORM
from nudges.events import Command, Event, Inbound, Joined, PersonRef, Pressed, Said, Submitted
from nudges.settings_form import FIELDS

PLATFORM = "teams"
ACTION_INVOKE = "adaptiveCard/action"
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def address(activity: Activity) -> str:
    """The serialised conversation reference: what proactive messages need to reach this chat again."""
    reference = activity.get_conversation_reference()
    reference.activity_id = None  # a proactive message starts a new thread, it replies to nothing
    return reference.model_dump_json(by_alias=True, exclude_none=True)


def channel_address(activity: Activity) -> str:
    """The reference of the channel itself (not of the thread the mention sat in), for digests."""
    reference = activity.get_conversation_reference()
    reference.activity_id = None
    if reference.conversation and reference.conversation.id:
        reference.conversation.id = channel_id(activity)
    return reference.model_dump_json(by_alias=True, exclude_none=True)


def channel_reference(conversation_id: str, known: str) -> tuple[str, str]:
    """(tenant, reference) of a team channel an admin names by id at the command line, made from a
    conversation reference we already hold in the same tenant (its serviceUrl, bot and tenant), since
    Teams can only be written to through one. ValueError when ``known`` is not a reference."""
    from microsoft_agents.activity import ConversationReference

    reference = ConversationReference.model_validate_json(known)
    if not reference.service_url or reference.conversation is None:
        raise ValueError("the stored Teams reference lacks a serviceUrl or conversation")
    tenant = reference.conversation.tenant_id or ""
    conversation = reference.conversation.model_copy(
        update={"id": conversation_id, "is_group": True, "conversation_type": "channel", "name": None}
    )
    made = reference.model_copy(update={"conversation": conversation, "user": None, "activity_id": None})
    return tenant, made.model_dump_json(by_alias=True, exclude_none=True)


def channel_id(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    conversation = activity.conversation.id if activity.conversation else ""
    # A channel post's conversation id ends in ";messageid=…" (the thread); the channel has none.
    return str(
        data.get("teamsChannelId") or (data.get("channel") or {}).get("id") or conversation.split(";")[0]
    )


def is_shared(activity: Activity) -> bool:
    """A team channel or group chat, as opposed to the person's own chat with the bot.

    Decided from every signal, because none is always there: ``conversationType`` is missing from
    some channel activities (Microsoft's own ``message_card_action_value`` example), so a channel is
    also known by ``isGroup``, by ``channelData.team`` / ``channel`` / ``teamsChannelId``, or by its
    conversation id (a thread ``19:…@thread…``, a post ``…;messageid=…``; a personal chat's is
    ``a:…`` or ``…@unq.gbl.spaces``). Only when everything says personal is it personal: a private
    nudge sent into a channel is worse than a reply not shown."""
    conversation = activity.conversation
    kind = conversation.conversation_type if conversation else None
    if kind is not None:
        return kind != "personal"
    if conversation is not None and conversation.is_group:
        return True
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    if data.get("team") or data.get("channel") or data.get("teamsChannelId") or data.get("teamsTeamId"):
        return True
    conversation_id = (conversation.id if conversation else "") or ""
    return "@thread" in conversation_id or ";messageid=" in conversation_id


def plain_text(text: str | None) -> str:
    """Message text without ``<at>…</at>`` mentions or HTML, whitespace collapsed."""
    text = _TAG.sub(" ", _MENTION.sub(" ", text or ""))
    return " ".join(html.unescape(text).split())


def person(activity: Activity) -> PersonRef:
    sender = activity.from_property
    tenant = activity.conversation.tenant_id if activity.conversation else None
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = tenant or (data.get("tenant") or {}).get("id") or ""
    return PersonRef(
        platform=PLATFORM,
        # The Entra object id is the same for every bot and survives reinstalls; the channel id is not.
        user_id=(sender.aad_object_id or sender.id) if sender else "",
        tenant=tenant,
        name=(sender.name or "") if sender else "",
        timezone=activity.local_timezone or None,
    )


def card_event(data: Any) -> Event | None:
    """A button's or form's data (from an invoke or a submit) as Pressed / Submitted."""
    if not isinstance(data, dict):
        return None
    if data.get(FORM_KEY) == SHARE_FORM:
        shared: dict[str, str | list[str]] = {
            k: [str(x) for x in v] if isinstance(v, list) else str(v)
            for k, v in data.items()
            if k in SHARE_FIELDS
        }
        return Submitted(form=SHARE_FORM, values=shared)
    if (
        isinstance(data.get(FORM_KEY), str) and data[FORM_KEY] in CREATOR_FORMS
    ):  # the creators' forms (adapters/teams/creators_card.py)
        return Submitted(form=str(data[FORM_KEY]), values=creator_values(data))
    if data.get(FORM_KEY) == "settings":
        values: dict[str, str | list[str]] = {
            k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in data.items() if k in FIELDS
        }
        return Submitted(form="settings", values=values)
    if isinstance(data.get(ACTION_KEY), str):
        return Pressed(action=data[ACTION_KEY], value=str(data.get(VALUE_KEY) or ""))
    return None


def event(activity: Activity) -> Event | None:
    match activity.type:
        case "message":
            if activity.value is not None and not activity.text:
                return card_event(activity.value)
            text = plain_text(activity.text)
            if is_shared(activity):
                word, _, rest = text.partition(" ")
                return Command(name=word.lower(), text=rest.strip())
            return Said(text) if text else None
        case "invoke" if activity.name == ACTION_INVOKE and isinstance(activity.value, dict):
            action = activity.value.get("action") or {}
            return card_event(action.get("data")) if isinstance(action, dict) else None
        case "conversationUpdate":
            bot_id = activity.recipient.id if activity.recipient else None
            added = activity.members_added or []
            return Joined() if any(m.id == bot_id for m in added) else None
        case "installationUpdate" if (activity.action or "").startswith("add"):
            return Joined()
    return None


def is_uninstall(activity: Activity) -> bool:
    """The person removed the app from their own chat. ("remove-upgrade" is part of an upgrade, and
    a team's uninstall says nothing about anyone's personal chat.)"""
    return activity.type == "installationUpdate" and activity.action == "remove" and not is_shared(activity)


def inbound(activity: Activity) -> Inbound | None:
    """The neutral event with who sent it and how to reach them; None for what we do not handle."""
    found = event(activity)
    if found is None:
        return None
    shared = is_shared(activity)
    return Inbound(
        who=person(activity),
        event=found,
        # A channel's reference must never become the person's address: nudges are private.
        address="" if shared else address(activity),
        message_ref=activity.reply_to_id or None,
        channel=channel_id(activity) if shared else None,
    )
