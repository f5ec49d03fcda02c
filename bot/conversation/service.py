"""The imperative shell around the pure dialogue: load, respond, save.

Every adapter calls ``Conversation.handle`` with a neutral ``Inbound`` and gets back what to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.content.store import ContentStore
from bot.content.tracking import Links
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

    async def library(self, now: datetime) -> Library:
        if self._links is None:
            self._links = await ContentStore(self.store.database).links(self.public_url)
        return Library(self.templates, await self.store.active_content(now), share_link=self._links.link)

    async def handle(self, inbound: Inbound) -> Handled:
        now = self.clock()
        person_id = await self.store.ensure_person(inbound.who, inbound.address or None, now)
        if isinstance(inbound.event, Joined) and not await self.store.mark_introduced(person_id, now):
            # Joining a second channel or reopening the app: one introduction is enough.
            person, _ = await self.store.load(person_id, since=now)
            return Handled(person_id, Outcome(person=person))
        person, history = await self.store.load_all(person_id)
        introduced = await self.store.is_introduced(person_id)
        turn = Turn(person, history, await self.library(now), now, self.rng, introduced=introduced)
        outcome = respond(turn, inbound.event)
        await self.store.save(
            person_id,
            outcome.person,
            activities=outcome.activities,
            offers=outcome.offers,
            answers=outcome.answers,
            started_at=now if outcome.started else None,
            timezone_chosen=outcome.timezone_chosen,
            shares=outcome.shares,
            now=now,
        )
        if outcome.introduced and not isinstance(inbound.event, Joined):
            await self.store.mark_introduced(person_id, now)
        return Handled(person_id, outcome)
