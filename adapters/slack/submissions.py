"""Modal submissions: settings (→ neutral ``Submitted``) and marketing's suggested share.

Validation runs *before* ``ack`` because Slack shows errors only in the ack's body
(``response_action: errors``); it is quick (database reads only), so the 3-second limit holds.
Nothing before the ack calls Slack: the person is looked up by their Slack id alone, and what
``users.info`` adds (name, email, time zone) is asked for after the ack, by ``converse``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import parse, settings_modal, share_modal
from adapters.slack.roles import MARKETING, allowed
from adapters.slack.service import SlackService
from bot.content.validate import form_field
from bot.store import audit
from bot.store.audit import REFUSED, AuditEvent
from nudges.events import Inbound, Submitted
from nudges.messages import text_message

log = logging.getLogger("journeybot.slack")
Json = dict[str, Any]
_BLOCKS = frozenset(block["block_id"] for block in share_modal.share_view()["blocks"])


def register_submissions(bolt: AsyncApp, service: SlackService) -> None:
    store = service.deps.store

    @bolt.view(settings_modal.CALLBACK_ID)
    async def settings_submitted(ack: AsyncAck, body: Json, view: Json, client: AsyncWebClient) -> None:
        user, team = str(body.get("user", {}).get("id", "")), parse.team_of(body)
        values = parse.form_values(view)
        values = {k: v for k, v in values.items() if k in settings_modal.FIELD_NAMES}
        who = parse.person(user, team)  # no users.info before the ack (see the module docstring)
        person_id = await store.ensure_person(who, None, service.deps.clock())
        current, _ = await store.load_all(person_id)
        errors = settings_modal.errors(current, values, service.deps.clock())
        if errors:
            await ack(response_action="errors", errors=errors)
            # Now Slack has its answer: learn who they are (email, name, time zone) as a turn would.
            await store.ensure_person(await service.who(client, user, team), None, service.deps.clock())
            return
        await ack()
        handled = await service.converse(client, Inbound(who, Submitted("settings", values)))
        channel = await service.dm_channel(client, user)
        await service.show(client, channel, handled, None)
        await service.publish_home(client, user, team)

    @bolt.view(share_modal.CALLBACK_ID)
    async def share_submitted(ack: AsyncAck, body: Json, view: Json, client: AsyncWebClient) -> None:
        user, team = str(body.get("user", {}).get("id", "")), parse.team_of(body)
        who = parse.person(user, team)  # no users.info before the ack (see the module docstring)
        person_id = await store.ensure_person(who, None, service.deps.clock())
        current, _ = await store.load_all(person_id)
        if not allowed(current, MARKETING):  # roles can change between opening and submitting
            refused = AuditEvent(
                service.deps.clock(), current.key, "slack", "share.create", MARKETING, "", REFUSED
            )
            await audit.record(service.deps.db, refused)
            await ack(response_action="errors", errors={"title": "Only marketing can suggest shares."})
            return
        created = await service.deps.content.create(parse.form_values(view), current.key)
        if created.item is None:
            errors: dict[str, str] = {}
            for problem in created.problems:  # the first problem of each input, under that input
                errors.setdefault(_block(form_field(problem)), _sentence(problem.message))
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        audited = AuditEvent(
            service.deps.clock(), current.key, "slack", "share.create", MARKETING, created.item.id
        )
        await audit.record(service.deps.db, audited)
        await service.post(client, await service.dm_channel(client, user), text_message(created.thanks()))


def _block(field: str) -> str:
    """The modal's block for a problem's field (fields without an input of their own go to the title)."""
    return field if field in _BLOCKS else "title"


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def register_other_views(bolt: AsyncApp) -> None:
    """Submissions of modals that are not ours (another app's, an old callback id): acknowledged,
    so Slack closes the modal instead of showing an error. Register last."""

    @bolt.view(re.compile(".*"))
    async def other(ack: AsyncAck) -> None:
        await ack()
