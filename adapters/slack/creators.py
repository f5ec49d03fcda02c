"""Creators' support in Slack: the forms as modals (a draft to copy-edit, an editor's suggestions, a
new piece for colleagues to amplify, marketing's topic request), opened by ``/journey edit``,
``/journey amplify``, ``/journey request`` or the buttons that lead to them.

A submission is checked before ``ack`` (Slack shows errors only in the ack), then handed to the
conversation as a neutral ``Submitted``: the same service answers Teams' cards and the console's
words (``bot/creators``). Nothing is stored until a form is right.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import parse
from adapters.slack.service import SlackService
from nudges import creators
from nudges.creators import CreatorAction, Form, FormSpec
from nudges.events import Inbound, Pressed, Submitted

Json = dict[str, Any]
OPENS = {
    CreatorAction.ASK_EDIT.value: Form.EDIT,
    CreatorAction.SUGGEST.value: Form.SUGGEST,
    CreatorAction.AMPLIFY.value: Form.AMPLIFY,
}
COMMANDS = {"edit": Form.EDIT, "amplify": Form.AMPLIFY, "request": Form.TOPIC}


def form_view(spec: FormSpec) -> Json:
    blocks: list[Json] = [{"type": "section", "text": {"type": "mrkdwn", "text": spec.intro}}]
    for field in spec.fields:
        element: Json = {
            "type": "plain_text_input",
            "action_id": field.name,
            "multiline": field.multiline,
            "max_length": min(field.limit + 200, 3000) if not field.multiline else 3000,
        }
        if field.limit > 3000:  # longer than a Slack input holds: the multiline input's most
            element["max_length"] = 3000
        block: Json = {
            "type": "input",
            "block_id": field.name,
            "label": {"type": "plain_text", "text": field.label[:2000]},
            "element": element,
            "optional": field.optional,
        }
        if field.hint:
            block["hint"] = {"type": "plain_text", "text": field.hint}
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": spec.form.value,
        "private_metadata": spec.ref,
        "title": {"type": "plain_text", "text": spec.title[:24]},
        "submit": {"type": "plain_text", "text": spec.submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
    }


async def open_form(client: AsyncWebClient, trigger_id: str, form: Form, ref: str = "") -> None:
    await client.views_open(trigger_id=trigger_id, view=form_view(creators.form_spec(form, ref)))


def register_creators(bolt: AsyncApp, service: SlackService) -> None:
    """Register before the catch-all button and view listeners (Bolt runs the first that matches)."""

    @bolt.action(re.compile(r"^(edit\.ask|edit\.suggest|amplify\.ask)(#\d+)?$"))
    async def open_from_button(ack: AsyncAck, body: Json, client: AsyncWebClient) -> None:
        await ack()
        inbound = parse.pressed(body)
        if inbound is None or not isinstance(inbound.event, Pressed):
            return
        form = OPENS[inbound.event.action]
        await open_form(client, str(body.get("trigger_id", "")), form, inbound.event.value)

    @bolt.view(re.compile(r"^creators\."))
    async def submitted(ack: AsyncAck, body: Json, view: Json, client: AsyncWebClient) -> None:
        callback = str(view.get("callback_id", ""))
        if callback not in {f.value for f in Form}:
            await ack()
            return
        form = Form(callback)
        values = parse.form_values(view)
        errors = creators.check(form, values)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        user, team = str(body.get("user", {}).get("id", "")), parse.team_of(body)
        values["ref"] = str(view.get("private_metadata", ""))
        handled = await service.converse(client, Inbound(parse.person(user, team), Submitted(form, values)))
        await service.show(client, await service.dm_channel(client, user), handled, None)
