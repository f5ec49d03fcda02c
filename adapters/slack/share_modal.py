"""Marketing's suggested-share modal: a title, a link, topics, and ready text per network.

The text of each network must fit that network (``nudges.library.fits``): a cut-off post is a
classic failure, so an overlong text is sent back as an error under its own input.
"""

from __future__ import annotations

import re
from typing import Any

from nudges import words
from nudges.library import NETWORK_LABELS, NETWORK_LIMITS, ContentItem, fits, post_length

CALLBACK_ID = "share"
Json = dict[str, Any]


def _input(block_id: str, label: str, element: Json, optional: bool = False) -> Json:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }


def share_view() -> Json:
    blocks = [
        _input("title", "Title", {"type": "plain_text_input", "max_length": 150}),
        _input("url", "Link", {"type": "url_text_input"}),
        _input("topics", "Topics (comma separated)", {"type": "plain_text_input"}, optional=True),
    ]
    for network, label in NETWORK_LABELS.items():
        # A little room above the limit, so a too-long text gets our explanation, not a silent stop.
        element = {
            "type": "plain_text_input",
            "multiline": True,
            "max_length": min(NETWORK_LIMITS[network] + 200, 3000),
        }
        blocks.append(_input(f"text_{network}", f"Ready text for {label}", element, optional=True))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Suggest a share"},
        "submit": {"type": "plain_text", "text": "Suggest"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "item"


def _text(values: dict[str, str | list[str]], key: str) -> str:
    value = values.get(key, "")
    return (", ".join(value) if isinstance(value, list) else value).strip()


def content_item(values: dict[str, str | list[str]]) -> tuple[ContentItem | None, dict[str, str]]:
    """The item the form describes, or ``(None, errors by block_id)``."""
    errors: dict[str, str] = {}
    title, url = _text(values, "title"), _text(values, "url")
    if not title:
        errors["title"] = "A short title, please."
    if not url.startswith(("https://", "http://")):
        errors["url"] = "A link starting with https://"
    texts = {n: _text(values, f"text_{n}") for n in NETWORK_LABELS if _text(values, f"text_{n}")}
    for network, text in texts.items():
        if not fits(network, text):
            over = post_length(network, text) - NETWORK_LIMITS[network]
            errors[f"text_{network}"] = f"{over} characters too long for {NETWORK_LABELS[network]}."
    if not texts and "title" not in errors:
        errors["text_linkedin"] = "Ready text for at least one network, please."
    if errors:
        return None, errors
    topics = words.topics(_text(values, "topics"))  # as the content file and people's own are read
    return ContentItem(id=slug(title), title=title, url=url, topics=topics, texts=texts), {}
