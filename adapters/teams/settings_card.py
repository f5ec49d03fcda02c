"""The settings form as an Adaptive Card: one input per ``nudges.settings_form.FIELDS`` name.

Submitting it sends the inputs back merged into the action's data (``form: settings``), which the
parser turns into ``Submitted(form="settings", values=…)``, exactly what the chat ``set`` commands
and the Slack modal produce, so ``apply_settings`` validates all three the same way.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from adapters.teams.cards import form_card, text_block
from nudges.library import NETWORK_LABELS
from nudges.person import Person
from nudges.settings_form import (
    CELEBRATE_CHOICES,
    CELEBRATE_LABEL,
    FIELDS,
    MAX_WEEKLY_CAP,
    celebrate_value,
    pause_choices,
    pause_value,
)

FORM_KEY = "form"
SETTINGS_FORM = "settings"
SAVE_VERB = "settings.save"


def _hhmm(value: time | None) -> str:
    return f"{value:%H:%M}" if value else ""


def _text(field: str, label: str, value: str, placeholder: str) -> dict[str, Any]:
    return {"type": "Input.Text", "id": field, "label": label, "value": value, "placeholder": placeholder}


def settings_card(person: Person) -> dict[str, Any]:
    s = person.schedule
    networks = {
        "type": "Input.ChoiceSet",
        "id": "networks",
        "label": "Networks (pick the ones you use; fewer is fine)",
        "isMultiSelect": True,
        "style": "expanded",
        "value": ",".join(person.networks),
        "choices": [{"title": label, "value": key} for key, label in NETWORK_LABELS.items()],
    }
    cap = {
        "type": "Input.ChoiceSet",
        "id": "weekly_cap",
        "label": "Nudges per week, at most",
        "value": str(person.weekly_cap),
        "choices": [{"title": str(n), "value": str(n)} for n in range(1, MAX_WEEKLY_CAP + 1)],
    }
    inputs = [
        networks,
        _text("topics", "Topics you care about", ", ".join(person.topics), "cloud, hiring, design"),
        _text("timezone", "Time zone", s.timezone, "Europe/Berlin"),
        _text("work_start", "Working hours start", _hhmm(s.work_start), "09:30"),
        _text("work_end", "Working hours end", _hhmm(s.work_end), "16:30"),
        _text("quiet_start", "Quiet hours start (empty: none)", _hhmm(s.quiet_start), "20:00"),
        _text("quiet_end", "Quiet hours end (empty: none)", _hhmm(s.quiet_end), "08:00"),
        cap,
        {
            "type": "Input.ChoiceSet",
            "id": "pause",
            "label": "Pause (no nudges until then)",
            "value": pause_value(person),
            "choices": [{"title": label, "value": value} for label, value in pause_choices(person)],
        },
        {
            "type": "Input.ChoiceSet",
            "id": "celebrate",
            "label": CELEBRATE_LABEL,
            "style": "expanded",
            "value": celebrate_value(person),
            "choices": [{"title": label, "value": value} for label, value in CELEBRATE_CHOICES],
        },
    ]
    assert tuple(i["id"] for i in inputs) == FIELDS, "one input per settings field, in order"
    return form_card(
        [text_block("Your settings", weight="Bolder", size="Large"), *inputs],
        verb=SAVE_VERB,
        data={FORM_KEY: SETTINGS_FORM},
        title="Save",
        fallback="Your settings: type settings to see them, set … to change them.",
    )
