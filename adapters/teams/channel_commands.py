"""What the bot does when @mentioned in a team channel: ``digest here``, ``digest off``, ``digest status``
(any case), answered by ``bot/digests/commands.py`` for every platform alike.

Only a team's managers and admins may subscribe a channel: a digest is about a team, and the journey
is never shown in public otherwise. The asker is looked up (by their Teams id, else the email the
channel's roster gives) and never created, so someone the roster does not know is refused without a
trace. Anything else gets a short, friendly pointer to the person's own chat, because personal
nudges and answers do not belong in a channel.
"""

from __future__ import annotations

from microsoft_agents.hosting.core import TurnContext

from adapters.teams import outgoing, parse
from adapters.teams.members import with_email
from bot.conversation.deps import AdapterDeps
from bot.digests.commands import Place, digest_command
from nudges.events import Command, Inbound, Joined
from nudges.messages import text_message

HOW = "@journeybot digest"
HINT = (
    "Hi! In a channel I only know **digest here**, **digest status** and **digest off** (for managers). "
    "Your own journey lives in our personal chat: open it from the Apps bar whenever you like."
)


class ChannelCommands:
    def __init__(self, deps: AdapterDeps) -> None:
        self.deps = deps

    async def handle(self, context: TurnContext, inbound: Inbound) -> None:
        command = inbound.event
        if isinstance(command, Joined):
            return  # added to a team: stay quiet until someone asks for something
        if not isinstance(command, Command) or command.name.casefold() != "digest":
            await self._say(context, HINT)
            return
        # No address: a channel's reference must never become where the person's nudges go.
        who = await with_email(context, self.deps.store, inbound.who)  # so the roster's roles apply
        person_id = await self.deps.store.find_person_id(who)
        place = Place(
            "teams", inbound.who.tenant, inbound.channel or "", parse.channel_address(context.activity)
        )
        reply = await digest_command(self.deps.db, command.text, person_id, place, self.deps.clock(), HOW)
        await self._say(context, reply)

    @staticmethod
    async def _say(context: TurnContext, text: str) -> None:
        await context.send_activity(outgoing.message_activity(text_message(text)))
