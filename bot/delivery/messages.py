"""The message of each outbox row, rendered from its offer when the row is sent.

Planning writes what to send (the offer: a template, a content item, a milestone, a follow-up, the
introduction) and leaves how it looks to this module, which renders it with the engine's own
``nudges.rendering.offer_message``, the same function that re-renders an answered nudge to update
it in place. So a planning pass over a whole organisation writes a few short columns a person
instead of a message each, and a nudge whose content was withdrawn or expired while it waited is
not sent (None: the worker expires the row and forgets the unseen offer, as for a nudge that
outlived its day). Rows planned before this carry their rendered message, and are sent as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.content.store import ContentStore
from bot.content.tracking import Links
from bot.delivery.codec import decode
from bot.store.database import Database
from bot.store.mapping import offer_from_row, person_from_row
from bot.store.models import OfferRow
from bot.store.store import Store
from nudges.library import Category, Library, Template
from nudges.messages import Message
from nudges.person import History, Offer
from nudges.rendering import offer_message

# How long a worker keeps the library (catalogue and active content) before reading it again: new
# or withdrawn content counts within this long.
LIBRARY_FOR = timedelta(minutes=1)
WITHDRAWN = "expired: what it offered left the catalogue or the content library before it was sent"


class Messages:
    def __init__(
        self,
        database: Database,
        templates: Sequence[Template],
        clock: Callable[[], datetime],
        public_url: str | None = None,
    ):
        self.database, self.templates, self.clock = database, tuple(templates), clock
        self.public_url = public_url
        self._library: tuple[datetime, Library] | None = None
        self._links: Links | None = None

    async def for_rows(self, rows: Iterable[Any], people: dict[int, Any]) -> dict[int, Message | None]:
        """Row id → its message, or None when it cannot be rendered (see ``WITHDRAWN``). ``rows``
        have ``id``, ``person_id``, ``offer_id`` and ``message``; ``people`` are their person rows."""
        rows = list(rows)
        offers = await self._offers([row.offer_id for row in rows if row.message is None and row.offer_id])
        library = await self._current_library() if offers else None
        messages: dict[int, Message | None] = {}
        for row in rows:
            person_row = people.get(row.person_id)
            offer = offers.get(row.offer_id or "")
            if row.message is not None:
                messages[row.id] = decode(row.message)
            elif offer is None or person_row is None or library is None:
                messages[row.id] = None
            else:
                followed = (
                    offers.get(offer.key.partition(":")[2]) if offer.category == Category.FOLLOW_UP else None
                )
                history = History(offers=(followed,) if followed else ())
                messages[row.id] = offer_message(offer, person_from_row(person_row), library, history)
        return messages

    async def _offers(self, ids: list[str]) -> dict[str, Offer]:
        """The rows' offers, and the offers the follow-ups among them follow."""
        if not ids:
            return {}
        found = await self._load(ids)
        followed = [o.key.partition(":")[2] for o in found.values() if o.category == Category.FOLLOW_UP]
        if followed:
            found.update(await self._load([i for i in followed if i not in found]))
        return found

    async def _load(self, ids: list[str]) -> dict[str, Offer]:
        if not ids:
            return {}
        async with self.database.sessions() as session:
            rows = await session.scalars(select(OfferRow).where(OfferRow.id.in_(ids)))
            return {row.id: offer_from_row(row) for row in rows}

    async def _current_library(self) -> Library:
        now = self.clock()
        if self._library is None or now - self._library[0] >= LIBRARY_FOR or now < self._library[0]:
            if self._links is None:  # suggested shares carry each person's tracked link
                self._links = await ContentStore(self.database).links(self.public_url)
            content = await Store(self.database).active_content(now)
            self._library = (now, Library(self.templates, content, share_link=self._links.link))
        return self._library[1]
