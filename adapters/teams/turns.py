"""One Teams turn: parse the activity, let the conversation answer, show the answer in Teams.

The person's own chat gets the same conversation as every platform (``Conversation.handle``).
Teams-only ways of *showing* it: answered nudges are replaced in place (the message is updated,
and an ``Action.Execute`` press also gets the new card as its invoke response, so the presser sees
it at once), and "Edit settings" opens an Adaptive Card form.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import TurnContext

from adapters.teams import creators_card, outgoing, parse
from adapters.teams.cards import card
from adapters.teams.channel_commands import ChannelCommands
from adapters.teams.members import with_email
from adapters.teams.settings_card import settings_card
from adapters.teams.share_commands import ShareCommands, is_share
from bot.conversation.deps import AdapterDeps
from nudges.dialogue import Outcome
from nudges.events import Inbound, PersonRef, Pressed, Submitted
from nudges.messages import Action, Message

log = logging.getLogger("journeybot.teams")


class TeamsTurns:
    def __init__(self, deps: AdapterDeps) -> None:
        self.deps = deps
        self.channels = ChannelCommands(deps)
        self.shares = ShareCommands(deps)

    async def on_activity(self, context: TurnContext) -> None:
        activity = context.activity
        if parse.is_uninstall(activity):
            await self._gone(parse.person(activity))
            return
        inbound = parse.inbound(activity)
        is_invoke = activity.type == ActivityTypes.invoke
        if inbound is None:
            if is_invoke and activity.name != parse.ACTION_INVOKE:  # what Bot Framework expects
                await context.send_activity(
                    outgoing.invoke_response({"error": "not implemented"}, status=501)
                )
            elif is_invoke:  # an invoke always needs an answer, or Teams shows an error
                await context.send_activity(outgoing.note_response("Sorry, I don't know that button."))
            return
        if inbound.channel is not None:
            await self.channels.handle(context, inbound)
            return
        inbound = replace(inbound, who=await with_email(context, self.deps.store, inbound.who))
        if is_share(inbound):  # marketing's suggested shares: the form, the report, ending an item
            await self.shares.handle(context, inbound)
            return
        if await self._creators_form(context, inbound):
            return
        handled = await self.deps.conversation.handle(inbound)
        outcome = handled.outcome
        replies = list(outcome.replies)
        if isinstance(inbound.event, Pressed) and inbound.event.action == Action.OPEN_SETTINGS:
            settings = settings_card(outcome.person)
            replies = []
            await context.send_activity(outgoing.card_activity(settings, "Your settings"))
        if is_invoke:
            await context.send_activity(self._invoke_answer(inbound, outcome))
        if outcome.replace is not None and inbound.message_ref:
            # The invoke answer only changes what the presser sees now; the stored message (on
            # reload, on their other devices) keeps its buttons unless it is updated too.
            await self._replace(context, inbound.message_ref, outcome.replace)
        await self._send(context, replies)

    async def _creators_form(self, context: TurnContext, inbound: Inbound) -> bool:
        """A creators' form to show (asked for, or sent back with what to correct); False: none."""
        refused = creators_card.problems_of(inbound)
        if refused is not None:
            spec, problems = refused
            values = inbound.event.values if isinstance(inbound.event, Submitted) else {}
            await creators_card.show_form(context, spec, values, problems)
            return True
        if not creators_card.may_open(inbound):
            return False
        person_id = await self.deps.store.ensure_person(
            inbound.who, inbound.address or None, self.deps.clock()
        )
        person, _ = await self.deps.store.load(person_id, since=self.deps.clock())
        asked = creators_card.form_to_open(inbound, person)
        if asked is None:
            return False
        await creators_card.show_form(context, asked)
        return True

    @staticmethod
    def _invoke_answer(inbound: Inbound, outcome: Outcome) -> Activity:
        if outcome.replace is not None:
            return outgoing.card_response(card(outcome.replace))
        # A form keeps what the person typed (so a mistake is easy to fix) and shows the verdict:
        # "Saved ✓" or what to correct. The full answer follows as messages either way.
        if isinstance(inbound.event, Submitted) and outcome.replies:
            return outgoing.note_response(outcome.replies[0].fallback)
        return outgoing.note_response("✓")

    async def _gone(self, who: PersonRef) -> None:
        # Nudges to a chat without the app would fail (403) anyway: stop planning them now. Installing
        # the app again (or writing to the bot) makes the person reachable again.
        marked = await self.deps.store.person_gone(parse.PLATFORM, who.user_id, self.deps.clock())
        log.info("Teams app removed by a person%s", "; marked unreachable" if marked else "")

    async def _replace(self, context: TurnContext, message_ref: str, message: Message) -> None:
        try:
            await context.update_activity(outgoing.message_activity(message, message_id=message_ref))
        except Exception:  # the new look is a nicety; the answer itself is saved already
            log.warning("could not update Teams message %s", message_ref, exc_info=True)

    async def _send(self, context: TurnContext, replies: list[Message]) -> None:
        for number, message in enumerate(replies):
            try:
                sent = await context.send_activity(outgoing.message_activity(message))
            except Exception:
                # Refused (a 429, a 5xx): this reply and the ones after it were not shown, so their
                # offers are not on record as shown (no cap, no follow-up). The turn-error handler
                # then says sorry.
                unseen = [m.offer_id for m in replies[number:] if m.offer_id]
                await self.deps.store.forget_unseen_offers(unseen)
                raise
            if message.offer_id and sent and sent.id:
                # Remembered so the scheduler can update this very card later.
                await self.deps.store.set_message_ref(message.offer_id, parse.PLATFORM, sent.id)
