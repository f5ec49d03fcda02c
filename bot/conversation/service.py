"""The imperative shell around the pure dialogue: load, respond, save, as one unit of work.

Every adapter calls ``Conversation.handle`` with a neutral ``Inbound`` and gets back what to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.content.store import ContentStore
from bot.content.tracking import Links
from bot.creators.service import Creators
from bot.observability.metrics import TURNS
from bot.store import privacy
from bot.store.store import Store
from bot.store.unit_of_work import UnitOfWork
from nudges import data_rights
from nudges.data_rights import DataRequest
from nudges.dialogue import Outcome, Turn, respond
from nudges.events import Command, Event, Inbound, Joined, Pressed, Said
from nudges.library import ContentItem, Library, Template
from nudges.messages import Action, Message
from nudges.person import Incomplete, Person

# Buttons about the person's own data, and what each asks for (None: the answer "no, keep it").
_DATA_BUTTONS: dict[str, DataRequest | None] = {
    Action.DATA_EXPORT: DataRequest.EXPORT,
    Action.DATA_ERASE_ASK: DataRequest.ERASE,
    Action.DATA_ERASE: DataRequest.ERASE,
    Action.DATA_KEEP: None,
}


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
        mine = await self._own_data(inbound, now)
        if mine is not None:
            return mine
        if self.creators is not None and self.creators.wants(inbound):
            # Its own short transaction: two first messages from someone new race to insert them.
            person_id = await self.store.ensure_person(inbound.who, inbound.address or None, now)
            if reply := await self.creators.handle(person_id, inbound):
                person, _ = await self.store.load(person_id, since=now)
                return Handled(
                    person_id, Outcome(person=person, replies=reply.replies, replace=reply.replace)
                )
        links = await self._tracked_links()  # before holding the person: it may write, once
        # Someone known is found and held in the turn's one transaction; someone new is created in it
        # (``Store.turn``: two first messages from them race to insert them, and the loser retries).
        async with self.store.turn(inbound.who, inbound.address or None, now) as unit:
            person_id = unit.person_id
            if isinstance(inbound.event, Joined) and unit.introduced:
                # Joining a second channel or reopening the app: one introduction is enough.
                person, _ = await unit.load(since=now)
                return Handled(person_id, Outcome(person=person))
            # A bounded read (the planning summary, recent activities, counts of older ones): the
            # same answer as from the whole history, which is read only when the dialogue says it
            # needs more (an undo of something old, a button on an offer long summed up).
            person, history = await unit.load_bounded(now)
            library = self._library_of(await unit.active_content(now), links)
            turn = Turn(person, history, library, now, self.rng, introduced=unit.introduced)
            outcome = await answer(unit, turn, inbound.event)
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
                library=library,  # the summary it writes leaves out the content that has ended
            )
        return Handled(person_id, outcome)

    async def _own_data(self, inbound: Inbound, now: datetime) -> Handled | None:
        """ "my data", "export my data", "delete my data" and their buttons; None for anything else.

        Answered before anyone is created: asking what the bot holds must not make it hold something.
        Erasing happens only on the confirmation's *Yes* (``Action.DATA_ERASE``), in one transaction
        (``bot/store/privacy.py``); the audit trail keeps that it happened, not who it was."""
        event = inbound.event
        confirmed = False
        if isinstance(event, Said | Command):
            request = data_rights.data_request(event.text)
            if request is None:
                return None
        elif isinstance(event, Pressed) and event.action in _DATA_BUTTONS:
            request = _DATA_BUTTONS[event.action]
            confirmed = event.action == Action.DATA_ERASE
            if request is None:
                return _answer(data_rights.kept(), replace=data_rights.erase_answered(done=False))
        else:
            return None
        person_id = await self.store.find_person_id(inbound.who)
        database = self.store.database
        data = None if person_id is None else await privacy.export(database, person_id, now)
        if person_id is None or data is None:
            return _answer(data_rights.nothing_held())
        if request is DataRequest.SHOW:
            return _answer(data_rights.overview(data_rights.facts(data)), person_id=person_id)
        if request is DataRequest.EXPORT:
            return _answer(*data_rights.export_messages(privacy.export_json(data)), person_id=person_id)
        if not confirmed:
            return _answer(data_rights.erase_question(), person_id=person_id)
        async with self.store.hold(person_id):  # not in the middle of one of their turns
            await privacy.erase(database, person_id, now=now, actor="self", platform=inbound.who.platform)
        return _answer(data_rights.erased(self.rng), replace=data_rights.erase_answered(done=True))


async def answer(unit: UnitOfWork, turn: Turn, event: Event) -> Outcome:
    """``respond`` on the unit's bounded history (``turn.history``, ``UnitOfWork.load_bounded``);
    where the dialogue says it needs more (``Incomplete``: the order of celebrations long summed up,
    a button on an old offer), again with every offer, and then on the whole history. An attempt
    that needed more leaves no trace: the random state is put back at once, before any ``await``
    lets another turn draw from the same generator, so the answer is the whole history's."""
    drawn = turn.rng.getstate()
    try:
        return respond(turn, event)
    except Incomplete:
        turn.rng.setstate(drawn)  # ``respond`` never awaits: nobody else drew in between
    turn = replace(turn, history=await unit.load_offers(turn.history))
    drawn = turn.rng.getstate()
    try:
        return respond(turn, event)
    except Incomplete:
        turn.rng.setstate(drawn)
    _, whole = await unit.load()
    return respond(replace(turn, history=whole), event)


def _answer(*replies: Message, replace: Message | None = None, person_id: int = 0) -> Handled:
    """An answer outside the journey: no person is loaded, changed or saved for it."""
    return Handled(person_id, Outcome(person=Person(key=""), replies=replies, replace=replace))
