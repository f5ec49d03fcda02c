"""Neutral messages as Block Kit, always within Slack's limits.

Slack rejects a whole message when one limit is exceeded (``invalid_blocks``), so the renderer cuts
long content itself: a shortened text with "…" reaches the person, a rejected message does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.mrkdwn import cut, escape, mrkdwn_within, plain_within
from nudges.messages import Button, Buttons, Divider, Fields, Header, Image, Message, Quote, Text, plain

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100  # App Home and modals
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_URL = 3000
MAX_ALT = 2000
MAX_FALLBACK = 3000  # chat.postMessage allows 40,000; notifications show far less
SHORTENED = "_(shortened; type *journey* for the whole picture)_"
Json = dict[str, Any]


def _section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn_within(text, MAX_SECTION_TEXT)}}


def _fields(pairs: tuple[tuple[str, str], ...]) -> list[Json]:
    fields = [
        {
            "type": "mrkdwn",
            "text": f"*{escape(cut(label, 100))}*\n" + mrkdwn_within(value, MAX_FIELD_TEXT - 110),
        }
        for label, value in pairs
    ]
    return [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)
    ]


def action_id(action: str, index: int) -> str:
    """Slack wants action ids unique within a block: onboarding choices share one, so add ``#n``."""
    return cut(f"{action}#{index}", MAX_ACTION_ID)


def button(item: Button, index: int) -> Json:
    element: Json = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain_within(item.label, MAX_BUTTON_TEXT), "emoji": True},
        "action_id": action_id(item.action, index),
    }
    if item.value:
        element["value"] = item.value[:MAX_BUTTON_VALUE]
    if item.primary:
        element["style"] = "primary"
    return element


def _actions(buttons: tuple[Button, ...]) -> list[Json]:
    rows = [buttons[i : i + MAX_ACTIONS_ELEMENTS] for i in range(0, len(buttons), MAX_ACTIONS_ELEMENTS)]
    start = [i * MAX_ACTIONS_ELEMENTS for i in range(len(rows))]
    return [
        {"type": "actions", "elements": [button(b, first + i) for i, b in enumerate(row)]}
        for row, first in zip(rows, start, strict=True)
        if row
    ]


def _quote(text: str, caption: str) -> Json:
    """Preformatted rich text: shown verbatim and easy to select and copy, nothing to unescape."""
    elements: list[Json] = []
    if caption:
        caption_text = {"type": "text", "text": cut(caption, 150) + "\n", "style": {"bold": True}}
        elements.append({"type": "rich_text_section", "elements": [caption_text]})
    body = {"type": "text", "text": cut(text, MAX_SECTION_TEXT) or " "}
    elements.append({"type": "rich_text_preformatted", "elements": [body]})
    return {"type": "rich_text", "elements": elements}


def render_block(block: object) -> list[Json]:
    match block:
        case Header(text=text) if plain(text).strip():
            return [
                {"type": "header", "text": {"type": "plain_text", "text": plain_within(text, MAX_HEADER)}}
            ]
        case Text(text=text):
            return [_section(text)] if text.strip() else []
        case Fields(pairs=pairs):
            return _fields(pairs) if pairs else []
        case Buttons(buttons=buttons):
            return _actions(buttons)
        case Divider():
            return [{"type": "divider"}]
        case Image(url=url, alt=alt) if len(url) <= MAX_URL:
            return [{"type": "image", "image_url": url, "alt_text": cut(alt, MAX_ALT) or "image"}]
        case Quote(text=text, caption=caption):
            return [_quote(text, caption)]
    return []


def within(blocks: list[Json], limit: int) -> list[Json]:
    """At most ``limit`` blocks: buttons are kept (they are how a person answers), content is cut."""
    if len(blocks) <= limit:
        return blocks
    actions = sum(1 for b in blocks if b["type"] == "actions")
    room = max(limit - min(actions, limit) - 1, 0)  # one block for the "shortened" note
    kept: list[Json] = []
    for block in blocks:
        if block["type"] == "actions":
            if sum(1 for b in kept if b["type"] == "actions") < limit - 1:
                kept.append(block)
        elif room > 0:
            kept.append(block)
            room -= 1
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": SHORTENED}]}
    return [*kept, note][:limit]


def render_blocks(message: Message, limit: int = MAX_MESSAGE_BLOCKS) -> list[Json]:
    return within([rendered for block in message.blocks for rendered in render_block(block)], limit)


def fallback_text(message: Message) -> str:
    """The notification text: plain, escaped, never empty."""
    # The notification and screen-reader text: no markup (a "**" would show as typed there).
    return escape(cut(plain(message.fallback).strip() or "journeybot", MAX_FALLBACK))


def render(message: Message) -> Json:
    """Keyword arguments for ``chat.postMessage`` / ``chat.update``."""
    return {"blocks": render_blocks(message), "text": fallback_text(message)}


def home_view(messages: Sequence[Message]) -> Json:
    """The App Home view: the messages one after another with a divider between, within Home's
    100 blocks (cut as ``within`` cuts, so every button stays)."""
    blocks: list[Json] = []
    for message in messages:
        blocks += [{"type": "divider"}] if blocks else []
        blocks += render_blocks(message, MAX_VIEW_BLOCKS)
    return {"type": "home", "callback_id": "home", "blocks": within(blocks, MAX_VIEW_BLOCKS)}
