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
from bot.observability.metrics import TURNS
from bot.store.store import Store
from nudges.dialogue import Outcome, Turn, respond
from nudges.events import Inbound, Joined
from nudges.library import ContentItem, Library, Template
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
        self._library: Library | None = None  # built on the last content seen (the engine indexes it once)

    def _library_of(self, content: tuple[ContentItem, ...], links: Links) -> Library:
        # Equal content (frozen items, compared field by field) keeps the library and its indexes.
        if self._library is None or self._library.content != content:
            self._library = Library(self.templates, content, share_link=links.link)
        return self._library

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
        links = await self._tracked_links()  # before holding the person: it may write, once
        # Someone new is created in a short transaction of their own first (two first messages from
        # them race to insert them); someone known is found and held in the turn's one transaction.
        async with self.store.turn(inbound.who, inbound.address or None, now) as unit:
            person_id = unit.person_id
            if isinstance(inbound.event, Joined) and unit.introduced:
                # Joining a second channel or reopening the app: one introduction is enough.
                person, _ = await unit.load(since=now)
                return Handled(person_id, Outcome(person=person))
            person, history = await unit.load()
            library = self._library_of(await unit.active_content(now), links)
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
