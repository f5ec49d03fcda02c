"""The imperative shell around the pure dialogue: load, respond, save, as one unit of work.

Every adapter calls ``Conversation.handle`` with a neutral ``Inbound`` and gets back what to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.content.store import ContentStore
from bot.content.tracking import Links
from bot.creators.service import Creators
from bot.observability.metrics import TURNS
from bot.store.store import Store
from nudges.dialogue import Outcome, Turn, respond
from nudges.events import Inbound, Joined
from nudges.library import Library, Template
from nudges.messages import Message


@dataclass(frozen=True)
class Handled:
    person_id: int
    outcome: Outcome

    @property
    def replies(self) -> tuple[Message, ...]:
        return self.outcome.replies


class Conversation:
    def __init__(
        self,
        store: Store,
        templates: tuple[Template, ...],
        clock: Callable[[], datetime],
        rng: random.Random,
        public_url: str | None = None,
    ) -> None:
        self.store = store
        self.templates = templates
        self.clock = clock
        self.rng = rng
        self.public_url = public_url
        self._links: Links | None = None
        # Creators' support (copy-edits, topic requests, amplifying): set by the composition root
        # once the senders exist; its words, buttons and forms are answered before the dialogue.
        self.creators: Creators | None = None

    async def library(self, now: datetime) -> Library:
        links = await self._tracked_links()
        return Library(self.templates, await self.store.active_content(now), share_link=links.link)

    async def _tracked_links(self) -> Links:
        if self._links is None:
            self._links = await ContentStore(self.store.database).links(self.public_url)
        return self._links

    async def handle(self, inbound: Inbound) -> Handled:
        """One turn: load, respond, save, holding the person throughout (``Store.unit_of_work``), so
        turns of one person at the same moment take their turn, in this process and across replicas."""
        TURNS.labels(inbound.who.platform).inc()
        now = self.clock()
        # Its own short transaction: two first messages from someone new race to insert them.
        person_id = await self.store.ensure_person(inbound.who, inbound.address or None, now)
        if self.creators is not None and (reply := await self.creators.handle(person_id, inbound)):
            person, _ = await self.store.load(person_id, since=now)
            return Handled(person_id, Outcome(person=person, replies=reply.replies, replace=reply.replace))
        links = await self._tracked_links()  # before holding the person: it may write, once
        async with self.store.unit_of_work(person_id) as unit:
            if isinstance(inbound.event, Joined) and unit.introduced:
                # Joining a second channel or reopening the app: one introduction is enough.
                person, _ = await unit.load(since=now)
                return Handled(person_id, Outcome(person=person))
            person, history = await unit.load()
            library = Library(self.templates, await unit.active_content(now), share_link=links.link)
            turn = Turn(person, history, library, now, self.rng, introduced=unit.introduced)
            outcome = respond(turn, inbound.event)
            if outcome.introduced:
                unit.introduce(now)
            await unit.save(
                outcome.person,
                activities=outcome.activities,
                offers=outcome.offers,
                answers=outcome.answers,
                started_at=now if outcome.started else None,
                timezone_chosen=outcome.timezone_chosen,
                shares=outcome.shares,
                now=now,
                removed=outcome.removed.activity if outcome.removed else None,
                removed_offers=outcome.removed.offer_ids if outcome.removed else (),
            )
        return Handled(person_id, outcome)
