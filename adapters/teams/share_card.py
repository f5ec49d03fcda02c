"""Marketing's suggested-share form as an Adaptive Card: the Slack modal's fields, one input each.

Submitting it sends ``{form: share, <field>: …}``, which the parser turns into
``Submitted(form="share", values=…)``; ``bot.content`` validates it exactly as the Slack modal and
the YAML import are validated. A refused form comes back with what the person typed and, above
it, what to correct; an id that exists already is said so, never replaced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters.teams.cards import escape, form_card, text_block
from nudges.library import NETWORK_LABELS
from nudges.zones import Zone

FORM_KEY = "form"
SHARE_FORM = "share"
SAVE_VERB = "share.create"
FIELDS = (
    "title", "url", "summary", "topics", "zones", "teams", "follow", "expires_at", "not_company", "id",
    *(f"text_{network}" for network in NETWORK_LABELS),
)  # fmt: skip


def _text(
    field: str, label: str, value: str, placeholder: str = "", multiline: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Text", "id": field, "label": label, "value": value}
    if placeholder:
        element["placeholder"] = placeholder
    if multiline:
        element["isMultiline"] = True
    return element


def share_card(
    values: Mapping[str, str | list[str]] | None = None, problems: Sequence[str] = (), disclosure: str = ""
) -> dict[str, Any]:
    def value(field: str) -> str:
        got = (values or {}).get(field, "")
        return ",".join(got) if isinstance(got, list) else got

    body: list[dict[str, Any]] = [text_block("Suggest a share", weight="Bolder", size="Large")]
    if problems:
        lines = "\n".join(f"- {escape(p)}" for p in problems)
        body.append(text_block(f"Almost there. Please correct:\n{lines}", color="Attention"))
    hint = "Write each text as it will be posted; each person's own tracked link replaces the item's URL."
    if disclosure:
        hint += f" Every text must include {disclosure}."
    body += [
        _text("title", "Title", value("title")),
        _text("url", "Link", value("url"), "https://"),
        _text("summary", "Summary (one or two lines shown with it)", value("summary"), multiline=True),
        _text("topics", "Topics (comma separated; empty: everyone whose zone fits)", value("topics")),
        {
            "type": "Input.ChoiceSet",
            "id": "zones",
            "label": "Zones (none: every zone)",
            "isMultiSelect": True,
            "style": "expanded",
            "value": value("zones"),
            "choices": [{"title": zone.label, "value": zone.name.lower()} for zone in Zone],
        },
        _text("teams", "Teams (comma separated; empty: every team)", value("teams")),
        _text("follow", "People and hashtags to follow (comma separated)", value("follow"), "@acme, #cloud"),
        {"type": "Input.Date", "id": "expires_at", "label": "Ends on", "value": value("expires_at")},
        {
            "type": "Input.Toggle",
            "id": "not_company",
            "title": "Not the company's own (a colleague's or partner's piece)",
            "value": value("not_company") or "false",
            "valueOn": "not_company",
            "valueOff": "false",
        },
        _text("id", "Id (optional: made from the title)", value("id")),
        text_block(escape(hint), isSubtle=True),
    ]
    body += [
        _text(f"text_{network}", f"Ready text for {label}", value(f"text_{network}"), multiline=True)
        for network, label in NETWORK_LABELS.items()
    ]
    assert [element["id"] for element in body if "id" in element] == list(FIELDS), "one input per field"
    return form_card(
        body,
        verb=SAVE_VERB,
        data={FORM_KEY: SHARE_FORM},
        title="Suggest",
        fallback="Suggest a share: open this card in Teams to fill it in.",
    )
