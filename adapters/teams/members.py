"""Who a Teams user is in the organisation: their email, asked from Teams the first time we meet them.

Activities carry no email. Without one, a person who is already in the roster (by email) would get
a second, empty journey; so the first activity of an unknown Teams identity asks the connector for
the member's profile, and the email links them to their roster entry.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.store.store import Store
from nudges.events import PersonRef

log = logging.getLogger("journeybot.teams")


async def with_email(context: TurnContext, store: Store, who: PersonRef) -> PersonRef:
    if who.email or await store.find_person_id(who) is not None:
        return who
    # The SDK keys services by abstract class, which mypy refuses for type[T] (python/mypy#4717).
    client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
    sender, scope = context.activity.from_property, _roster(context.activity)
    if client is None or sender is None or not scope:
        return who
    try:
        member = await client.conversations.get_conversation_member(scope, sender.id)
    except Exception:  # without an email the person simply starts fresh
        log.info("could not look up the Teams member's email", exc_info=True)
        return who
    extra = member.model_extra or {}
    email = extra.get("email") or extra.get("userPrincipalName")
    return replace(who, email=str(email)) if email and "@" in str(email) else who


def _roster(activity: Activity) -> str | None:
    """Whose members to ask: inside a team the team's (as botbuilder's ``TeamsInfo.get_member``
    does); a channel post's conversation id names its thread (``19:…;messageid=…``), which Teams
    does not accept there. Elsewhere (personal or group chat) the conversation's own."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    return activity.conversation.id if activity.conversation else None
