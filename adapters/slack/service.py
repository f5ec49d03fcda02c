"""The Slack side of a conversation: who is talking, handing events to ``Conversation``, showing replies.

Listeners stay thin: they parse a payload, then call these methods with the request's own Web API
client (which carries the right workspace's token in multi-workspace mode).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.allowed import AllowedTeams
from adapters.slack.api_errors import may_have_posted
from adapters.slack.blocks import home_view, render
from adapters.slack.installations import installations_for
from adapters.slack.parse import SLACKBOT, address, person
from adapters.slack.profiles import Profiles, is_person, person_ref
from adapters.slack.records import SlackRecords
from bot.conversation.deps import AdapterDeps
from bot.conversation.inbox import Inbox, Seen
from bot.conversation.service import Handled
from nudges import views
from nudges.dialogue import Turn, respond
from nudges.events import Inbound, Joined, PersonRef, Said
from nudges.messages import Message

Json = dict[str, Any]
COMPLETE_KEPT = 100_000


class SlackService:
    def __init__(self, deps: AdapterDeps, multi_workspace: bool, inbox: Inbox) -> None:
        self.deps = deps
        self.inbox = inbox  # events wait here for their turn (bot/conversation/inbox.py)
        self.seen = Seen()  # event ids this process took in: a retry is dropped before any I/O
        self.records = SlackRecords(deps.db)
        # Users this process found with a complete record (name, time zone, email): ``who`` asks
        # the database about them no more (bounded, oldest out).
        self._complete: OrderedDict[tuple[str, str], None] = OrderedDict()
        self.multi_workspace = multi_workspace
        self.profiles = Profiles()
        self.allowed = AllowedTeams(deps.settings.slack_allowed_team_ids)
        self.installations = (
            installations_for(deps.settings, deps.db.engine)
            if multi_workspace and deps.settings.slack_client_id
            else None
        )
        # Events are handled after the ack, concurrently: one person's turns still take their turn.
        self._turns: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def who(self, client: AsyncWebClient, user_id: str, team_id: str) -> PersonRef:
        """The person behind a Slack user id, with what ``users.info`` says (email, name, time zone)
        for someone new, and for someone known whose record still has a gap: a roster person linked by
        Slack id alone has no time zone, and one first met while ``users.info`` failed (429, 5xx) is
        keyed ``slack:U…`` with no name. The store fills in only what it does not know yet."""
        bare = person(user_id, team_id)
        if (team_id, user_id) in self._complete:
            return bare  # known, with nothing missing: no lookup (a record's gaps only ever close)
        if await self.deps.store.profile_gaps(bare) is False:
            self._complete[(team_id, user_id)] = None
            if len(self._complete) > COMPLETE_KEPT:
                self._complete.popitem(last=False)
            return bare
        user = await self.profiles.get(client, user_id)
        return bare if user is None else person_ref(user, user_id, team_id, self.allowed)

    async def converse(self, client: AsyncWebClient, inbound: Inbound) -> Handled:
        turn = self._turns.setdefault(inbound.who.user_id, asyncio.Lock())
        async with turn:
            who = await self.who(client, inbound.who.user_id, inbound.who.tenant)
            return await self.deps.conversation.handle(replace(inbound, who=who))

    async def show(
        self, client: AsyncWebClient, channel: str, handled: Handled, message_ref: str | None
    ) -> None:
        """Update the message a button sat on (so it can't be pressed twice), then post the replies."""
        if handled.outcome.replace is not None and message_ref:
            await client.chat_update(channel=channel, ts=message_ref, **render(handled.outcome.replace))
        replies = handled.replies
        for number, message in enumerate(replies):
            try:
                await self.post(client, channel, message)
            except Exception as error:
                # Certainly not posted (a 429 after the retries, a refusal): this reply's offer and
                # those of the replies after it are not on record as shown, so they count neither
                # toward the cap nor as ignored. One that may have been posted (a 5xx, a timeout)
                # keeps its offer: its buttons may be on the person's screen.
                later = replies[number + 1 :] if may_have_posted(error) else replies[number:]
                await self.deps.store.forget_unseen_offers([m.offer_id for m in later if m.offer_id])
                raise

    async def post(self, client: AsyncWebClient, channel: str, message: Message) -> None:
        response = await client.chat_postMessage(channel=channel, **render(message))
        if message.offer_id:  # the scheduler or a later answer may update it in place
            await self.deps.store.set_message_ref(message.offer_id, "slack", str(response["ts"]))

    async def dm_channel(self, client: AsyncWebClient, user_id: str) -> str:
        return str((await client.conversations_open(users=user_id))["channel"]["id"])

    async def introduce(self, client: AsyncWebClient, user_id: str, team_id: str, channel: str = "") -> bool:
        """The one friendly introduction, whoever triggers it first (a join, the first open).

        ``Conversation`` claims it atomically (``people.introduced_at``); a second claim has no replies.
        """
        if not is_person(user_id, await self._profile_if_new(client, user_id, team_id)):
            return False  # Slackbot, another app's bot user or a deactivated account: nobody to greet
        where = address(team_id, channel, self.multi_workspace) if channel else ""
        handled = await self.converse(client, Inbound(person(user_id, team_id), Joined(), address=where))
        if not handled.replies:
            return False
        await self.show(client, channel or await self.dm_channel(client, user_id), handled, None)
        return True

    async def _profile_if_new(self, client: AsyncWebClient, user_id: str, team_id: str) -> Json | None:
        """``users.info`` for someone the bot does not know yet (kept, so ``who`` does not ask again)."""
        if user_id == SLACKBOT or await self.deps.store.find_person_id(person(user_id, team_id)) is not None:
            return None
        return await self.profiles.get(client, user_id)

    async def publish_home(self, client: AsyncWebClient, user_id: str, team_id: str) -> None:
        """App Home: the journey map (zones, where I am, next step, milestones), then my settings.

        Read-only: the map is what ``journey`` would answer, worked out by the pure engine and never
        saved. Saving would write back every field as loaded, so a Home open racing a DM turn could
        put the older state over the newer one (a turn's lock is per person, Home's publish is not).
        """
        who = await self.who(client, user_id, team_id)
        now = self.deps.clock()
        person_id = await self.deps.store.ensure_person(who, None, now)
        current, history = await self.deps.store.load_all(person_id)
        conversation = self.deps.conversation
        turn = Turn(current, history, await conversation.library(now), now, conversation.rng)
        journey = respond(turn, Said("journey"))  # the map previews "next" on a copy of the rng
        view = home_view([*journey.replies, views.settings_view(current)])
        await client.views_publish(user_id=user_id, view=view)
