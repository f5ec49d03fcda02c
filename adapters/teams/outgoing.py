"""Neutral messages as outgoing Teams activities, and Adaptive Card invoke responses."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment, InvokeResponse

from adapters.teams.cards import CARD_CONTENT_TYPE, attachment, card, markdown
from nudges.messages import Message, Text

MESSAGE_RESPONSE_TYPE = "application/vnd.microsoft.activity.message"


def is_plain(message: Message) -> bool:
    """A single paragraph reads better as a chat message than as a card."""
    return len(message.blocks) == 1 and isinstance(message.blocks[0], Text)


def message_activity(message: Message, message_id: str | None = None) -> Activity:
    if is_plain(message) and isinstance(only := message.blocks[0], Text):
        text = markdown(only.text)
        return Activity(type=ActivityTypes.message, id=message_id, text=text, text_format="markdown")
    return card_activity(card(message), message.fallback, message_id)


def card_activity(content: dict[str, Any], summary: str, message_id: str | None = None) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        id=message_id,
        summary=summary,  # shown in notifications and the chat list
        attachments=[Attachment.model_validate(attachment(content))],
    )


def invoke_response(body: dict[str, Any], status: int = 200) -> Activity:
    return Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status, body=body))


def card_response(content: dict[str, Any]) -> Activity:
    """Answer to an ``adaptiveCard/action``: Teams replaces the pressed card with this one."""
    return invoke_response({"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": content})


def note_response(text: str) -> Activity:
    """Answer to an ``adaptiveCard/action`` that leaves the card as it is and shows a short note."""
    return invoke_response({"statusCode": 200, "type": MESSAGE_RESPONSE_TYPE, "value": text})
