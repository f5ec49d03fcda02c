"""Bolt listeners for events and buttons. Events are acknowledged by Bolt before a listener runs;
buttons call ``ack()`` first. Either way the work happens after Slack has its answer (3 s limit)."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import parse
from adapters.slack.parse import SLACKBOT
from adapters.slack.service import SlackService
from adapters.slack.settings_modal import settings_view
from bot.conversation.service import Handled
from nudges.events import Inbound, Pressed
from nudges.messages import Action

log = logging.getLogger("journeybot.slack")
Json = dict[str, Any]


def register_events(bolt: AsyncApp, service: SlackService) -> None:
    multi = service.multi_workspace

    @bolt.event("message")
    async def direct_message(body: Json, client: AsyncWebClient) -> None:
        inbound = parse.dm_message(body, multi)
        if inbound is None:  # the bot's own or another bot's message, an edit, a channel message
            return
        handled = await service.converse(client, inbound)
        await service.show(client, parse.split_address(inbound.address)[1], handled, None)

    @bolt.event("app_home_opened")
    async def home_opened(event: Json, body: Json, client: AsyncWebClient) -> None:
        user, team = str(event.get("user", "")), parse.team_of(body)
        if not user:
            return
        channel = str(event.get("channel", ""))
        await service.introduce(client, user, team, channel if parse.is_dm(channel) else "")
        if event.get("tab", "home") == "home":
            await service.publish_home(client, user, team)

    @bolt.event("member_joined_channel")
    async def joined_channel(
        event: Json, body: Json, client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
        user = str(event.get("user", ""))
        if user and user not in (context.bot_user_id, SLACKBOT):  # other bots: ``introduce`` asks Slack
            await service.introduce(client, user, parse.team_of(body))

    @bolt.event(re.compile(".*"))
    async def anything_else() -> None:
        """Acknowledge other events (Slack would retry a 404) and do nothing."""


def register_actions(bolt: AsyncApp, service: SlackService) -> None:
    @bolt.action(re.compile(rf"^{re.escape(Action.OPEN_SETTINGS)}(#\d+)?$"))
    async def open_settings(ack: AsyncAck, body: Json, client: AsyncWebClient) -> None:
        await ack()
        user, team = str(body.get("user", {}).get("id", "")), parse.team_of(body)
        who = await service.who(client, user, team)
        person_id = await service.deps.store.ensure_person(who, None, service.deps.clock())
        current, _ = await service.deps.store.load_all(person_id)
        await client.views_open(
            trigger_id=str(body.get("trigger_id", "")), view=settings_view(current, service.deps.clock())
        )

    @bolt.action(re.compile(".*"))
    async def button(ack: AsyncAck, body: Json, client: AsyncWebClient) -> None:
        await ack()
        inbound = parse.pressed(body)
        if inbound is None:
            return
        handled = await service.converse(client, inbound)
        await _show_answer(service, client, inbound, handled)


async def _show_answer(
    service: SlackService, client: AsyncWebClient, inbound: Inbound, handled: Handled
) -> None:
    """Replies go where the button was; a press in App Home answers in the DM and refreshes Home."""
    channel = inbound.channel if inbound.channel and parse.is_dm(inbound.channel) else ""
    if channel:
        await service.show(client, channel, handled, inbound.message_ref)
        return
    if handled.replies:
        await service.show(client, await service.dm_channel(client, inbound.who.user_id), handled, None)
    if isinstance(inbound.event, Pressed) and inbound.event.action == Action.DATA_ERASE:
        return  # they were just erased: publishing a Home would make them anew, with nothing in it
    await service.publish_home(client, inbound.who.user_id, inbound.who.tenant)
