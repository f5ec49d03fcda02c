"""The settings modal: a person's settings as Slack inputs, and per-field errors on submission.

Each input's ``block_id`` and ``action_id`` is the neutral field name of ``nudges.settings_form``,
so a submission flattens straight into ``Submitted(form="settings", values=…)`` and an error lands
under the input it is about (Slack's ``response_action: errors`` is keyed by ``block_id``).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from adapters.slack.mrkdwn import cut
from nudges.library import NETWORK_LABELS
from nudges.messages import plain
from nudges.person import Person
from nudges.settings_form import (
    CELEBRATE_CHOICES,
    CELEBRATE_LABEL,
    FIELDS,
    MAX_WEEKLY_CAP,
    SettingsError,
    apply_settings,
    celebrate_value,
    pause_choices,
)

CALLBACK_ID = "settings"
FIELD_NAMES = frozenset(FIELDS)
# Fields validated together: an end time only means something next to its start.
GROUPS = (
    ("networks",),
    ("topics",),
    ("timezone",),
    ("work_start", "work_end"),
    ("quiet_start", "quiet_end"),
    ("weekly_cap",),
    ("pause",),
    ("celebrate",),
)
Json = dict[str, Any]


def _option(label: str, value: str) -> Json:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def _input(field: str, label: str, element: Json, optional: bool = False, hint: str = "") -> Json:
    block: Json = {
        "type": "input",
        "block_id": field,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": field, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _text(initial: str, placeholder: str) -> Json:
    element: Json = {"type": "plain_text_input", "placeholder": {"type": "plain_text", "text": placeholder}}
    if initial:
        element["initial_value"] = cut(initial, 3000)
    return element


def _time(initial: time | None) -> Json:
    element: Json = {"type": "timepicker"}
    if initial is not None:
        element["initial_time"] = f"{initial:%H:%M}"
    return element


def _pause(person: Person, now: datetime) -> Json:
    options = [_option(label, value) for label, value in pause_choices(person, now)]
    return {"type": "static_select", "options": options, "initial_option": options[0]}


def _celebrate(person: Person) -> Json:
    options = [_option(label, value) for label, value in CELEBRATE_CHOICES]
    chosen = next(o for o in options if o["value"] == celebrate_value(person))
    return {"type": "radio_buttons", "options": options, "initial_option": chosen}


def settings_view(person: Person, now: datetime) -> Json:
    s = person.schedule
    networks: Json = {"type": "checkboxes", "options": [_option(v, k) for k, v in NETWORK_LABELS.items()]}
    chosen = [_option(NETWORK_LABELS[n], n) for n in person.networks if n in NETWORK_LABELS]
    if chosen:
        networks["initial_options"] = chosen
    cap = {
        "type": "static_select",
        "options": [_option(str(n), str(n)) for n in range(1, MAX_WEEKLY_CAP + 1)],
        "initial_option": _option(str(person.weekly_cap), str(person.weekly_cap)),
    }
    blocks = [
        _input("networks", "Networks you use", networks, optional=True, hint="Pick one; that's plenty."),
        _input("topics", "Topics you care about", _text(", ".join(person.topics), "cloud, hiring"), True),
        _input("timezone", "Time zone", _text(s.timezone, "Europe/Berlin")),
        _input("work_start", "Working hours start", _time(s.work_start)),
        _input("work_end", "Working hours end", _time(s.work_end)),
        _input("quiet_start", "Quiet hours start", _time(s.quiet_start), optional=True),
        _input(
            "quiet_end",
            "Quiet hours end",
            _time(s.quiet_end),
            optional=True,
            hint="Leave both empty for none.",
        ),
        _input("weekly_cap", "Nudges per week, at most", cap),
        _input(
            "pause", "Pause", _pause(person, now), hint="No nudges until then; you can still chat with me."
        ),
        _input(
            "celebrate",
            CELEBRATE_LABEL,
            _celebrate(person),
            hint="Only people who say yes are ever named; the digest just counts everyone else's.",
        ),
    ]
    assert tuple(b["block_id"] for b in blocks) == FIELDS, "one input per settings field, in order"
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Your settings"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


def errors(person: Person, values: dict[str, str | list[str]], now: datetime) -> dict[str, str]:
    """``{block_id: message}`` for every group of fields the engine refuses; empty when all is well."""
    found: dict[str, str] = {}
    for group in GROUPS:
        subset = {field: values[field] for field in group if field in values}
        if not subset:
            continue
        try:
            apply_settings(person, subset, now=now)
        except SettingsError as error:
            found[group[-1] if len(group) > 1 else group[0]] = cut(plain(str(error)), 150)
    return found
