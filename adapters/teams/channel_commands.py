"""What the bot does when @mentioned in a team channel: ``digest here`` (and ``digest off``).

Only managers and admins (``people.roles``) may subscribe a channel: a digest is about a team, and
the journey is never shown in public otherwise. Anything else gets a short, friendly pointer to the
person's own chat, because personal nudges and answers do not belong in a channel.
"""

from __future__ import annotations

import logging

from microsoft_agents.hosting.core import TurnContext

from adapters.teams import outgoing, parse
from adapters.teams.digest_channels import DIGEST_ROLES, DigestChannel, DigestChannels
from adapters.teams.members import with_email
from bot.conversation.deps import AdapterDeps
from bot.store import audit
from bot.store.audit import DONE, REFUSED, AuditEvent
from nudges.events import Command, Inbound, Joined
from nudges.messages import text_message

log = logging.getLogger("journeybot.teams")

SUBSCRIBED = "Done: this channel will get the team digest (how the team moves, milestones to cheer)."
ALREADY = "This channel already gets the team digest. Say **digest off** to stop it."
STOPPED = "Okay, no more digests in this channel."
NOT_ALLOWED = (
    "Sorry, only managers and admins can set up a digest in a channel. "
    "If you'd like one here, ask your manager or admin."
)
HINT = (
    "Hi! In a channel I only know **digest here** and **digest off** (for managers). "
    "Your own journey lives in our personal chat: open it from the Apps bar whenever you like."
)


class ChannelCommands:
    def __init__(self, deps: AdapterDeps) -> None:
        self.deps = deps
        self.channels = DigestChannels(deps.db)

    async def handle(self, context: TurnContext, inbound: Inbound) -> None:
        command = inbound.event
        if isinstance(command, Joined):
            return  # added to a team: stay quiet until someone asks for something
        if (
            not isinstance(command, Command)
            or command.name != "digest"
            or command.text not in ("here", "off")
        ):
            await self._say(context, HINT)
            return
        now = self.deps.clock()
        # No address: a channel's reference must never become where the person's nudges go.
        who = await with_email(context, self.deps.store, inbound.who)  # so the roster's roles apply
        person_id = await self.deps.store.ensure_person(who, None, now)
        person, _ = await self.deps.store.load(person_id, since=now)
        action = "digest.subscribe" if command.text == "here" else "digest.unsubscribe"
        target = f"{inbound.who.tenant}:{inbound.channel or ''}"

        async def record(outcome: str) -> None:
            event = AuditEvent(now, person.key, "teams", action, "manager", target, outcome)
            await audit.record(self.deps.db, event)

        if not person.roles & DIGEST_ROLES:
            await record(REFUSED)
            log.info(
                "digest %s refused in %s: person %s is not a manager",
                command.text,
                inbound.channel,
                person_id,
            )
            await self._say(context, NOT_ALLOWED)
            return
        tenant, channel = inbound.who.tenant, inbound.channel or ""
        await record(DONE)
        if command.text == "off":
            await self.channels.unsubscribe(tenant, channel)
            await self._say(context, STOPPED)
            return
        subscription = DigestChannel(tenant, channel, parse.channel_address(context.activity), person_id)
        fresh = await self.channels.subscribe(subscription, now)
        await self._say(context, SUBSCRIBED if fresh else ALREADY)

    @staticmethod
    async def _say(context: TurnContext, text: str) -> None:
        await context.send_activity(outgoing.message_activity(text_message(text)))
