"""Creators' support in chat, for every platform: copy-edit requests, topic requests, amplifying a
colleague's own piece.

``Creators.handle`` answers the words, buttons and forms of these paths (``edit …``, *Claim*,
*Send suggestions*, *Accept* / *Decline*, ``request …``, *I'll write it*, ``amplify …``) before the
dialogue sees them; anything else is left to the dialogue (None). Messages to *other* people (the
editors, the author, marketing, the colleagues asked) go through the outbox, so they wait for each
person's working hours and are sent under the platforms' rate limits like every nudge.

A claim is one conditional update (``status = 'open'``): two editors pressing *Claim* at the same
moment give one winner, on SQLite and PostgreSQL alike; the others' cards then say it was claimed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Update, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.creators.models import (
    ACCEPTED,
    CLAIMED,
    DECLINED,
    OPEN,
    SUGGESTED,
    AmplifiedPieceRow,
    EditRequestRow,
    TopicRequestRow,
    TopicTakerRow,
)
from bot.delivery.codec import encode
from bot.delivery.models import CANCELLED, READY, DeliveryRow
from bot.ports import DeliveryError, Sender
from bot.store.database import Database
from bot.store.models import IdentityRow, PersonRow
from bot.store.store import Store
from nudges import creators as words
from nudges.creators import CATEGORY, EDITOR, MARKETING_ROLES, Candidate, CreatorAction, Form, Queued
from nudges.events import Command, Inbound, Pressed, Said, Submitted
from nudges.messages import Message
from nudges.person import Person
from nudges.zones import Zone

log = logging.getLogger("journeybot.creators")
WEEK = timedelta(days=7)
# What one person is sent of these paths' asks (topic requests, colleagues' pieces) in a week, at most;
# their own weekly cap is lower when they chose so.
ASKS_A_WEEK = 2


WORDS = ("edit", "edits", "suggest", "amplify", "request")  # what a creators' message starts with


@dataclass(frozen=True)
class Reply:
    replies: tuple[Message, ...] = ()
    replace: Message | None = None  # the new look of the card a button was pressed on


async def _changed(session: AsyncSession, statement: Update) -> bool:
    """Run a conditional update; whether it changed the one row it names."""
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount == 1


def _new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def _value(values: Mapping[str, str | list[str]], name: str) -> str:
    got = values.get(name, "")
    return (", ".join(got) if isinstance(got, list) else got).strip()


class Creators:
    def __init__(
        self, database: Database, clock: Callable[[], datetime], senders: Mapping[str, Sender]
    ) -> None:
        # ``senders`` is the application's own mapping, filled once the platforms are wired: a claim
        # updates the other editors' cards on whichever platform each of them is on.
        self.database, self.clock, self.senders = database, clock, senders
        self.store = Store(database)

    # --- dispatch ---------------------------------------------------------------------------------

    def wants(self, inbound: Inbound) -> bool:
        """Whether ``handle`` answers this event: checked before anyone is looked up, so other turns
        keep their one transaction (bot/conversation/service.py)."""
        event = inbound.event
        if isinstance(event, Said | Command):
            word, _, rest = event.text.strip().partition(" ")
            word = word.lower()
            settings = word == "edit" and rest.strip().lower().rstrip(".!") in ("settings", "my settings")
            return word in WORDS and not settings  # "edit settings" is the settings, not a draft
        if isinstance(event, Pressed):
            return event.action in set(CreatorAction)
        return isinstance(event, Submitted) and event.form in set(Form)

    async def handle(self, person_id: int, inbound: Inbound) -> Reply | None:
        """The answer to an event of these paths; None: not ours, the dialogue answers it."""
        if not self.wants(inbound):
            return None
        event = inbound.event
        person = await self._person(person_id)
        if isinstance(event, Said | Command):
            word, _, rest = event.text.strip().partition(" ")
            return await self._words(person_id, person, word.lower(), rest.strip())
        if isinstance(event, Pressed):
            return await self._pressed(person_id, person, CreatorAction(event.action), event.value)
        assert isinstance(event, Submitted)  # ``wants`` takes nothing else
        return await self._submitted(person_id, person, Form(event.form), event.values)

    async def _person(self, person_id: int) -> Person:
        return (await self.store.load(person_id, since=self.clock()))[0]

    async def _words(self, person_id: int, person: Person, word: str, rest: str) -> Reply:
        if word == "edits":
            return await self.queue(person_id, person)
        if word == "edit":
            if not rest:
                return Reply((words.how_to(Form.EDIT),))
            return await self.request_edit(person_id, person, {"draft": rest})
        if word == "suggest":
            request_id, _, text = rest.partition(" ")
            if not request_id or not text.strip():
                return Reply((words.how_to(Form.SUGGEST),))
            return await self.suggest(person_id, request_id, {"suggestions": text})
        if word == "amplify":
            url, _, title = rest.partition(" ")
            if not url:
                return Reply((words.how_to(Form.AMPLIFY),))
            return await self.amplify(person_id, person, {"url": url, "title": title})
        # request
        if not person.roles & MARKETING_ROLES:
            return Reply((words.marketing_only(),))
        if not rest:
            return Reply((words.how_to(Form.TOPIC),))
        topic, _, why = rest.partition("--")  # "request -- why" has no topic: it is asked for
        return await self.request_topic(person_id, person, {"topic": topic, "why": why})

    async def _pressed(self, person_id: int, person: Person, action: CreatorAction, value: str) -> Reply:
        if action is CreatorAction.CLAIM:
            return await self.claim(person_id, person, value)
        if action in (CreatorAction.ACCEPT, CreatorAction.DECLINE):
            return await self.answer(person_id, value, accepted=action is CreatorAction.ACCEPT)
        if action is CreatorAction.TAKE_TOPIC:
            return await self.take_topic(person_id, person, value)
        # The buttons that open a form: a platform with forms opened it; text clients get the words.
        form = {
            CreatorAction.ASK_EDIT: Form.EDIT,
            CreatorAction.SUGGEST: Form.SUGGEST,
            CreatorAction.AMPLIFY: Form.AMPLIFY,
        }[action]
        return Reply((words.how_to(form, value),))

    async def _submitted(
        self, person_id: int, person: Person, form: Form, values: Mapping[str, str | list[str]]
    ) -> Reply:
        if form is Form.EDIT:
            return await self.request_edit(person_id, person, values)
        if form is Form.SUGGEST:
            return await self.suggest(person_id, _value(values, "ref"), values)
        if form is Form.AMPLIFY:
            return await self.amplify(person_id, person, values)
        return await self.request_topic(person_id, person, values)

    # --- copy-edit requests ---------------------------------------------------------------------

    async def request_edit(
        self, person_id: int, person: Person, values: Mapping[str, str | list[str]]
    ) -> Reply:
        errors = words.check(Form.EDIT, dict(values))
        if errors:
            return Reply((words.form_problems(errors),))
        now = self.clock()
        title, draft, note = _value(values, "title"), _value(values, "draft"), _value(values, "note")
        request_id = _new_id("e")
        async with self.database.sessions.begin() as session:
            chosen = words.editors(await self._candidates(session), person_id)
            if not chosen:
                return Reply((words.no_editors(),))
            session.add(
                EditRequestRow(
                    id=request_id,
                    author_id=person_id,
                    author_zone=int(person.zone),
                    title=title,
                    draft=draft,
                    note=note,
                    status=OPEN,
                    created_at=now,
                )
            )
            await session.flush()
            engaged = person.zone is Zone.ENGAGED
            ask = words.ask_editor(request_id, title, draft, note, engaged)
            asked = 0
            for editor in chosen:
                asked += await self._enqueue(
                    session, editor.person_id, f"edit:{request_id}/ask/{editor.person_id}", ask, now
                )
            ahead = await self._ahead(session, request_id, person.zone, now)
        return Reply((words.draft_received(title, asked, ahead + 1),))

    async def _ahead(self, session: AsyncSession, request_id: str, zone: Zone, now: datetime) -> int:
        """How many open requests an editor looks at before this one."""
        rows = (
            await session.execute(
                select(
                    EditRequestRow.id,
                    EditRequestRow.title,
                    EditRequestRow.author_zone,
                    EditRequestRow.created_at,
                ).where(EditRequestRow.status == OPEN)
            )
        ).all()
        queue = words.queue_order(Queued(r.id, r.title, Zone(r.author_zone), r.created_at) for r in rows)
        return next((n for n, q in enumerate(queue) if q.request_id == request_id), 0)

    async def queue(self, person_id: int, person: Person) -> Reply:
        """``edits``: suggestions waiting for the author's answer, the drafts an editor claimed and
        has not answered yet, and (for editors) the queue, each with its buttons."""
        columns = (
            EditRequestRow.id,
            EditRequestRow.title,
            EditRequestRow.author_zone,
            EditRequestRow.created_at,
        )
        async with self.database.sessions() as session:
            mine = list(
                await session.scalars(
                    select(EditRequestRow)
                    .where(EditRequestRow.author_id == person_id, EditRequestRow.status == SUGGESTED)
                    .order_by(EditRequestRow.created_at)
                )
            )
            claimed = list(
                await session.scalars(
                    select(EditRequestRow)
                    .where(EditRequestRow.editor_id == person_id, EditRequestRow.status == CLAIMED)
                    .order_by(EditRequestRow.created_at)
                )
            )
            rows = (
                await session.execute(
                    select(*columns).where(
                        EditRequestRow.status == OPEN, EditRequestRow.author_id != person_id
                    )
                )
            ).all()
        replies = [words.suggestions_for_author(r.id, r.title, r.suggestions or "") for r in mine]
        replies += [words.claimed_by_you(r.id, r.title, r.draft, r.note) for r in claimed]
        if person.roles & {EDITOR, "admin"}:
            queue = words.queue_order(Queued(r.id, r.title, Zone(r.author_zone), r.created_at) for r in rows)
            replies.append(words.queue_message(queue))
        elif not replies:
            replies.append(words.nothing_waiting())
        return Reply(tuple(replies))

    async def claim(self, person_id: int, person: Person, request_id: str) -> Reply:
        if not person.roles & {EDITOR, "admin"}:
            return Reply((words.editors_only(),))
        now = self.clock()
        async with self.database.sessions.begin() as session:
            won = await _changed(
                session,
                update(EditRequestRow)
                .where(EditRequestRow.id == request_id, EditRequestRow.status == OPEN)
                .where(EditRequestRow.author_id != person_id)
                .values(status=CLAIMED, editor_id=person_id, claimed_at=now),
            )
            row = await session.get(EditRequestRow, request_id)
            if row is None:
                return Reply((words.not_yours("request"),))
            title, draft, note = row.title, row.draft, row.note
            if won:
                # The asks and reminders still waiting in the outbox are not sent any more.
                await session.execute(
                    update(DeliveryRow)
                    .where(
                        DeliveryRow.key.like(f"edit:{request_id}/ask/%")
                        | DeliveryRow.key.like(f"edit:{request_id}/remind/%")
                    )
                    .where(DeliveryRow.status.in_(READY))
                    .values(status=CANCELLED, last_error="claimed by an editor before it was sent")
                )
                await self._enqueue(
                    session, row.author_id, f"edit:{request_id}/claimed", words.claimed_notice(title), now
                )
            mine = row.editor_id == person_id and row.status == CLAIMED
        if not won:
            if mine:  # pressed twice: it is theirs already
                return Reply(replace=words.claimed_by_you(request_id, title, draft, note))
            return Reply(replace=words.too_late(title))
        await self._update_cards(request_id, person_id, words.claimed_by_someone(title))
        return Reply(replace=words.claimed_by_you(request_id, title, draft, note))

    async def _update_cards(self, request_id: str, except_person: int, message: Message) -> None:
        """Every other editor's card of this request now says it was claimed (best effort: a card
        that cannot be updated still answers its button kindly)."""
        query = select(DeliveryRow.platform, DeliveryRow.address, DeliveryRow.message_ref).where(
            DeliveryRow.key.like(f"edit:{request_id}/ask/%")
            | DeliveryRow.key.like(f"edit:{request_id}/remind/%"),
            DeliveryRow.message_ref.is_not(None),
            DeliveryRow.person_id != except_person,
        )
        async with self.database.sessions() as session:
            cards = (await session.execute(query)).all()
        for platform, address, ref in cards:
            sender = self.senders.get(platform)
            if sender is None or ref is None:
                continue
            try:
                await sender.update(address, ref, message)
            except DeliveryError as error:
                log.info("could not update a copy-edit card (%s)", type(error).__name__)

    async def suggest(self, person_id: int, request_id: str, values: Mapping[str, str | list[str]]) -> Reply:
        errors = words.check(Form.SUGGEST, dict(values))
        if errors:
            return Reply((words.form_problems(errors),))
        now = self.clock()
        text = _value(values, "suggestions")
        async with self.database.sessions.begin() as session:
            moved = await _changed(
                session,
                update(EditRequestRow)
                .where(EditRequestRow.id == request_id, EditRequestRow.status == CLAIMED)
                .where(EditRequestRow.editor_id == person_id)
                .values(status=SUGGESTED, suggestions=text),
            )
            if not moved:
                return Reply((words.not_yours("request"),))
            row = await session.get(EditRequestRow, request_id)
            assert row is not None
            message = words.suggestions_for_author(request_id, row.title, text)
            await self._enqueue(session, row.author_id, f"edit:{request_id}/suggested", message, now)
            title = row.title
        return Reply((words.suggestions_sent(title),))

    async def answer(self, person_id: int, request_id: str, *, accepted: bool) -> Reply:
        now = self.clock()
        async with self.database.sessions.begin() as session:
            moved = await _changed(
                session,
                update(EditRequestRow)
                .where(EditRequestRow.id == request_id, EditRequestRow.status == SUGGESTED)
                .where(EditRequestRow.author_id == person_id)
                .values(status=ACCEPTED if accepted else DECLINED, answered_at=now),
            )
            if not moved:
                return Reply((words.not_yours("suggestion"),))
            row = await session.get(EditRequestRow, request_id)
            assert row is not None
            if row.editor_id is not None:
                to_editor = words.author_answered(row.title, accepted, to_editor=True)
                await self._enqueue(session, row.editor_id, f"edit:{request_id}/answered", to_editor, now)
        return Reply(replace=words.author_answered(row.title, accepted, to_editor=False))

    async def remind(self, now: datetime) -> int:
        """A gentle reminder to the editors of every request nobody claimed within a working day,
        once; it waits in the outbox for each editor's own hours. How many requests were reminded."""
        reminded = 0
        async with self.database.sessions.begin() as session:
            query = select(EditRequestRow).where(
                EditRequestRow.status == OPEN, EditRequestRow.reminded_at.is_(None)
            )
            rows = [r for r in await session.scalars(query) if words.reminder_due(r.created_at) <= now]
            if not rows:
                return 0
            people = await self._candidates(session)
            for row in words_order(rows):
                won = await _changed(
                    session,
                    update(EditRequestRow)
                    .where(EditRequestRow.id == row.id, EditRequestRow.reminded_at.is_(None))
                    .where(EditRequestRow.status == OPEN)
                    .values(reminded_at=now),
                )
                if not won:  # another replica reminded it
                    continue
                engaged = Zone(row.author_zone) is Zone.ENGAGED
                message = words.ask_editor(row.id, row.title, row.draft, row.note, engaged, reminder=True)
                for editor in words.editors(people, row.author_id):
                    await self._enqueue(
                        session, editor.person_id, f"edit:{row.id}/remind/{editor.person_id}", message, now
                    )
                reminded += 1
        return reminded

    # --- topic requests ---------------------------------------------------------------------------

    async def request_topic(
        self, person_id: int, person: Person, values: Mapping[str, str | list[str]]
    ) -> Reply:
        if not person.roles & MARKETING_ROLES:
            return Reply((words.marketing_only(),))
        errors = words.check(Form.TOPIC, dict(values))
        if errors:
            return Reply((words.form_problems(errors),))
        now = self.clock()
        topic, why = _value(values, "topic"), _value(values, "why")
        request_id = _new_id("t")
        async with self.database.sessions.begin() as session:
            session.add(
                TopicRequestRow(id=request_id, requester_id=person_id, topic=topic, why=why, created_at=now)
            )
            await session.flush()
            chosen = words.ambassadors(await self._candidates(session), person_id, words.topics_of(topic))
            message = words.topic_ask(request_id, topic, why)
            reached = 0
            for person_asked in await self._within_caps(session, chosen, now):
                reached += await self._enqueue(
                    session,
                    person_asked.person_id,
                    f"topic:{request_id}/{person_asked.person_id}",
                    message,
                    now,
                )
        return Reply((words.topic_sent(topic, reached, len(chosen)),))

    async def take_topic(self, person_id: int, person: Person, request_id: str) -> Reply:
        now = self.clock()
        try:
            async with self.database.sessions.begin() as session:
                request = await session.get(TopicRequestRow, request_id)
                if request is None:
                    return Reply((words.not_yours("request"),))
                session.add(TopicTakerRow(request_id=request_id, person_id=person_id, at=now))
                await session.flush()
                notice = words.topic_taken_notice(request.topic, person.name)
                await self._enqueue(
                    session, request.requester_id, f"topic:{request_id}/taken/{person_id}", notice, now
                )
                topic = request.topic
        except IntegrityError:  # pressed twice: taken already, nothing more to do
            async with self.database.sessions() as session:
                request = await session.get(TopicRequestRow, request_id)
            return Reply(replace=words.topic_taken(request.topic if request else ""))
        return Reply(replace=words.topic_taken(topic))

    # --- amplify colleagues ------------------------------------------------------------------------

    async def amplify(self, person_id: int, person: Person, values: Mapping[str, str | list[str]]) -> Reply:
        errors = words.check(Form.AMPLIFY, dict(values))
        if errors:
            return Reply((words.form_problems(errors),))
        now = self.clock()
        url, title = _value(values, "url"), _value(values, "title")
        topics = words.topics_of(_value(values, "topics")) or person.topics
        piece_id = _new_id("a")
        async with self.database.sessions.begin() as session:
            session.add(
                AmplifiedPieceRow(
                    id=piece_id,
                    author_id=person_id,
                    url=url,
                    title=title,
                    topics=list(topics),
                    created_at=now,
                )
            )
            await session.flush()
            chosen = words.amplifiers(await self._candidates(session), person_id, topics)
            message = words.amplify_suggestion(person.name, title, url)
            reached = 0
            for colleague in await self._within_caps(session, chosen, now):
                reached += await self._enqueue(
                    session, colleague.person_id, f"amplify:{piece_id}/{colleague.person_id}", message, now
                )
        return Reply((words.amplify_sent(reached, len(chosen)),))

    # --- shared -------------------------------------------------------------------------------------

    async def _candidates(self, session: AsyncSession) -> list[Candidate]:
        query = select(
            PersonRow.id,
            PersonRow.email,
            PersonRow.zone,
            PersonRow.topics,
            PersonRow.roles,
            PersonRow.opted_out,
        )
        return [
            Candidate(pid, email, Zone(zone), tuple(topics or ()), frozenset(roles or ()), bool(out))
            for pid, email, zone, topics, roles, out in await session.execute(query)
        ]

    async def _within_caps(
        self, session: AsyncSession, people: list[Candidate], now: datetime
    ) -> list[Candidate]:
        """Asks of these paths (topics, colleagues' pieces) stay within each person's weekly cap and
        ``ASKS_A_WEEK``: someone asked enough this week is left out, not queued."""
        if not people:
            return []
        ids = [p.person_id for p in people]
        counted = (
            select(DeliveryRow.person_id, func.count())
            .where(DeliveryRow.person_id.in_(ids), DeliveryRow.category == CATEGORY)
            .where(DeliveryRow.key.like("topic:%") | DeliveryRow.key.like("amplify:%"))
            .where(DeliveryRow.created_at >= now - WEEK, DeliveryRow.status != CANCELLED)
            .where(~DeliveryRow.key.like("%/taken/%"))
            .group_by(DeliveryRow.person_id)
        )
        counts = dict((await session.execute(counted)).all())
        caps = dict(
            (
                await session.execute(select(PersonRow.id, PersonRow.weekly_cap).where(PersonRow.id.in_(ids)))
            ).all()
        )
        return [
            p
            for p in people
            if counts.get(p.person_id, 0) < min(ASKS_A_WEEK, caps.get(p.person_id, ASKS_A_WEEK))
        ]

    async def _address(self, session: AsyncSession, person_id: int) -> tuple[str, str] | None:
        """Where the planner would reach them (``bot.scheduling.batch._addresses``): the newest
        identity with an address; failing that, Slack by user id (the Sender opens the DM); the
        console by email when the console is what delivers."""
        query = (
            select(IdentityRow.platform, IdentityRow.address, IdentityRow.user_id, IdentityRow.tenant)
            .where(IdentityRow.person_id == person_id, IdentityRow.platform.in_(list(self.senders) or [""]))
            .order_by(IdentityRow.updated_at.desc(), IdentityRow.id.desc())
        )
        identities = (await session.execute(query)).all()
        for platform, address, _, _ in identities:
            if address:
                return platform, address
        for platform, _, user_id, tenant in identities:
            if platform == "slack":
                return platform, f"{tenant}:{user_id}" if tenant else user_id
        if "console" in self.senders:
            email = await session.scalar(select(PersonRow.email).where(PersonRow.id == person_id))
            return ("console", email) if email else None
        return None

    async def _enqueue(
        self, session: AsyncSession, person_id: int, key: str, message: Message, now: datetime
    ) -> int:
        """An outbox row for ``message`` to the person where they were last seen (on a platform this
        process can deliver to); 0 when they cannot be reached. It waits for their working hours."""
        where = await self._address(session, person_id)
        if where is None:
            return 0
        platform, address = where
        session.add(
            DeliveryRow(
                key=key,
                person_id=person_id,
                offer_id=None,
                category=CATEGORY,
                platform=platform,
                address=address,
                message=encode(message),
                not_before=now,
                created_at=now,
            )
        )
        return 1


def words_order(rows: list[EditRequestRow]) -> list[EditRequestRow]:
    """Requests in the editors' queue order (Socially Engaged first, then oldest)."""
    order = words.queue_order(Queued(r.id, r.title, Zone(r.author_zone), r.created_at) for r in rows)
    by_id = {r.id: r for r in rows}
    return [by_id[q.request_id] for q in order]
