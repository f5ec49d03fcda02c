"""Who a Teams user is in the organisation: their email, asked from Teams the first time we meet them.

Activities carry no email. Without one, a person who is already in the roster (by email) would get
a second, empty journey; so the first activity of an unknown Teams identity asks the connector for
the member's profile, and the email links them to their roster entry.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.db.store import Store
from nudges.events import PersonRef

log = logging.getLogger("journeybot.teams")


async def with_email(context: TurnContext, store: Store, who: PersonRef) -> PersonRef:
    if who.email or await store.find_person_id(who) is not None:
        return who
    client = context.services.get(ConnectorClientBase)
    sender, conversation = context.activity.from_property, context.activity.conversation
    if client is None or sender is None or conversation is None:
        return who
    try:
        member = await client.conversations.get_conversation_member(conversation.id, sender.id)
    except Exception:  # without an email the person simply starts fresh
        log.info("could not look up the Teams member's email", exc_info=True)
        return who
    extra = member.model_extra or {}
    email = extra.get("email") or extra.get("userPrincipalName")
    return replace(who, email=str(email)) if email and "@" in str(email) else who
