"""One person's state, read and written in one transaction that holds them: the unit of a turn.

A turn reads a person, decides, and writes what it decided. Two turns of one person at the same
moment (two messages, a button and a message, two replicas) must not both decide on the same state,
or the later write puts back what the earlier one changed ("pause 7" answered while
``paused_until`` stayed empty). So a unit holds the person from its first read to its commit:

- in this process, an ``asyncio.Lock`` per person, so turns queue here without tying up a
  connection each while they wait for the database;
- on PostgreSQL, the person's row ``FOR UPDATE`` (others wait, up to ``LOCK_WAIT_MS``);
- on SQLite, which has no row locks, the database's one write lock, taken before the first read
  (``BEGIN IMMEDIATE``; others wait up to the busy timeout, the same ``LOCK_WAIT_MS``).

Everything the turn reads (content included) goes through the unit's one session: a turn that held
a connection while asking the pool for a second could starve the pool under load.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.database import LOCK_WAIT_MS, Database
from bot.store.mapping import (
    activity_from_row,
    activity_row,
    apply_person,
    content_from_row,
    offer_from_row,
    offer_row,
    person_from_row,
)
from bot.store.models import ActivityRow, ContentItemRow, ContentShareRow, OfferRow, PersonRow
from bot.store.org import owned_after
from nudges.activities import Activity
from nudges.dialogue import Share
from nudges.library import ContentItem
from nudges.messages import Answer
from nudges.person import History, Offer, Person


class UnknownPerson(LookupError):
    pass


class UnitOfWork:
    """One person held for one transaction: load, decide (outside, in the pure engine), save.

    Open one with ``Store.unit_of_work(person_id)``; it commits when the block ends without an
    error and rolls back otherwise."""

    def __init__(self, session: AsyncSession, row: PersonRow) -> None:
        self.session = session
        self.person_id = row.id
        self._row = row

    async def load(self, since: datetime | None = None) -> tuple[Person, History]:
        """The person with their offers and activities (all, or at or after ``since``), oldest first."""
        return person_from_row(self._row), await _history(self.session, self.person_id, since)

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
    ) -> None:
        """Apply what the engine decided. Answers to unknown offers are ignored.

        ``timezone_chosen``: the person set their time zone themselves, so no platform's guess
        replaces it from now on. ``removed``: an undo of the person's newest activity (it must still
        be the newest, of that kind: the row is held, so it is unless history was edited meanwhile),
        with ``removed_offers``, the celebrations it brought."""
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
    async with locks.hold(person_id), database.sessions.begin() as session:
        if database.is_sqlite:
            # Before any read: a deferred transaction would read first and could then find another
            # writer had committed in between (or fail to upgrade its lock at all).
            await session.execute(text("BEGIN IMMEDIATE"))
        else:
            # Bounded like SQLite's busy timeout: a stuck holder surfaces as an error, not a hang.
            await session.execute(text(f"SET LOCAL lock_timeout = {LOCK_WAIT_MS}"))
        row = await (person_for_update(session, person_id) if row_for is None else row_for(session))
        yield UnitOfWork(session, row)


async def person_for_update(session: AsyncSession, person_id: int) -> PersonRow:
    """The row, locked on PostgreSQL so two writers of one person queue rather than interleave."""
    query = select(PersonRow).where(PersonRow.id == person_id).with_for_update()
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
    query = (
        select(ContentItemRow)
        .where(or_(ContentItemRow.expires_at.is_(None), ContentItemRow.expires_at > now))
        .where(ContentItemRow.withdrawn_at.is_(None))
        .order_by(ContentItemRow.created_at, ContentItemRow.id)
    )
    return tuple(content_from_row(row) for row in await session.scalars(query))


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
