"""Teams activities taken in at once and handled behind the acknowledgement, like Slack's events.

Bot Framework waits for the answer to ``POST /api/messages`` (and retries, or shows the person an
error, when it is slow). A message is answered through the connector anyway — the HTTP response
carries nothing — so a message activity (a chat message, an ``Action.Submit`` press, a channel
mention) and a conversation or installation update get their ``202 Accepted`` at once, before any
database work, and their turn runs in the inbox (``bot/conversation/inbox.py``: per-person order, a
few turns at a time, overflow spilled to ``inbound_events``). The replies then go out through the
connector to the activity's ``serviceUrl`` (checked against its token before the ack), exactly as
they did when the turn ran inline.

Invokes (``adaptiveCard/action`` with the refreshed card, task modules) must carry their answer in
the HTTP response, so they stay inline; so do activities that ask for ``expectReplies``. They are
bounded too: at most ``INLINE_INVOKES`` at a time, and one that cannot get a slot within
``INVOKE_WAIT`` seconds gets a 503 (nothing was done; Teams shows the presser that it failed).

Teams retries an activity it had no timely answer for, with the same id: a retry is recognised in
process (``Seen``, no I/O before the ack) and then durably by the primary key of
``teams_seen_activities`` (another replica may have taken the first copy).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from adapters.teams.agent import TeamsAgent
from adapters.teams.parse import PLATFORM
from adapters.teams.records import SEEN_ACTIVITIES_KEPT, TeamsRecords, activity_key
from adapters.teams.tokens import ClientCredentialsTokens, TokenError
from bot.conversation.inbox import Inbox, Seen
from bot.store.database import Database

log = logging.getLogger("journeybot.teams")
# Answered through the connector, never in the HTTP response: safe to handle after the ack.
LATER_TYPES = frozenset({"message", "conversationUpdate", "installationUpdate"})
INBOX_CONCURRENCY = 4
INBOX_CAPACITY = 1000
INLINE_INVOKES = 4
INVOKE_WAIT = 5.0  # seconds: well inside the time Teams waits for an HTTP answer (about 15 s)
PRUNE_SECONDS = 3600.0


def later(activity: dict[str, Any]) -> bool:
    """Whether this activity's turn may run after its acknowledgement."""
    return activity.get("type") in LATER_TYPES and activity.get("deliveryMode") != "expectReplies"


def _person(activity: dict[str, Any]) -> str:
    """Whose turn: the sender (their activities run one at a time, in order)."""
    sender = activity.get("from")
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    if isinstance(sender_id, str) and sender_id:
        return sender_id[:200]
    conversation = activity.get("conversation")
    return str(conversation.get("id") if isinstance(conversation, dict) else activity.get("id"))[:200]


class TeamsIntake:
    def __init__(self, agent: TeamsAgent, inbox: Inbox, records: TeamsRecords, clock: Callable[[], datetime]):
        self.agent = agent
        self.inbox = inbox
        self.records = records
        self.clock = clock
        self.seen = Seen()
        self.invokes = asyncio.Semaphore(INLINE_INVOKES)
        self.invoke_wait = INVOKE_WAIT
        inbox.register(PLATFORM, self.handle)

    def cannot_answer(self) -> bool:
        """Whether our last Bot Connector token fetch failed: then nothing taken in now could be
        answered, so the route says 503 (Teams tries again later) rather than acknowledge it."""
        provider = self.agent.connections.provider
        return isinstance(provider, ClientCredentialsTokens) and provider.refused

    def take(self, activity: dict[str, Any], claims: dict[str, Any] | None) -> None:
        """Into the inbox unless this process took it in already (a retry). No I/O: the ack must
        not wait. The verified token's claims go along (not the token itself): the turn's replies
        are sent with our own connector token for the audience they name."""
        key = activity_key(activity)
        if key is not None and not self.seen.first_time(key):
            log.info("Teams activity taken in already; acknowledging the retry")
            return
        payload = json.dumps({"activity": activity, "claims": claims}, ensure_ascii=False)
        self.inbox.take(PLATFORM, _person(activity), payload)

    async def handle(self, payload: str) -> None:
        """The inbox's handler: the durable check for a retry, then the turn, to its end."""
        taken = json.loads(payload)
        activity: dict[str, Any] = taken["activity"]
        key = activity_key(activity)
        if key is not None and not await self.records.first_time(key, self.clock()):
            log.info("Teams activity handled already (another process took it in); skipped")
            return
        claims = taken.get("claims")
        identity = ClaimsIdentity(claims, authentication_type="Bearer") if claims else ClaimsIdentity()
        try:
            await self.agent.adapter.process_activity(
                identity, Activity.model_validate(activity), self.agent.application.on_turn
            )
        except TokenError as error:  # no token for the connector: nothing could be sent
            log.error("Teams activity not answered: %s", error)

    def running(self) -> Callable[[web.Application], AsyncIterator[None]]:
        """The inbox's workers, and forgetting seen activity ids after a day, while the server runs."""

        async def prune_forever() -> None:
            while True:
                try:
                    forgotten = await self.records.forget_before(self.clock() - SEEN_ACTIVITIES_KEPT)
                    log.debug("forgot %d seen Teams activity id(s)", forgotten)
                except Exception:  # the database may be away for a moment: try again next time
                    log.warning("could not prune Teams' seen activities", exc_info=True)
                await asyncio.sleep(PRUNE_SECONDS)

        async def context(_web_app: web.Application) -> AsyncIterator[None]:
            await self.inbox.start()
            pruning = asyncio.create_task(prune_forever())
            try:
                yield
            finally:
                pruning.cancel()
                with suppress(asyncio.CancelledError):
                    await pruning
                await self.inbox.close()

        return context


def build_intake(
    agent: TeamsAgent,
    database: Database,
    clock: Callable[[], datetime],
    *,
    runs_turns: bool = True,
    drains: bool = False,
) -> TeamsIntake:
    """``runs_turns=False``: the serving process under TURNS=worker (take in only); ``drains``: a
    turn process's (``journeybot turns``), which runs what the serving processes wrote."""
    inbox = (
        Inbox.draining(database, concurrency=INBOX_CONCURRENCY, clock=clock)
        if drains
        else Inbox(
            database,
            concurrency=INBOX_CONCURRENCY,
            capacity=INBOX_CAPACITY,
            clock=clock,
            runs_turns=runs_turns,
        )
    )
    return TeamsIntake(agent, inbox, TeamsRecords(database), clock)
