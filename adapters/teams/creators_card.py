"""Creators' support in Teams: the forms as Adaptive Cards (a draft to copy-edit, an editor's
suggestions, a new piece for colleagues to amplify, marketing's topic request).

``edit``, ``amplify`` or ``request`` typed alone, or a button that leads to a form (*Ask for a
copy-edit*, *Send suggestions*, *Let colleagues amplify it*), sends the card. Its *Send* carries
``{form: creators.…, ref, <field>: …}``, parsed into ``Submitted``; a form with a problem comes back
with what was typed and what to correct, and nothing is stored. The rest is the conversation's
(``bot/creators``), as in Slack and the console.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.core import TurnContext

from adapters.teams import outgoing
from adapters.teams.cards import SCHEMA_URL, VERSION, escape, text_block
from nudges import creators
from nudges.creators import MARKETING_ROLES, CreatorAction, Form, FormSpec
from nudges.events import Inbound, Pressed, Said, Submitted
from nudges.person import Person

FORM_KEY = "form"
FORMS = frozenset(f.value for f in Form)
WORDS = {"edit": Form.EDIT, "amplify": Form.AMPLIFY, "request": Form.TOPIC}
OPENS = {
    CreatorAction.ASK_EDIT.value: Form.EDIT,
    CreatorAction.SUGGEST.value: Form.SUGGEST,
    CreatorAction.AMPLIFY.value: Form.AMPLIFY,
}


def creators_card(
    spec: FormSpec, values: Mapping[str, str | list[str]] | None = None, problems: Sequence[str] = ()
) -> dict[str, Any]:
    def value(name: str) -> str:
        got = (values or {}).get(name, "")
        return ", ".join(got) if isinstance(got, list) else got

    body: list[dict[str, Any]] = [
        text_block(escape(spec.title), weight="Bolder", size="Large"),
        text_block(escape(spec.intro)),
    ]
    if problems:
        lines = "\n".join(f"- {escape(p)}" for p in problems)
        body.append(text_block(f"Almost there. Please correct:\n{lines}", color="Attention"))
    for field in spec.fields:
        element: dict[str, Any] = {
            "type": "Input.Text",
            "id": field.name,
            "label": field.label,
            "value": value(field.name),
            "maxLength": field.limit,
            "isRequired": not field.optional,
        }
        if field.multiline:
            element["isMultiline"] = True
        if field.hint:
            element["placeholder"] = field.hint
        body.append(element)
    data = {FORM_KEY: spec.form.value, "ref": spec.ref}
    send = {
        "type": "Action.Execute",
        "title": spec.submit,
        "verb": spec.form.value,
        "data": data,
        "style": "positive",
        "fallback": {"type": "Action.Submit", "title": spec.submit, "data": data},
    }
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "body": body,
        "actions": [send],
        "fallbackText": f"{spec.title}: open this card in Teams to fill it in.",
    }


def form_values(data: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """A creators' form's data as submitted values: its own fields and ``ref``, as text."""
    spec = creators.form_spec(Form(str(data[FORM_KEY])))
    names = {field.name for field in spec.fields} | {"ref"}
    return {k: v for k, v in data.items() if k in names and isinstance(v, str)}


def may_open(inbound: Inbound) -> bool:
    """Whether the event is a word or button that opens a form (before anyone is looked up)."""
    event = inbound.event
    if isinstance(event, Said):
        return event.text.strip().lower() in WORDS
    return isinstance(event, Pressed) and event.action in OPENS


def form_to_open(inbound: Inbound, person: Person) -> FormSpec | None:
    """The form a word typed alone or a button asks for; None for anything else."""
    event = inbound.event
    if isinstance(event, Said):
        form = WORDS.get(event.text.strip().lower())
        if form is None or (form is Form.TOPIC and not person.roles & MARKETING_ROLES):
            return None  # marketing's form is marketing's; the conversation says so kindly
        return creators.form_spec(form)
    if isinstance(event, Pressed) and event.action in OPENS:
        return creators.form_spec(OPENS[event.action], event.value)
    return None


def problems_of(inbound: Inbound) -> tuple[FormSpec, list[str]] | None:
    """A submitted creators' form with problems: the form and what to correct; None when it is fine."""
    event = inbound.event
    if not isinstance(event, Submitted) or event.form not in FORMS:
        return None
    form = Form(event.form)
    errors = creators.check(form, event.values)
    if not errors:
        return None
    return creators.form_spec(form, str(event.values.get("ref", ""))), list(errors.values())


async def show_form(
    context: TurnContext,
    spec: FormSpec,
    values: Mapping[str, str | list[str]] | None = None,
    problems: Sequence[str] = (),
) -> None:
    form = creators_card(spec, values, problems)
    if context.activity.type == ActivityTypes.invoke and problems:  # the card comes back corrected
        await context.send_activity(outgoing.card_response(form))
        return
    await context.send_activity(outgoing.card_activity(form, spec.title))
    if context.activity.type == ActivityTypes.invoke:
        await context.send_activity(outgoing.note_response("✓"))
