"""The slash command (``SLACK_COMMAND``, ``/journey`` by default): the conversation's own words, plus
role-gated marketing and manager parts.

``ack()`` comes first and empty; answers follow through the command's ``response_url`` (shown only
to the person who typed it), so slow work never costs Slack's 3-second limit. A signed command sent
again (a replay within the five minutes its signature is valid) is acknowledged and not acted on:
its signature is remembered like an event id. Another app's command names are acknowledged too.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import parse
from adapters.slack.blocks import render
from adapters.slack.creators import COMMANDS, open_form
from adapters.slack.roles import MARKETING, allowed, not_allowed
from adapters.slack.service import SlackService
from adapters.slack.share_modal import share_view
from bot.digests.commands import Place, digest_command
from bot.store import audit
from bot.store.audit import REFUSED, AuditEvent
from nudges.events import Command, Inbound
from nudges.messages import Message, text_message

Json = dict[str, Any]


def register_commands(bolt: AsyncApp, service: SlackService) -> None:
    store = service.deps.store

    @bolt.command(service.deps.settings.slack_command)
    async def journey(
        ack: AsyncAck, command: Json, client: AsyncWebClient, respond: AsyncRespond, request: AsyncBoltRequest
    ) -> None:
        await ack()
        signature = (request.headers.get("x-slack-signature") or [""])[0]
        if signature and not await service.records.first_time(f"cmd:{signature[-56:]}", service.deps.clock()):
            return  # the very same signed request again: done once already
        word, said = parse.subcommand(str(command.get("text", "")))
        user, team = str(command.get("user_id", "")), str(command.get("team_id", ""))
        channel = str(command.get("channel_id", ""))

        async def answer(message: Message) -> None:
            await respond(response_type="ephemeral", replace_original=False, **render(message))

        if word == "digest":
            await answer(await _digest(service, client, said, user, team, channel))
            return
        if word == "share":
            who = await service.who(client, user, team)
            person_id = await store.ensure_person(who, None, service.deps.clock())
            current, _ = await store.load_all(person_id)
            role = MARKETING
            if not allowed(current, role):
                action = "share.open"
                refused = AuditEvent(
                    service.deps.clock(), current.key, "slack", action, role, channel, REFUSED
                )
                await audit.record(service.deps.db, refused)
                await answer(text_message(not_allowed(role)))
            elif said.split()[1:2]:
                await answer(await share_words(service, said.split()[1:]))
            else:
                view = share_view(service.deps.content.disclosure)
                await client.views_open(trigger_id=str(command.get("trigger_id", "")), view=view)
            return
        if word in COMMANDS and not said.split()[1:]:  # the creators' forms (bot/creators)
            who = await service.who(client, user, team)
            person_id = await store.ensure_person(who, None, service.deps.clock())
            current, _ = await store.load_all(person_id)
            if word == "request" and not allowed(current, MARKETING):
                await answer(text_message(not_allowed(MARKETING)))
                return
            await open_form(client, str(command.get("trigger_id", "")), COMMANDS[word])
            return
        # No address: a command may be typed in a DM between two people, where the bot cannot post.
        handled = await service.converse(client, Inbound(parse.person(user, team), Command("journey", said)))
        for message in handled.replies:
            await answer(message)


def register_other_commands(bolt: AsyncApp) -> None:
    """Any other command name (the app renamed, another command pointed at us): acknowledged, or
    Slack shows the person an error. Register last: Bolt runs the first listener that matches."""

    @bolt.command(re.compile(".*"))
    async def other(ack: AsyncAck) -> None:
        await ack()


async def _digest(
    service: SlackService, client: AsyncWebClient, said: str, user: str, team: str, channel: str
) -> Message:
    """``/journey digest here|off|status`` (``bot/digests/commands.py``): the asker is looked up,
    never created, so someone the roster does not know is refused without a trace."""
    how = f"{service.deps.settings.slack_command} digest"
    words = said.split()[1:]
    if words[:1] and words[0].casefold() in ("here", "off") and parse.is_dm(channel):
        return text_message(f"The digest is for a team channel: run **{how} {words[0].casefold()}** there.")
    person_id = await service.deps.store.find_person_id(parse.person(user, team))
    if person_id is None and words[:1] and words[0].casefold() in ("here", "off"):
        person_id = await service.deps.store.find_person_id(await service.who(client, user, team))
    place = Place("slack", team, channel, f"{team}:{channel}" if team else channel)
    reply = await digest_command(
        service.deps.db, " ".join(words), person_id, place, service.deps.clock(), how
    )
    return text_message(reply)


SHARE_HELP = (
    "**/journey share** opens the form for a new suggested share. Also: **/journey share report** "
    "(or **share report** _id_), **/journey share expire** _id_, **/journey share withdraw** _id_."
)


async def share_words(service: SlackService, words: list[str]) -> Message:
    """``/journey share report [ID]``, ``share expire ID``, ``share withdraw ID`` (marketing only)."""
    verb, args = words[0].lower(), words[1:]
    content = service.deps.content
    if verb == "report" and len(args) <= 1:
        report = await content.report(args[0] if args else None)
        return report or text_message(f"I don't know a suggested share with the id `{args[0]}`.")
    if verb in ("expire", "withdraw") and len(args) == 1:
        ended = await content.end(args[0], withdraw=verb == "withdraw")
        if ended is None:
            return text_message(f"I don't know a suggested share with the id `{args[0]}`.")
        what = "withdrawn" if verb == "withdraw" else "ended"
        return text_message(
            f"**{ended.item.title}** is {what}: nobody is offered it again, and the {ended.updated} "
            "card(s) already sent now say the suggestion has ended."
        )
    return text_message(SHARE_HELP)
