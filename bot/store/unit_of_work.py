"""One person's state, read and written in one transaction that holds them: the unit of a turn.

A turn reads a person, decides, and writes what it decided. Two turns of one person at the same
moment (two messages, a button and a message, two replicas) must not both decide on the same state,
or the later write puts back what the earlier one changed ("pause 7" answered while
``paused_until`` stayed empty). So a unit holds the person from its first read to its commit:

- in this process, an ``asyncio.Lock`` per person, so turns queue here without tying up a
  connection each while they wait for the database;
- on PostgreSQL, the person's row ``FOR UPDATE`` (others wait, up to the lock timeout that every
  connection has, ``LOCK_WAIT_MS`` in ``bot/store/database.py``);
- on SQLite, which has no row locks, the database's one write lock, taken before the first read
  (``BEGIN IMMEDIATE``; others wait up to the busy timeout, the same ``LOCK_WAIT_MS``).

Everything the turn reads (content included) goes through the unit's one session: a turn that held
a connection while asking the pool for a second could starve the pool under load.

A turn reads a bounded history (``UnitOfWork.load_bounded``): the offers from the planning summary
(``people.plan_summary``, ``bot/store/summary.py``; built from the offers and written back when a
change emptied it), the activities of the last weeks one by one and the older ones as counts. What
the dialogue cannot answer from that it says (``nudges.person.Incomplete``), and the turn loads the
whole history (``UnitOfWork.load``) in the same transaction.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    delete,
    distinct,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.store.database import Database
from bot.store.mapping import (
    activity_from_row,
    activity_row,
    apply_person,
    content_from_row,
    offer_from_row,
    offer_row,
    person_from_row,
)
from bot.store.models import ActivityRow, ContentItemRow, ContentShareRow, OfferRow, PersonRow, UTCDateTime
from bot.store.org import owned_after
from bot.store.summary import decode, encode, summarise, usable
from bot.store.values import activity_from_values, offer_from_values
from nudges.activities import Activity, ActivityKind
from nudges.dialogue import Share, activities_kept_since
from nudges.library import ContentItem, Library
from nudges.messages import Answer
from nudges.person import History, Logged, Offer, Person


class UnknownPerson(LookupError):
    pass


class UnitOfWork:
    """One person held for one transaction: load, decide (outside, in the pure engine), save.

    Open one with ``Store.unit_of_work(person_id)``; it commits when the block ends without an
    error and rolls back otherwise."""

    def __init__(
        self, session: AsyncSession, row: PersonRow, is_sqlite: bool = True, *, created: bool = False
    ) -> None:
        self.session = session
        self.person_id = row.id
        self._row = row
        self._is_sqlite = is_sqlite
        # Created in this unit's transaction: they have no offers or activities yet, so there is
        # nothing to read (``load_bounded``), and the whole history is the empty one.
        self._created = created
        # The person's offers compacted as of ``_summed_at`` (what ``load_bounded`` read), and
        # whether the row holds exactly that summary; ``save`` keeps the summary current from them.
        self._summed: History | None = None
        self._summed_at: datetime | None = None
        self._summary_stored = False

    async def load(self, since: datetime | None = None) -> tuple[Person, History]:
        """The person with their offers and activities (all, or at or after ``since``), oldest first."""
        return person_from_row(self._row), await _history(self.session, self.person_id, since)

    async def load_bounded(self, now: datetime) -> tuple[Person, History]:
        """The person with a bounded history (``History.bounded``), whatever its length: offers from
        the planning summary when it is usable at ``now`` (else from their rows, compacted as the
        planner does, and the summary is written back with the turn), activities since
        ``activities_kept_since(now)`` one by one and the older ones summed up (``Logged``). Two
        statements for a person with a usable summary. The dialogue raises ``Incomplete`` where it
        would need more; then ``load`` gives the whole history."""
        if self._created:
            self._summed, self._summed_at = History(), now  # written with the turn's own update
            return person_from_row(self._row), History()
        stored = self._row.plan_summary
        summed = _decoded(stored) if usable(stored, now) else None
        self._summary_stored = summed is not None
        if summed is None:
            summed = summarise(await _offers(self.session, self.person_id), now)
        self._summed, self._summed_at = summed, now
        recent, logged = await _activities(self.session, self.person_id, now, self._is_sqlite)
        history = History(summed.offers, recent, summed.earlier, logged=logged, bounded=True)
        return person_from_row(self._row), history

    async def load_offers(self, bounded: History) -> History:
        """``bounded`` (from ``load_bounded``) with every offer of the person: only its activities
        are still bounded (``History.logged``)."""
        offers = tuple(await _offers(self.session, self.person_id))
        return History(offers, bounded.activities, logged=bounded.logged)

    async def active_content(self, now: datetime) -> tuple[ContentItem, ...]:
        return await active_content(self.session, now)

    @property
    def introduced(self) -> bool:
        """Whether the person had their one introduction (a welcome, or a hello in chat)."""
        return self._row.introduced_at is not None

    def introduce(self, now: datetime) -> bool:
        """Claim the one introduction a person gets: True only for the first unit that claims it.

        The row is held, so checking and setting cannot race a turn; the scheduler's own claim is a
        conditional update that a held row makes wait, and then finds it taken."""
        if self.introduced:
            return False
        self._row.introduced_at = now
        return True

    async def save(
        self,
        person: Person,
        *,
        activities: Sequence[Activity] = (),
        offers: Sequence[Offer] = (),
        answers: Sequence[tuple[str, Answer, datetime]] = (),
        activity_source: str = "logged",
        started_at: datetime | None = None,
        timezone_chosen: bool = False,
        shares: Sequence[Share] = (),
        now: datetime | None = None,
        removed: Activity | None = None,
        removed_offers: Sequence[str] = (),
        library: Library | None = None,
    ) -> None:
        """Apply what the engine decided. Answers to unknown offers are ignored.

        ``timezone_chosen``: the person set their time zone themselves, so no platform's guess
        replaces it from now on. ``removed``: an undo of the person's newest activity (it must still
        be the newest, of that kind: the row is held, so it is unless history was edited meanwhile),
        with ``removed_offers``, the celebrations it brought. ``library``: the turn's, whose content
        is what had not ended at its instant; the summary it writes leaves out the rest
        (``nudges.selection.compact``; without one it keeps every key, which is always exact)."""
        row, person_id = self._row, self.person_id
        row.own_settings = owned_after(row, person)  # a window or cap they changed is theirs now
        apply_person(row, person)
        if timezone_chosen:
            row.timezone_explicit = True
        row.next_due_at = None  # anything saved may change when they are due: the next tick recomputes it
        if started_at is not None and row.started_at is None:
            row.started_at = started_at
        if removed is not None:
            await self._remove_newest_activity(removed)
        if removed_offers:
            await self.session.execute(
                delete(OfferRow).where(OfferRow.person_id == person_id, OfferRow.id.in_(removed_offers))
            )
        self.session.add_all(activity_row(person_id, activity, activity_source) for activity in activities)
        self.session.add_all(offer_row(person_id, offer) for offer in offers)
        # "I shared it" on a suggested item, for marketing's report (counted, never listed).
        self.session.add_all(
            ContentShareRow(
                offer_id=share.offer_id,
                item_id=share.item_id,
                network=share.network,
                with_own_line=share.with_own_line,
                at=now or answers[0][2],
            )
            for share in shares
        )
        for offer_id, answer, answered_at in answers:
            await self.session.execute(
                update(OfferRow)
                .where(OfferRow.id == offer_id, OfferRow.person_id == person_id)
                .values(answer=answer.value, answered_at=answered_at)
            )
        await self._keep_summary(offers, answers, removed_offers, library)

    async def _keep_summary(
        self,
        offers: Sequence[Offer],
        answers: Sequence[tuple[str, Answer, datetime]],
        removed: Sequence[str],
        library: Library | None,
    ) -> None:
        """Write the planning summary as of this turn, when ``load_bounded`` read the offers and the
        turn's changes to them can be folded in (a change to an offer it summed up cannot: the
        triggers of ``0016_planning_summary`` empty the summary, and the next reader builds it).
        The planner would write the very same text from the offers (``bot/scheduling/batch.py``)."""
        summed, now = self._summed, self._summed_at
        if summed is None or now is None:
            return
        changed = bool(offers or answers or removed)
        if not changed and self._summary_stored:
            return  # the stored one still plans exactly at any later instant
        kept = {o.id: o for o in summed.offers}
        for offer_id in removed:
            if kept.pop(offer_id, None) is None:
                return
        for offer_id, answer, answered_at in answers:
            if (answered := kept.get(offer_id)) is None:
                return
            kept[offer_id] = replace(answered, answer=answer, answered_at=answered_at)
        after = sorted((*kept.values(), *offers), key=lambda o: (o.offered_at, o.id))
        summary = encode(summarise(after, now, summed.earlier, library), now)
        if not changed:
            self._row.plan_summary = summary  # with the row's own update: no offer changes to wait for
            return
        # After the offers' own statements: their triggers empty the summary this replaces.
        await self.session.flush()
        people = PersonRow.__table__
        await self.session.execute(
            update(people).where(people.c.id == self.person_id).values(plan_summary=summary)
        )

    async def _remove_newest_activity(self, activity: Activity) -> None:
        # The same order as ``_history``: its last activity is this row.
        newest = await self.session.scalar(
            select(ActivityRow)
            .where(ActivityRow.person_id == self.person_id)
            .order_by(ActivityRow.at.desc(), ActivityRow.id.desc())
            .limit(1)
        )
        if newest is not None and newest.kind == activity.kind.value:
            await self.session.delete(newest)


class PersonLocks:
    """One ``asyncio.Lock`` per person while a unit holds or waits for it; none kept after that
    (the dictionary's values are weak, so a lock goes with its last holder)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def hold(self, person_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(person_id, asyncio.Lock())  # the local name keeps it alive
        async with lock:
            yield

    def __len__(self) -> int:
        return len(self._locks)


@asynccontextmanager
async def unit_of_work(
    database: Database,
    locks: PersonLocks,
    person_id: int,
    row_for: Callable[[AsyncSession], Awaitable[PersonRow]] | None = None,
) -> AsyncIterator[UnitOfWork]:
    """``row_for`` reads (and holds) the person's row in the unit's transaction; by default by id."""
    async with locks.hold(person_id), holding(database) as session:
        row = await (person_for_update(session, person_id) if row_for is None else row_for(session))
        yield UnitOfWork(session, row, database.is_sqlite)


@asynccontextmanager
async def holding(database: Database) -> AsyncIterator[AsyncSession]:
    """A transaction that holds what it reads until it ends, as a unit's does."""
    async with database.sessions.begin() as session:
        if database.is_sqlite:
            # Before any read: a deferred transaction would read first and could then find another
            # writer had committed in between (or fail to upgrade its lock at all).
            await session.execute(text("BEGIN IMMEDIATE"))
        # On PostgreSQL, a wait for the person's row is bounded by every connection's lock timeout
        # (``bot/store/database.py``), as SQLite's busy timeout bounds one for the write lock.
        yield session


async def person_for_update(session: AsyncSession, person_id: int) -> PersonRow:
    """The row, locked on PostgreSQL so two writers of one person queue rather than interleave."""
    # With the planning summary (deferred for every other read): a turn reads its offers from it.
    query = (
        select(PersonRow)
        .where(PersonRow.id == person_id)
        .options(undefer(PersonRow.plan_summary))
        .with_for_update()
    )
    row = (await session.scalars(query)).first()
    if row is None:
        raise UnknownPerson(person_id)
    return row


async def load_person(
    session: AsyncSession, person_id: int, since: datetime | None
) -> tuple[Person, History]:
    """A read without holding anyone (what a map or a form shows; never saved back)."""
    row = await session.get(PersonRow, person_id)
    if row is None:
        raise UnknownPerson(person_id)
    return person_from_row(row), await _history(session, person_id, since)


async def active_content(session: AsyncSession, now: datetime) -> tuple[ContentItem, ...]:
    """The content not withdrawn nor expired at ``now``, oldest first: every turn reads it, so as
    plain rows of a statement built once (building it each time cost more than running it)."""
    rows = await session.execute(_active_content_query(), {"now": now})
    return tuple(content_from_row(row) for row in rows)


@cache
def _active_content_query() -> Select[Any]:
    c = ContentItemRow.__table__.c
    now = bindparam("now", type_=c.expires_at.type)
    return (
        select(*c)
        .where(or_(c.expires_at.is_(None), c.expires_at > now), c.withdrawn_at.is_(None))
        .order_by(c.created_at, c.id)
    )


async def _history(session: AsyncSession, person_id: int, since: datetime | None) -> History:
    offers = (
        select(OfferRow).where(OfferRow.person_id == person_id).order_by(OfferRow.offered_at, OfferRow.id)
    )
    activities = (
        select(ActivityRow).where(ActivityRow.person_id == person_id).order_by(ActivityRow.at, ActivityRow.id)
    )
    if since is not None:
        offers = offers.where(OfferRow.offered_at >= since)
        activities = activities.where(ActivityRow.at >= since)
    return History(
        offers=tuple(offer_from_row(o) for o in await session.scalars(offers)),
        activities=tuple(activity_from_row(a) for a in await session.scalars(activities)),
    )


def _decoded(stored: str | None) -> History | None:
    """The summary's history; None for one that cannot be read (a hand-edited row): the turn reads
    the offers instead and writes a good summary back, rather than failing every turn of the person."""
    try:
        return None if stored is None else decode(stored)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


# A turn's reads of a bounded history are built once (per backend), with the person and the instant
# as parameters, and on the tables rather than the mapped classes: plain rows, no ORM compilation.
_OFFERS = OfferRow.__table__.c
_ACTIVITIES = ActivityRow.__table__.c


@cache
def _offers_query() -> Select[Any]:
    return (
        select(
            _OFFERS.id, _OFFERS.key, _OFFERS.kind, _OFFERS.category, _OFFERS.company,
            _OFFERS.offered_at, _OFFERS.answer, _OFFERS.answered_at,
        )
        .where(_OFFERS.person_id == bindparam("person_id"))
        .order_by(_OFFERS.offered_at, _OFFERS.id)
    )  # fmt: skip


async def _offers(session: AsyncSession, person_id: int) -> list[Offer]:
    """Every offer of the person, oldest first, as plain rows (no ORM objects: a year is a hundred)."""
    return [
        offer_from_values(*row) for row in await session.execute(_offers_query(), {"person_id": person_id})
    ]


@cache
def _activities_query(is_sqlite: bool) -> CompoundSelect[Any]:
    """The recent activities (kind, at, note, id, 0) one by one, then the older ones as (kind, None,
    None, None, count) per kind and ("", None, None, None, their distinct weeks)."""
    a = _ACTIVITIES
    mine, since = a.person_id == bindparam("person_id"), bindparam("since", type_=UTCDateTime())
    older = and_(mine, a.at < since)
    if is_sqlite:  # stored as naive UTC text: back six days, then forward to a Monday
        week: ColumnElement[Any] = func.date(a.at, "-6 days", "weekday 1")
    else:
        week = func.date_trunc("week", func.timezone("UTC", a.at))
    return union_all(
        select(a.kind, a.at, a.note, a.id, literal(0)).where(mine, a.at >= since),
        select(a.kind, null(), null(), null(), func.count()).where(older).group_by(a.kind),
        select(literal(""), null(), null(), null(), func.count(distinct(week))).where(older),
    )


async def _activities(
    session: AsyncSession, person_id: int, now: datetime, is_sqlite: bool
) -> tuple[tuple[Activity, ...], Logged]:
    """Activities since ``activities_kept_since(now)``, oldest first, and the older ones summed up
    (``Logged``; weeks as ``nudges.progression.steady_weeks`` counts them: Monday to Sunday, UTC),
    in one statement."""
    parameters = {"person_id": person_id, "since": activities_kept_since(now)}
    recent: list[tuple[Any, ...]] = []
    kinds: list[tuple[ActivityKind, int]] = []
    weeks = 0
    for kind, at, note, row_id, n in await session.execute(_activities_query(is_sqlite), parameters):
        if row_id is not None:
            recent.append((at, row_id, kind, note))
        elif kind:
            kinds.append((ActivityKind(kind), n))
        else:
            weeks = n
    recent.sort(key=lambda r: (r[0], r[1]))  # as ``_history`` orders them: (at, id)
    logged = Logged(sum(n for _, n in kinds), tuple(kinds), weeks) if kinds else Logged()
    return tuple(activity_from_values(kind, at, note) for at, _, kind, note in recent), logged
