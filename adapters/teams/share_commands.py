"""Marketing's words in the personal chat: ``share`` (the form as a card), ``share report [ID]``,
``share expire ID`` and ``share withdraw ID``, and the form's submission. The same service the
Slack commands and the command line use (``AdapterDeps.content``); only people with the
marketing (or admin) role get past the first line."""

from __future__ import annotations

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.core import TurnContext

from adapters.teams import outgoing
from adapters.teams.cards import card
from adapters.teams.share_card import SHARE_FORM, share_card
from bot.content.service import MARKETING_ROLES
from bot.conversation.deps import AdapterDeps
from nudges.events import Inbound, Said, Submitted
from nudges.messages import Message, text_message

NOT_ALLOWED = (
    "Sorry, suggested shares are for people with the **marketing** role. If you should have it, ask "
    "your admin to add it to the roster. Everything else is yours: type **help**."
)
HELP = (
    "**share** opens the form for a new suggested share. Also: **share report** (or **share report** "
    "_id_), **share expire** _id_, **share withdraw** _id_."
)


def is_share(inbound: Inbound) -> bool:
    event = inbound.event
    if isinstance(event, Submitted):
        return event.form == SHARE_FORM
    return isinstance(event, Said) and event.text.strip().lower().split()[:1] == ["share"]


class ShareCommands:
    def __init__(self, deps: AdapterDeps) -> None:
        self.deps = deps

    async def handle(self, context: TurnContext, inbound: Inbound) -> None:
        invoke = context.activity.type == ActivityTypes.invoke
        person_id = await self.deps.store.ensure_person(
            inbound.who, inbound.address or None, self.deps.clock()
        )
        person, _ = await self.deps.store.load(person_id, since=self.deps.clock())
        if not person.roles & MARKETING_ROLES:
            await self._answer(context, invoke, text_message(NOT_ALLOWED))
            return
        content = self.deps.content
        if isinstance(inbound.event, Submitted):
            created = await content.create(inbound.event.values, person.key)
            if created.item is None:
                problems = [p.message[:1].upper() + p.message[1:] for p in created.problems]
                form = share_card(inbound.event.values, problems, content.disclosure)
                if invoke:  # the form comes back with what they typed and what to correct
                    await context.send_activity(outgoing.card_response(form))
                else:
                    await context.send_activity(outgoing.card_activity(form, "Suggest a share"))
                return
            await self._answer(context, invoke, text_message(created.thanks()))
            return
        words = inbound.event.text.split()[1:] if isinstance(inbound.event, Said) else []
        verb, args = (words[0].lower(), words[1:]) if words else ("", [])
        if not verb:
            form = share_card(disclosure=content.disclosure)
            await context.send_activity(outgoing.card_activity(form, "Suggest a share"))
        elif verb == "report" and len(args) <= 1:
            report = await content.report(args[0] if args else None)
            unknown = text_message(f"I don't know a suggested share with the id {args[0] if args else ''}.")
            await self._answer(context, invoke, report or unknown)
        elif verb in ("expire", "withdraw") and len(args) == 1:
            ended = await content.end(args[0], withdraw=verb == "withdraw")
            if ended is None:
                message = text_message(f"I don't know a suggested share with the id {args[0]}.")
            else:
                what = "withdrawn" if verb == "withdraw" else "ended"
                message = text_message(
                    f"**{ended.item.title}** is {what}: nobody is offered it again, and the {ended.updated} "
                    "card(s) already sent now say the suggestion has ended."
                )
            await self._answer(context, invoke, message)
        else:
            await self._answer(context, invoke, text_message(HELP))

    @staticmethod
    async def _answer(context: TurnContext, invoke: bool, message: Message) -> None:
        if invoke:
            await context.send_activity(outgoing.card_response(card(message)))
        else:
            await context.send_activity(outgoing.message_activity(message))
