"""The store: the one port through which services read and write state. Every method is a transaction.

A turn holds its person in a unit of work (``Store.unit_of_work``): it loads them with their
history, hands both to the pure engine, and saves what the engine decided before letting go, so a
person's state and the history that justifies it never disagree, and two turns never write over
each other.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import CursorResult, Select, bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.store.database import Database
from bot.store.mapping import Identity, content_from_row, content_row, identity_from_row
from bot.store.models import IS_SHARE_OFFER, ContentItemRow, IdentityRow, OfferRow, OrgSettingRow, PersonRow
from bot.store.org import org_defaults
from bot.store.summary import INSTANT_DIGITS, INSTANT_FROM, instant_digits
from bot.store.unit_of_work import (
    PersonLocks,
    UnitOfWork,
    active_content,
    holding,
    load_person,
    unit_of_work,
)
from bot.store.unit_of_work import UnknownPerson as UnknownPerson  # where callers have found it
from nudges.activities import Activity
from nudges.dialogue import Share
from nudges.events import PersonRef
from nudges.library import ContentItem
from nudges.messages import Answer
from nudges.person import History, Offer, Person

# People whose person id this process remembers by platform identity (oldest forgotten first).
KNOWN_KEPT = 100_000
# Each lost race (person insert, identity insert, email update) costs one retry; five leaves margin.
ENSURE_ATTEMPTS = 5
# Changes (to a new random token) whenever an ended item is brought back: a tick reads it before its
# library and writes no summary if it changed meanwhile (``bot/scheduling/sql.py``).
REVIVED_SETTING = "content_revived"
_CONTENT_FIELDS = (
    "title", "url", "topics", "texts", "zones", "company", "expires_at", "summary", "teams", "starts_at",
    "variants", "follow",
)  # fmt: skip


class Reach(NamedTuple):
    email: str
    name: str
    platforms: tuple[str, ...]  # where an address is stored ("slack", "teams")
    unreachable_at: datetime | None
    left_at: datetime | None = None  # a full roster no longer lists them (erased after RETENTION_DAYS)


HOLIDAYS_SETTING = "holidays"  # org setting: sorted ISO dates on which proactive nudges are held


class _StaleIdentity(LookupError):
    """The identity no longer leads to the person this process remembered for it."""


class Store:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._locks = PersonLocks()  # this process's turns of one person queue here
        # (platform, user id) -> person id, for people this process met: a known person's turn then
        # finds and updates them inside its one unit of work, not in a transaction of its own first.
        self._known: OrderedDict[tuple[str, str], int] = OrderedDict()
        # Identities a lookup just found nobody behind (a platform adapter asks before a first turn):
        # that turn goes straight to creating them, and a link made meanwhile fails its insert and
        # sends it back to the lookup.
        self._unseen: OrderedDict[tuple[str, str], bool] = OrderedDict()

    # People and identities -------------------------------------------------------------------

    async def find_person_id(self, ref: PersonRef) -> int | None:
        """By platform identity; else by email, linking the identity so the next lookup is direct."""
        # The common case in one Core statement (a Slack turn asks for every new sender): no session.
        row = await self.database.run(_person_of_identity(), _identity_of(ref))
        if row is not None:
            return int(row[0])
        if ref.email:
            try:  # by email: the identity was not there a moment ago (linked meanwhile: the except)
                async with self.database.sessions.begin() as session:
                    person = await _person_by_email(session, ref.email)
                    if person is not None:
                        session.add(_new_identity(person.id, ref, None, None))
                        return person.id
            except IntegrityError:  # a concurrent lookup linked the identity first: it is there now
                row = await self.database.run(_person_of_identity(), _identity_of(ref))
                return None if row is None else int(row[0])
        self._not_found(ref)  # nobody: a turn of theirs that follows creates them
        return None

    async def profile_gaps(self, ref: PersonRef) -> bool | None:
        """Whether the person of ``ref``'s platform identity lacks what a platform profile tells (an
        email: their key is a placeholder; a name; a time zone other than the default); None when
        no person has that identity. One Core statement: a platform adapter asks before every turn
        of someone it has not seen complete yet."""
        found = await self.database.run(_profile_of_identity(), _identity_of(ref))
        if found is None:
            self._not_found(ref)
            return None
        email, name, timezone = found
        return is_placeholder(email) or not name or _default_zone(timezone)

    async def ensure_person(self, ref: PersonRef, address: str | None, now: datetime) -> int:
        """Find or create the person behind ``ref`` and remember how to reach them.

        Two first messages from a new person may race; the loser hits a unique constraint and
        simply retries, finding what the winner created.
        """
        for attempt in range(ENSURE_ATTEMPTS):
            try:
                async with self.database.sessions.begin() as session:
                    person_id = await _ensure_person(session, ref, address, now)
                self._remember(ref, person_id)
                return person_id
            except IntegrityError:
                if attempt == ENSURE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def person_row_by_email(self, email: str) -> PersonRow | None:
        async with self.database.sessions.begin() as session:
            return await _person_by_email(session, email)

    async def address_of(self, person_id: int, platform: str) -> str | None:
        """The most recently updated address on ``platform``, if the person is reachable there."""
        query = (
            select(IdentityRow.address)
            .where(IdentityRow.person_id == person_id, IdentityRow.platform == platform)
            .where(IdentityRow.address.is_not(None))
            .order_by(IdentityRow.updated_at.desc(), IdentityRow.id.desc())
        )
        async with self.database.sessions.begin() as session:
            return (await session.scalars(query.limit(1))).first()

    async def identities(self, person_id: int) -> tuple[Identity, ...]:
        query = select(IdentityRow).where(IdentityRow.person_id == person_id).order_by(IdentityRow.id)
        async with self.database.sessions.begin() as session:
            return tuple(identity_from_row(row) for row in await session.scalars(query))

    async def workspace_gone(
        self,
        platform: str,
        tenants: Collection[str],
        now: datetime,
        still_there: Collection[str] | None = None,
    ) -> int:
        """The app was removed from a workspace: everyone known there *and nowhere else* is
        unreachable, so planning skips them until they are heard from again or the app is installed
        there again. Someone with an identity elsewhere (another platform, or another workspace of
        ``platform``: one in ``still_there`` when the adapter knows where the app is still installed)
        stays reachable, and the gone workspace's addresses are forgotten so their nudges go there."""
        gone = (IdentityRow.platform == platform) & IdentityRow.tenant.in_(tenants)
        there = select(IdentityRow.person_id).where(gone)
        other = (IdentityRow.platform != platform) | (
            IdentityRow.tenant.in_(still_there)
            if still_there is not None
            else ~IdentityRow.tenant.in_(tenants)
        )
        elsewhere = select(IdentityRow.person_id).where(other, ~gone)
        mark = (
            update(PersonRow)
            .where(
                PersonRow.id.in_(there), PersonRow.id.not_in(elsewhere), PersonRow.unreachable_at.is_(None)
            )
            .values(unreachable_at=now)
        )
        forget = (
            update(IdentityRow)
            .where(gone, IdentityRow.person_id.in_(elsewhere), IdentityRow.address.is_not(None))
            .values(address=None)
        )
        async with self.database.sessions.begin() as session:
            await session.execute(forget)
            return cast("CursorResult[Any]", await session.execute(mark)).rowcount

    async def workspace_back(self, platform: str, tenants: Collection[str]) -> int:
        """The app was installed in a workspace (again): everyone known there is worth a try from the
        next tick. Whoever is gone for another reason (left the company) is found so at the next send."""
        there = select(IdentityRow.person_id).where(
            IdentityRow.platform == platform, IdentityRow.tenant.in_(tenants)
        )
        query = (
            update(PersonRow)
            .where(PersonRow.id.in_(there), PersonRow.unreachable_at.is_not(None))
            .values(unreachable_at=None, next_due_at=None)
        )
        async with self.database.sessions.begin() as session:
            return cast("CursorResult[Any]", await session.execute(query)).rowcount

    async def person_gone(self, platform: str, user_id: str, now: datetime) -> bool:
        """One person removed the app (Teams' personal uninstall): like ``workspace_gone`` for them
        alone. They are reachable again as soon as they are heard from (``ensure_person``)."""
        there = select(IdentityRow.person_id).where(
            IdentityRow.platform == platform, IdentityRow.user_id == user_id
        )
        query = (
            update(PersonRow)
            .where(PersonRow.id.in_(there), PersonRow.unreachable_at.is_(None))
            .values(unreachable_at=now)
        )
        async with self.database.sessions.begin() as session:
            return bool(cast("CursorResult[Any]", await session.execute(query)).rowcount)

    # A person's state and history ------------------------------------------------------------

    @asynccontextmanager
    async def turn(self, ref: PersonRef, address: str | None, now: datetime) -> AsyncIterator[UnitOfWork]:
        """A unit of work on the person behind ``ref``, found or created as ``ensure_person`` does.

        Someone this process has met is found, updated (address, what the platform says) and held in
        the unit's one transaction. Anyone else is looked for in a transaction that holds them: if
        they are new, they are created and their first turn runs in that same transaction (nobody
        can know of them before it commits, and they have no history to read); if they are found,
        that transaction commits what the platform told and their turn is a unit of its own, queued
        behind this process's other units of theirs. Two first messages from someone new race to
        insert them, and the loser retries, finding what the winner created."""
        key = (ref.platform, ref.user_id)
        person_id = self._known.get(key)
        if person_id is not None:

            async def row_for(session: AsyncSession) -> PersonRow:
                row = await _ensure_person_row(session, ref, address, now)
                if row.id != person_id:
                    raise _StaleIdentity(key)
                return row

            try:
                unit = unit_of_work(self.database, self._locks, person_id, row_for)
                entered = await unit.__aenter__()
            except _StaleIdentity:
                self._known.pop(key, None)
            else:
                try:
                    yield entered
                except BaseException as error:
                    if not await unit.__aexit__(type(error), error, error.__traceback__):
                        raise
                else:
                    await unit.__aexit__(None, None, None)
                return
        for attempt in range(ENSURE_ATTEMPTS):
            transaction = holding(self.database)
            session = await transaction.__aenter__()
            try:
                # Once: after a failed insert (someone linked them meanwhile) the lookup runs again.
                unseen = self._unseen.pop(key, False)
                row, created = await _find_or_create(session, ref, address, now, unseen=unseen)
            except BaseException as error:
                await transaction.__aexit__(type(error), error, error.__traceback__)  # rolls back
                if isinstance(error, IntegrityError) and attempt < ENSURE_ATTEMPTS - 1:
                    continue
                raise
            if not created:
                await transaction.__aexit__(None, None, None)
                self._remember(ref, row.id)
                async with self.unit_of_work(row.id) as found:
                    yield found
                return
            try:
                yield UnitOfWork(session, row, self.database.is_sqlite, created=True)
            except BaseException as error:
                if not await transaction.__aexit__(type(error), error, error.__traceback__):
                    raise
            else:
                await transaction.__aexit__(None, None, None)
                self._remember(ref, row.id)  # only once they exist for others too
            return
        raise AssertionError("unreachable")

    def _not_found(self, ref: PersonRef) -> None:
        self._unseen[(ref.platform, ref.user_id)] = True
        if len(self._unseen) > KNOWN_KEPT:
            self._unseen.popitem(last=False)

    def _remember(self, ref: PersonRef, person_id: int) -> None:
        self._known[(ref.platform, ref.user_id)] = person_id
        self._known.move_to_end((ref.platform, ref.user_id))
        if len(self._known) > KNOWN_KEPT:
            self._known.popitem(last=False)

    def unit_of_work(self, person_id: int) -> AbstractAsyncContextManager[UnitOfWork]:
        """Hold the person for one transaction: what a turn loads, decides on and saves, nobody else
        changes in between (``bot/store/unit_of_work.py``). ``UnknownPerson`` if there is none."""
        return unit_of_work(self.database, self._locks, person_id)

    def hold(self, person_id: int) -> AbstractAsyncContextManager[None]:
        """This process's turn of the person, without a transaction: for work done in its own
        (erasing them), so it never runs in the middle of one of their turns here."""
        return self._locks.hold(person_id)

    async def load(self, person_id: int, since: datetime) -> tuple[Person, History]:
        """The person with offers and activities at or after ``since``, oldest first. A read to show
        or check something: a change to save goes through ``unit_of_work``, which loads it held."""
        async with self.database.sessions.begin() as session:
            return await load_person(session, person_id, since)

    async def load_all(self, person_id: int) -> tuple[Person, History]:
        async with self.database.sessions.begin() as session:
            return await load_person(session, person_id, None)

    async def planning_summary(self, person_id: int) -> str | None:
        """The person's planning summary as stored (``bot/store/summary.py``); None when emptied."""
        async with self.database.sessions.begin() as session:
            return await session.scalar(select(PersonRow.plan_summary).where(PersonRow.id == person_id))

    async def next_due_at(self, person_id: int) -> datetime | None:
        """When the scheduler means to look at this person next (None: at its next tick)."""
        async with self.database.sessions.begin() as session:
            return await session.scalar(select(PersonRow.next_due_at).where(PersonRow.id == person_id))

    async def save(
        self,
        person_id: int,
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
    ) -> None:
        """A unit of work that only saves (see ``UnitOfWork.save``): for state decided without
        reading it first, such as a person set up by a tool or a test."""
        async with self.unit_of_work(person_id) as unit:
            await unit.save(
                person,
                activities=activities,
                offers=offers,
                answers=answers,
                activity_source=activity_source,
                started_at=started_at,
                timezone_chosen=timezone_chosen,
                shares=shares,
                now=now,
            )

    async def forget_unseen_offers(self, offer_ids: Collection[str]) -> int:
        """Offers a reply carried that never reached the person (the platform refused the message):
        forgotten, so they count neither toward the cap nor as ignored. One already answered, or
        already sent somewhere (a message id), is kept."""
        if not offer_ids:
            return 0
        query = delete(OfferRow).where(
            OfferRow.id.in_(list(offer_ids)), OfferRow.answer.is_(None), OfferRow.message_ref.is_(None)
        )
        async with self.database.sessions.begin() as session:
            return cast("CursorResult[Any]", await session.execute(query)).rowcount

    async def set_message_ref(self, offer_id: str, platform: str, message_ref: str) -> None:
        async with self.database.sessions.begin() as session:
            await session.execute(
                update(OfferRow)
                .where(OfferRow.id == offer_id)
                .values(platform=platform, message_ref=message_ref)
            )

    async def reachability(self) -> list[Reach]:
        """Everyone, with the platforms that hold an address for them and when delivery last found
        them unreachable: ``journeybot people --unreachable`` reports rather than skips silently."""
        people = select(
            PersonRow.id, PersonRow.email, PersonRow.name, PersonRow.unreachable_at, PersonRow.left_at
        )
        reachable = select(IdentityRow.person_id, IdentityRow.platform).where(
            IdentityRow.address.is_not(None), IdentityRow.platform.in_(("slack", "teams"))
        )
        async with self.database.sessions.begin() as session:
            platforms: dict[int, set[str]] = {}
            for person_id, platform in await session.execute(reachable):
                platforms.setdefault(person_id, set()).add(platform)
            rows = (await session.execute(people.order_by(PersonRow.email))).all()
        return [
            Reach(email, name, tuple(sorted(platforms.get(pid, ()))), at, left)
            for pid, email, name, at, left in rows
        ]

    # Content and settings --------------------------------------------------------------------

    async def active_content(self, now: datetime) -> tuple[ContentItem, ...]:
        async with self.database.sessions.begin() as session:
            return await active_content(session, now)

    async def list_content(self) -> list[ContentItem]:
        query = select(ContentItemRow).order_by(ContentItemRow.created_at, ContentItemRow.id)
        async with self.database.sessions.begin() as session:
            return [content_from_row(row) for row in await session.scalars(query)]

    async def upsert_content(
        self, items: Iterable[ContentItem], created_by: str | None = None
    ) -> tuple[list[str], list[str]]:
        """Insert new items, update known ones by id, in one transaction; an existing item keeps its
        ``created_at`` (and a withdrawn one stays withdrawn). Returns the ids added and updated, so
        the caller can say which items a file replaced: nothing is replaced silently."""
        added: list[str] = []
        updated: list[str] = []
        revived: list[tuple[str, datetime]] = []  # (key, end before) of items that may be live again
        async with self.database.sessions.begin() as session:
            for item in items:
                fresh = content_row(item)
                existing = await session.get(ContentItemRow, item.id)
                if existing is None:
                    fresh.created_by = created_by
                    session.add(fresh)
                    added.append(item.id)
                    continue
                if _brought_back(existing, fresh, item.created_at):
                    assert existing.expires_at is not None  # what _brought_back looked at
                    revived.append((f"content:{item.id}", existing.expires_at))
                for field in _CONTENT_FIELDS:
                    setattr(existing, field, getattr(fresh, field))
                existing.updated_at = item.created_at
                updated.append(item.id)
            if revived:  # a tick planning now must not write the summaries it made without them
                await _put_setting(session, self.database.is_sqlite, REVIVED_SETTING, secrets.token_hex(8))
            for key, ended in revived:
                # Planning summaries written once an item had ended leave it out (``compact``): everyone
                # offered it whose summary is that recent has theirs built again from their offers,
                # which hold it. A summary starts with the instant it was written (``INSTANT_FROM``).
                # Every row of theirs is written, so that on PostgreSQL this waits for a tick holding
                # one and then judges the summary it wrote (a tick that writes later sees the new
                # ``REVIVED_SETTING``: ``Batches._content_as_read``).
                offered = select(OfferRow.person_id).where(IS_SHARE_OFFER, OfferRow.key == key)
                since_ended = func.substr(
                    PersonRow.plan_summary, INSTANT_FROM, INSTANT_DIGITS
                ) >= instant_digits(ended)
                await session.execute(
                    update(PersonRow)
                    .where(PersonRow.id.in_(offered))
                    .values(plan_summary=case((since_ended, None), else_=PersonRow.plan_summary))
                )
        return added, updated

    async def add_content(self, item: ContentItem, created_by: str | None) -> ContentItem | None:
        """Insert a new item; an item already stored under its id is left alone and returned, so a
        form can say so instead of replacing it."""
        try:
            async with self.database.sessions.begin() as session:
                existing = await session.get(ContentItemRow, item.id)
                if existing is not None:
                    return content_from_row(existing)
                fresh = content_row(item)
                fresh.created_by = created_by
                session.add(fresh)
        except IntegrityError:  # two forms with the same id at the same moment: the other one won
            async with self.database.sessions.begin() as session:
                existing = await session.get(ContentItemRow, item.id)
                return content_from_row(existing) if existing is not None else item
        return None

    async def holidays(self) -> frozenset[date]:
        """The organisation's holidays (``journeybot calendar import``): no proactive nudge on them."""
        return frozenset(date.fromisoformat(d) for d in await self.get_setting(HOLIDAYS_SETTING, None) or ())

    async def set_holidays(self, days: Iterable[date]) -> None:
        await self.set_setting(HOLIDAYS_SETTING, sorted(d.isoformat() for d in days))

    async def get_setting(self, key: str, default: Any = None) -> Any:
        async with self.database.sessions.begin() as session:
            row = await session.get(OrgSettingRow, key)
            return default if row is None else row.value

    async def set_setting(self, key: str, value: Any) -> None:
        async with self.database.sessions.begin() as session:
            await _put_setting(session, self.database.is_sqlite, key, value)


async def _put_setting(session: AsyncSession, is_sqlite: bool, key: str, value: Any) -> None:
    """Insert or replace one org setting in one statement: two writers of a new key at once (a
    content import and an admin command, two replicas) cannot both insert it."""
    insert = (sqlite.insert if is_sqlite else postgresql.insert)(OrgSettingRow).values(key=key, value=value)
    await session.execute(
        insert.on_conflict_do_update(index_elements=["key"], set_={"value": insert.excluded.value})
    )


async def _ensure_person(session: AsyncSession, ref: PersonRef, address: str | None, now: datetime) -> int:
    return (await _ensure_person_row(session, ref, address, now)).id


async def _ensure_person_row(
    session: AsyncSession, ref: PersonRef, address: str | None, now: datetime
) -> PersonRow:
    return (await _find_or_create(session, ref, address, now))[0]


def _brought_back(existing: ContentItemRow, fresh: ContentItemRow, at: datetime | None) -> bool:
    """Whether an update at ``at`` (the import's instant; None: unknown) makes an item that had ended
    live again: a later end, or none. Extending an item still live changes no summary (none has left
    it out), and a withdrawn item stays withdrawn."""
    if existing.withdrawn_at is not None or existing.expires_at is None:
        return False
    if at is not None and existing.expires_at > at:
        return False  # still live
    return fresh.expires_at is None or fresh.expires_at > existing.expires_at


async def _find_or_create(
    session: AsyncSession, ref: PersonRef, address: str | None, now: datetime, *, unseen: bool = False
) -> tuple[PersonRow, bool]:
    """The person behind ``ref`` (found by identity, else by email) or a new one; whether it is new.
    ``unseen``: a lookup just found no identity, so it is not looked for again; if one was made
    meanwhile, inserting it fails (``IntegrityError``) and the caller starts again without this."""
    created = False
    # Their identity and their row (held, as ``person_for_update`` holds it) in one statement.
    found = None if unseen else (await session.execute(_identity_and_person(), _identity_of(ref))).first()
    person: PersonRow | None
    if found is not None:
        identity, person = found
        if address is not None and identity.address != address:
            identity.address = address
            identity.updated_at = now
        if ref.tenant and identity.tenant != ref.tenant:
            identity.tenant = ref.tenant
        if ref.email and is_placeholder(person.email) and await _person_by_email(session, ref.email) is None:
            person.email = person_key(ref.email)  # the platform told us who they are at last
    else:
        placeholder = f"{ref.platform}:{ref.user_id}"
        person = await _person_by_email(session, ref.email or placeholder)
        if person is None:
            person = PersonRow(email=person_key(ref.email or placeholder), name=ref.name, created_at=now)
            for column, value in (await org_defaults(session)).columns().items():
                setattr(person, column, value)  # the organisation's window and cap, until they choose
            _learn_from_ref(person, ref)  # before the insert: written once, not inserted then updated
            session.add(person)
            await session.flush()
            created = True
        session.add(_new_identity(person.id, ref, address, now))
    if not created:  # a new row learnt it before its insert
        _learn_from_ref(person, ref)
    if person.unreachable_at is not None:
        # They wrote, pressed or reinstalled: reachable again, and planned for again from the next tick.
        # The row is already loaded, so this adds no query; the UPDATE is only emitted for a comeback.
        person.unreachable_at = None
        person.next_due_at = None
    await session.flush()
    return person, created


def person_key(email: str) -> str:
    """Emails compare case-insensitively, so they are stored lower-case; platform user ids keep theirs."""
    email = email.strip()
    return email.lower() if "@" in email else email


def is_placeholder(email: str) -> bool:
    """True for the ``slack:U123`` keys of people first seen on a platform that gave no email."""
    return "@" not in email


def _learn_from_ref(person: PersonRow, ref: PersonRef) -> None:
    """Fill in what the platform knows and we do not; never overwrite what the roster or the person
    chose (UTC included: it is a real choice, not only the default)."""
    if ref.name and not person.name:
        person.name = ref.name
    if (
        ref.timezone
        and not person.timezone_explicit
        and _default_zone(person.timezone)
        and _is_timezone(ref.timezone)
    ):
        person.timezone = ref.timezone


def _default_zone(timezone: str | None) -> bool:
    """The zone a record has until someone says or a platform tells (UTC is the column's default;
    None: a new row before its insert, which sets it)."""
    return timezone in (None, "", "UTC")


def _is_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _new_identity(person_id: int, ref: PersonRef, address: str | None, now: datetime | None) -> IdentityRow:
    identity = IdentityRow(
        person_id=person_id, platform=ref.platform, tenant=ref.tenant, user_id=ref.user_id, address=address
    )
    if now is not None:
        identity.updated_at = now
    return identity


@cache
def _identity_and_person() -> Select[IdentityRow, PersonRow]:
    """An identity by (platform, user id) and its person's row, held on PostgreSQL (``FOR UPDATE OF
    people``), with the planning summary a turn reads its offers from."""
    return (
        select(IdentityRow, PersonRow)
        .join(PersonRow, PersonRow.id == IdentityRow.person_id)
        .where(IdentityRow.platform == bindparam("platform"), IdentityRow.user_id == bindparam("user_id"))
        .options(undefer(PersonRow.plan_summary))
        .with_for_update(of=PersonRow)
    )


@cache
def _person_of_identity() -> Select[int]:
    identities = IdentityRow.__table__.c
    return select(identities.person_id).where(
        identities.platform == bindparam("platform"), identities.user_id == bindparam("user_id")
    )


@cache
def _profile_of_identity() -> Select[str, str, str]:
    identities, people = IdentityRow.__table__.c, PersonRow.__table__.c
    return (
        select(people.email, people.name, people.timezone)
        .join_from(IdentityRow.__table__, PersonRow.__table__, people.id == identities.person_id)
        .where(identities.platform == bindparam("platform"), identities.user_id == bindparam("user_id"))
    )


def _identity_of(ref: PersonRef) -> dict[str, str]:
    return {"platform": ref.platform, "user_id": ref.user_id}


async def _person_by_email(session: AsyncSession, email: str) -> PersonRow | None:
    return (await session.scalars(_person_of_email(), {"email": person_key(email)})).first()


@cache
def _person_of_email() -> Select[PersonRow]:
    """Built once: a new person's first turn looks for them by email, and building a statement
    costs about what running it does."""
    return select(PersonRow).where(PersonRow.email == bindparam("email"))
