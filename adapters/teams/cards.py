"""Neutral messages as Adaptive Cards (schema 1.5, what Teams renders). Pure.

Buttons become ``Action.Execute`` (Universal Actions: Teams sends an ``adaptiveCard/action`` invoke
and shows the card we answer with, so a pressed nudge is replaced at once and cannot be pressed
twice). Clients without Universal Actions take the action's ``fallback``, an ``Action.Submit``
whose ``data`` carries the same action id and value; it arrives as a message with ``value``.
"""

from __future__ import annotations

import re
from typing import Any, assert_never

from nudges.messages import Button, Buttons, Divider, Fields, Header, Image, Message, Quote, Text

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
ACTION_KEY = "action"  # in a button's data: the neutral action id
VALUE_KEY = "value"  # in a button's data: the neutral value

# Our tiny markup, in the order the tokenizer tries it; everything between matches is literal.
_MARKUP = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|(?<!\w)_(?P<italic>.+?)_(?!\w)|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
# Characters Adaptive Card markdown would read as markup if they appeared in literal text.
_SPECIAL = re.compile(r"([\\*_\[\]`])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def markdown(text: str) -> str:
    """The neutral markup as Adaptive Card markdown: **bold**, _italic_, [label](url), ``- `` bullets."""
    lines = []
    for line in text.split("\n"):
        bullet = line.startswith("- ")
        lines.append("- " + _inline(line[2:]) if bullet else _inline(line))
    return "\n".join(lines)


def _inline(text: str) -> str:
    out, last = [], 0
    for match in _MARKUP.finditer(text):
        out.append(_literal(text[last : match.start()]))
        if match["bold"] is not None:
            out.append(f"**{_literal(match['bold'])}**")
        elif match["italic"] is not None:
            out.append(f"_{_literal(match['italic'])}_")
        else:
            out.append(f"[{_literal(match['label'])}]({match['url']})")
        last = match.end()
    out.append(_literal(text[last:]))
    return "".join(out)


def _literal(text: str) -> str:
    # A line that starts like "1. " would turn into a numbered list; escape the dot.
    return re.sub(r"^(\d+)\. ", r"\1\\. ", escape(text))


def text_block(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def button(b: Button) -> dict[str, Any]:
    data = {ACTION_KEY: b.action, VALUE_KEY: b.value}
    action: dict[str, Any] = {
        "type": "Action.Execute",
        "title": b.label,
        "verb": b.action,
        "data": data,
        "fallback": {"type": "Action.Submit", "title": b.label, "data": data},
    }
    if b.primary:
        action["style"] = "positive"
    return action


def _body(block: Header | Text | Fields | Image | Quote) -> list[dict[str, Any]]:
    match block:
        case Header(text=text):
            return [text_block(escape(text), weight="Bolder", size="Large")]
        case Text(text=text):
            return [text_block(markdown(text))]
        case Fields(pairs=pairs):
            facts = [{"title": escape(label), "value": markdown(value)} for label, value in pairs]
            return [{"type": "FactSet", "facts": facts}] if facts else []
        case Quote(text=text, caption=caption):
            items = [text_block(escape(caption), weight="Bolder", size="Small")] if caption else []
            items.append(text_block(escape(text)))
            return [{"type": "Container", "style": "emphasis", "items": items}]
        case Image(url=url, alt=alt):
            return [{"type": "Image", "url": url, "altText": alt}]
    assert_never(block)  # a new kind of block is rendered above: mypy points here until it is


def card(message: Message) -> dict[str, Any]:
    """The whole message as one Adaptive Card; every button row joins the card's actions."""
    body: list[dict[str, Any]] = []
    separate = False
    for block in message.blocks:
        if isinstance(block, Buttons):
            continue
        if isinstance(block, Divider):
            separate = bool(body)  # a divider is a line above whatever comes next
            continue
        elements = _body(block)
        if separate and elements:
            elements[0] = {**elements[0], "separator": True, "spacing": "Medium"}
            separate = False
        body += elements
    if not body:
        body = [text_block(escape(message.fallback))]
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "body": body,
    }
    if message.buttons:
        content["actions"] = [button(b) for b in message.buttons]
    # Teams shows this in notifications and for clients that cannot render the card.
    content["fallbackText"] = message.fallback
    return content


def form_card(
    body: list[dict[str, Any]], *, verb: str, data: dict[str, str], title: str, fallback: str
) -> dict[str, Any]:
    """A card of inputs with one positive submit action (``Action.Execute``, ``Action.Submit`` for
    clients without Universal Actions): the settings and share forms, and any form after them."""
    submit = {
        "type": "Action.Execute",
        "title": title,
        "verb": verb,
        "data": data,
        "style": "positive",
        "fallback": {"type": "Action.Submit", "title": title, "data": data},
    }
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "body": body,
        "actions": [submit],
        "fallbackText": fallback,
    }


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": content}
