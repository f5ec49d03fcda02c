"""Marketing's suggested-share modal: the same fields as the Teams card and the YAML import.

What the form describes is validated by ``bot.content.validate`` exactly as an import is (texts
counted the way each network counts them, only-a-link refused, the required disclosure); each
problem is sent back under its own input. An id that exists already is said so, never replaced.
"""

from __future__ import annotations

from typing import Any

from nudges.library import NETWORK_LABELS, NETWORK_LIMITS
from nudges.zones import Zone

CALLBACK_ID = "share"
Json = dict[str, Any]


def _input(block_id: str, label: str, element: Json, optional: bool = False, hint: str = "") -> Json:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _option(text: str, value: str) -> Json:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def share_view(disclosure: str = "") -> Json:
    text_hint = "Write it as it will be posted; the person's own tracked link replaces the item's URL."
    if disclosure:
        text_hint += f" Every text must include {disclosure}."
    blocks = [
        _input("title", "Title", {"type": "plain_text_input", "max_length": 150}),
        _input("url", "Link", {"type": "url_text_input"}),
        _input(
            "summary",
            "Summary (one or two lines shown with the suggestion)",
            {"type": "plain_text_input", "multiline": True, "max_length": 300},
            optional=True,
        ),
        _input(
            "topics",
            "Topics (comma separated)",
            {"type": "plain_text_input"},
            optional=True,
            hint="Empty: offered to everyone whose zone fits.",
        ),
        _input(
            "zones",
            "Zones",
            {
                "type": "checkboxes",
                "options": [_option(zone.label, zone.name.lower()) for zone in Zone],
            },
            optional=True,
            hint="None ticked: every zone. Content Consumers get it as something to follow.",
        ),
        _input(
            "teams",
            "Teams (comma separated)",
            {"type": "plain_text_input"},
            optional=True,
            hint="Empty: every team.",
        ),
        _input(
            "follow",
            "People and hashtags to follow (comma separated)",
            {"type": "plain_text_input"},
            optional=True,
        ),
        _input("expires_at", "Ends on", {"type": "datepicker"}, optional=True),
        _input(
            "not_company",
            "Whose content",
            {
                "type": "checkboxes",
                "options": [
                    _option("Not the company's own (a colleague's or partner's piece)", "not_company")
                ],
            },
            optional=True,
        ),
        _input(
            "id",
            "Id (optional)",
            {"type": "plain_text_input", "max_length": 80},
            optional=True,
            hint="Made from the title when empty.",
        ),
    ]
    for network, label in NETWORK_LABELS.items():
        # Room above the limit, so a too-long text gets our explanation, not a silent stop.
        element = {
            "type": "plain_text_input",
            "multiline": True,
            "max_length": min(NETWORK_LIMITS[network] + 200, 3000),
        }
        blocks.append(
            _input(
                f"text_{network}",
                f"Ready text for {label}",
                element,
                optional=True,
                hint=text_hint if network == "linkedin" else "",
            )
        )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Suggest a share"},
        "submit": {"type": "plain_text", "text": "Suggest"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }
