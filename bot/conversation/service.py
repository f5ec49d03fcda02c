"""The imperative shell around the pure dialogue: load, respond, save, as one unit of work.

Every adapter calls ``Conversation.handle`` with a neutral ``Inbound`` and gets back what to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

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
    ) -> None:
        self.store = store
        self.templates = templates
        self.clock = clock
        self.rng = rng
        self._library: Library | None = None  # built on the last content seen (the engine indexes it once)

    def _library_of(self, content: tuple[ContentItem, ...]) -> Library:
        if self._library is None or self._library.content is not content:
            self._library = Library(self.templates, content)
        return self._library

    async def library(self, now: datetime) -> Library:
        return Library(self.templates, await self.store.active_content(now))

    async def handle(self, inbound: Inbound) -> Handled:
        """One turn: load, respond, save, holding the person throughout (``Store.unit_of_work``), so
        turns of one person at the same moment take their turn, in this process and across replicas."""
        TURNS.labels(inbound.who.platform).inc()
        now = self.clock()
        content = await self.store.recent_content(now)  # before the unit: it holds a connection
        # Someone new is created in a short transaction of their own first (two first messages from
        # them race to insert them); someone known is found and held in the turn's one transaction.
        async with self.store.turn(inbound.who, inbound.address or None, now) as unit:
            person_id = unit.person_id
            if isinstance(inbound.event, Joined) and unit.introduced:
                # Joining a second channel or reopening the app: one introduction is enough.
                person, _ = await unit.load(since=now)
                return Handled(person_id, Outcome(person=person))
            person, history = await unit.load()
            library = self._library_of(content)
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
            )
        return Handled(person_id, outcome)
