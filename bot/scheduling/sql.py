"""The planner's reads and writes: plain SQL through the driver, a handful of statements per batch.

Planning touches every due person of an organisation every tick (100,000 in the benchmark), so its
statements bypass SQLAlchemy's per-value type processing: rows come back as the driver's tuples, and
``bot/scheduling/batch.py`` converts what it uses; rows go in as tuples (SQLite: ``executemany``, in-process
and cheap) or, on PostgreSQL, where ``executemany`` costs a statement per row, as one binary array
per column through ``unnest`` (the keys to check as one JSON document). Everything else in the bot
goes through the ORM; the schema is Alembic's, and the tests run these statements on both backends.

A batch is claimed, planned (maybe in another process) and written; meanwhile the tick claims the
next batches. How the write knows its people are still as the claim read them differs by backend:

- **PostgreSQL**: the claim's transaction stays open, holding the people ``FOR UPDATE`` (picked with
  ``SKIP LOCKED``, so replicas claiming at the same instant take different people); the write
  commits it. A conversation with one of them waits for that commit (a fraction of a second).
- **SQLite** has one writer at a time, so a transaction cannot stay open while others write. The
  claim only reads (and remembers each person's ``next_due_at`` and ``updated_at``); the write takes
  the write lock first (``BEGIN IMMEDIATE``) and keeps only the people those two still match:
  someone who changed meanwhile (``UnitOfWork.save`` clears ``next_due_at``; every ORM update moves
  ``updated_at``), was planned by another process, opted out or became unreachable is left to the
  next tick, and nothing planned for them is kept. A planner that dies leaves nothing behind.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.observability.metrics import NUDGES
from bot.scheduling.batch import (
    POSTGRESQL,
    SUMMARY,
    BatchRows,
    Dialect,
    Planned,
    PlannedDelivery,
    by_person,
    dialect_of,
)
from bot.store.store import REVIVED_SETTING
from bot.store.summary import usable
from nudges.selection import activities_read_since

# The columns ``plan_batch.plan_rows`` reads of a person, in its order: {j} casts JSON to its text,
# {t}…{u} wraps a timestamp (see ``Batches.stamp``).
_PERSON = (
    "id, team, {t}introduced_at{u}, {t}started_at{u}, email, name, zone, networks{j}, topics{j}, timezone, "
    "work_days{j}, work_start, work_end, quiet_start, quiet_end, weekly_cap, {t}paused_until{u}, "
    "retired_kinds{j}, pending_question, {t}onboarded_at{u}, opted_out, roles{j}, milestones{j}, plan_summary"
)
_DUE = "unreachable_at IS NULL AND left_at IS NULL AND (next_due_at IS NULL OR next_due_at <= {m})"


def _planned(deliveries: list[PlannedDelivery]) -> int:
    """Count what a committed write planned, per kind of nudge, for the metrics; how many."""
    kinds = Counter(d[4] for d in deliveries)
    for kind, count in kinds.items():
        NUDGES.labels(kind, "planned").inc(count)
    return len(deliveries)


@dataclass
class Claim:
    ids: list[int]
    rows: BatchRows
    seen: dict[int, tuple[Any, Any, bool]] = field(default_factory=dict)  # SQLite: what the claim read
    connection: AsyncConnection | None = None  # PostgreSQL: the open transaction holding them


class _Driver:
    """The driver's own async connection (aiosqlite's or psycopg's) inside SQLAlchemy's transaction."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    @classmethod
    async def of(cls, connection: AsyncConnection) -> _Driver:
        return cls((await connection.get_raw_connection()).driver_connection)

    async def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = await self.driver.execute(sql, parameters)
        try:
            rows: list[tuple[Any, ...]] = await cursor.fetchall()  # both drivers fetch tuples
            return rows
        finally:
            await cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        await (await self.driver.execute(sql, parameters)).close()

    async def execute_many(self, sql: str, rows: list[Any]) -> None:
        await (await self.driver.executemany(sql, rows)).close()


class Batches(ABC):
    """Claims and writes planning batches on one backend."""

    mark = "?"  # the driver's placeholder
    # How a timestamp column is read: SQLite's text as it is; PostgreSQL's as microseconds since the
    # epoch, an integer, which the driver makes and pickle carries far cheaper than aware datetimes.
    stamp_around = ("", "")
    json_text = ""

    def person_columns(self) -> str:
        return _PERSON.format(j=self.json_text, t=self.stamp_around[0], u=self.stamp_around[1])

    def stamp(self, column: str) -> str:
        return f"{self.stamp_around[0]}{column}{self.stamp_around[1]}"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect: Dialect = dialect_of(engine.dialect.name)
        self._revivals: object = None  # REVIVED_SETTING as read before the tick's library

    @abstractmethod
    async def claim(self, after: int, limit: int, now: datetime, rng_seed: int) -> Claim | None:
        """The next due people after id ``after`` (at most ``limit``) and their histories, held."""

    @abstractmethod
    async def write(self, claim: Claim, planned: Planned, now: datetime) -> int:
        """Write what was planned for the people ``claim`` still holds; how many nudges were planned."""

    async def abandon(self, claim: Claim) -> None:  # noqa: B027 (most backends have nothing to let go of)
        """Let go of a claim that will not be written (the tick failed or was cancelled)."""

    # Statement pieces each backend spells its own way.
    def among(self, column: str, ids: list[int]) -> str:
        return f"{column} IN ({','.join(map(str, ids))})"  # our own integers, inlined

    def ids(self, ids: list[int]) -> tuple[Any, ...]:
        return ()  # nothing to bind: ``among`` inlined them

    async def _histories(
        self, sql: _Driver, people: list[tuple[Any, ...]], now: datetime, rng_seed: int
    ) -> BatchRows:
        ids, m = [row[0] for row in people], self.mark
        among, bound = self.among("person_id", ids), self.ids(ids)
        since = self.dialect.due(activities_read_since(now))
        # Everyone's offers come summed up on their row (bot/store/summary.py); only people whose
        # summary was emptied by a change (or written after ``now``) have their offers read.
        unsummed = [row[0] for row in people if not usable(row[SUMMARY], now)]
        offers = await self._offers_of(sql, unsummed) if unsummed else []
        return BatchRows(
            people=people,
            offers=offers,
            # Kinds and instants only, in the index's order: the read never visits the table (0025).
            activities=await sql.rows(
                f"SELECT person_id, kind, {self.stamp('at')} FROM activities WHERE {among} AND at >= {m} "
                "ORDER BY person_id, at, kind", (*bound, since)),
            identities=await sql.rows(  # oldest first: plan_batch keeps the newest
                f"SELECT person_id, platform, address, user_id, tenant FROM identities WHERE {among} "
                "ORDER BY updated_at, id", bound),
            rng_seed=rng_seed,
        )  # fmt: skip

    async def read_revivals(self) -> None:
        """Note what ``REVIVED_SETTING`` holds now: the tick does before it reads its library."""
        async with self.engine.begin() as connection:
            sql = await _Driver.of(connection)
            self._revivals = await self._revivals_now(sql)

    async def _content_as_read(self, sql: _Driver) -> bool:
        """Whether no ended item was brought back since the tick read its library.

        Summaries leave out the content that had ended by then (``nudges.selection.compact``). An
        item brought back empties the summaries written since it ended (``Store.upsert_content``),
        but not those still being planned here: then the batch writes no summary (a person's stays
        as it was, and the offers' triggers empty it if this tick's offer is not in it), and the next
        reader builds it again. On PostgreSQL a revival committed after this check waits for the
        people this batch holds, then finds the summaries written here."""
        return await self._revivals_now(sql) == self._revivals

    async def _revivals_now(self, sql: _Driver) -> object:
        rows = await sql.rows(f"SELECT value FROM org_settings WHERE key = {self.mark}", (REVIVED_SETTING,))
        return rows[0][0] if rows else None

    async def _offers_of(self, sql: _Driver, ids: list[int]) -> list[tuple[Any, ...]]:
        """The offers of the people ``ids`` as the planner reads them, by person, oldest first."""
        return await sql.rows(
            f'SELECT person_id, id, "key", kind, category, company, {self.stamp("offered_at")}, answer, '
            f"{self.stamp('answered_at')} FROM offers WHERE {self.among('person_id', ids)} "
            "ORDER BY person_id, offered_at, id", self.ids(ids))  # fmt: skip

    async def _new_deliveries(
        self, sql: _Driver, deliveries: list[PlannedDelivery], now: datetime
    ) -> list[PlannedDelivery]:
        """Drop what was planned already (the same key) and introductions someone else made first."""
        if not deliveries:
            return []
        taken = {row[0] for row in await sql.rows(*self._keys_taken([d[0] for d in deliveries]))}
        intros = [d[1] for d in deliveries if d[2] and d[0] not in taken]
        introduced = set()
        if intros:  # only while nobody has it: a greeting in chat (UnitOfWork.introduce) may have won
            introduced = {
                row[0]
                for row in await sql.rows(
                    f"UPDATE people SET introduced_at = {self.mark} WHERE {self.among('id', intros)} "
                    "AND introduced_at IS NULL RETURNING id",
                    (self.dialect.due(now), *self.ids(intros)),
                )
            }
        return [d for d in deliveries if d[0] not in taken and (not d[2] or d[1] in introduced)]

    @abstractmethod
    def _keys_taken(self, keys: list[str]) -> tuple[str, tuple[Any, ...]]: ...


class SqliteBatches(Batches):
    async def claim(self, after: int, limit: int, now: datetime, rng_seed: int) -> Claim | None:
        async with self.engine.connect() as connection:
            sql = await _Driver.of(connection)
            people = await sql.rows(
                f"SELECT {self.person_columns()}, next_due_at, updated_at FROM people WHERE id > ? AND "
                f"opted_out = 0 AND {_DUE.format(m='?')} ORDER BY id LIMIT ?",
                (after, self.dialect.due(now), limit),
            )
            if not people:
                return None
            rows = await self._histories(sql, people, now, rng_seed)
            await connection.rollback()  # nothing was written; end the read
        # next_due_at, updated_at and whether there was no summary, as read: the offers' triggers
        # empty a summary without touching the other two (the outbox dropping an unsent offer, say).
        seen = {row[0]: (row[-2], row[-1], row[SUMMARY] is None) for row in people}
        return Claim([row[0] for row in people], rows, seen=seen)

    async def write(self, claim: Claim, planned: Planned, now: datetime) -> int:
        async with self.engine.begin() as connection:
            sql = await _Driver.of(connection)
            # The one writer from here to the commit: nobody can change these people in between.
            await sql.execute("BEGIN IMMEDIATE")
            ours = {
                row[0]
                for row in await sql.rows(
                    f"SELECT id, next_due_at, updated_at, plan_summary IS NULL FROM people WHERE "
                    f"{self.among('id', claim.ids)} AND opted_out = 0 AND unreachable_at IS NULL AND left_at IS NULL",
                )
                if claim.seen.get(row[0]) == (row[1], row[2], bool(row[3]))  # unchanged since the claim
            }
            ours -= await self._offers_changed(sql, claim, ours, now)
            deliveries = await self._new_deliveries(sql, [d for d in planned.deliveries if d[1] in ours], now)
            kept = {d[1] for d in deliveries}
            summaries = _summaries(planned, kept, ours) if await self._content_as_read(sql) else {}
            await sql.execute_many(
                "UPDATE people SET next_due_at = ?, plan_summary = coalesce(?, plan_summary) WHERE id = ?",
                _next_looks(planned, summaries, ours),
            )
            if deliveries:
                await sql.execute_many(
                    'INSERT INTO offers (id, person_id, "key", kind, category, company, offered_at) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [row for person, row in planned.offers if person in kept],
                )
                await sql.execute_many(
                    'INSERT INTO deliveries ("key", person_id, offer_id, category, platform, address, '
                    "status, attempts, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                    [d[3] for d in deliveries],
                )
        return _planned(deliveries)

    async def _offers_changed(self, sql: _Driver, claim: Claim, ours: set[int], now: datetime) -> set[int]:
        """Of ``ours``, the people planned from their offers (no usable summary) whose offers changed
        since the claim read them: with no summary for the offers' triggers to empty, their rows
        show nothing of it."""
        unsummed = [row[0] for row in claim.rows.people if row[0] in ours and not usable(row[SUMMARY], now)]
        if not unsummed:
            return set()
        read, current = by_person(claim.rows.offers), by_person(await self._offers_of(sql, unsummed))
        return {person for person in unsummed if current.get(person, []) != read.get(person, [])}

    def _keys_taken(self, keys: list[str]) -> tuple[str, tuple[Any, ...]]:
        return 'SELECT "key" FROM deliveries WHERE "key" IN (SELECT value FROM json_each(?))', (
            json.dumps(keys),
        )


class PostgresBatches(Batches):
    """Ids to match travel as one array literal (``= ANY``: psycopg would parse a long ``IN`` list
    again for every batch), keys as one JSON document, and the rows written (next looks with
    summaries, offers, outbox rows) as binary arrays, a column each (``unnest(%b …)``: no text to
    quote, escape and parse again; a summary is kilobytes of JSON itself)."""

    mark = "%s"
    stamp_around = ("(extract(epoch FROM ", ") * 1000000)::bigint")
    json_text = "::text"

    async def claim(self, after: int, limit: int, now: datetime, rng_seed: int) -> Claim | None:
        connection = await self.engine.connect()
        try:
            await connection.begin()
            sql = await _Driver.of(connection)
            people = await sql.rows(
                f"SELECT {self.person_columns()} FROM people WHERE id > %s AND NOT opted_out AND "
                f"{_DUE.format(m='%s')} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                (after, now, limit),
            )
            if people:
                rows = await self._histories(sql, people, now, rng_seed)
                return Claim([row[0] for row in people], rows, connection=connection)
        except BaseException:
            await connection.close()
            raise
        await connection.close()
        return None

    async def write(self, claim: Claim, planned: Planned, now: datetime) -> int:
        assert claim.connection is not None, "a PostgreSQL claim holds its transaction"
        try:
            sql = await _Driver.of(claim.connection)
            deliveries = await self._new_deliveries(sql, planned.deliveries, now)
            kept = {d[1] for d in deliveries}
            summaries = _summaries(planned, kept) if await self._content_as_read(sql) else {}
            # Binary arrays (%b): a summary inside a JSON document is kilobytes of escaped quotes for
            # the server to parse again; as a text[] element it travels as it is.
            looks = _next_looks(planned, summaries)
            if looks:
                await sql.execute(
                    "UPDATE people AS p SET next_due_at = v.due, plan_summary = coalesce(v.s, p.plan_summary) "
                    "FROM unnest(%b::timestamptz[], %b::text[], %b::integer[]) AS v(due, s, id) WHERE p.id = v.id",
                    _columns(looks, 3),
                )
            if deliveries:
                await sql.execute(
                    "INSERT INTO offers (id, person_id, key, kind, category, company, offered_at) "
                    "SELECT * FROM unnest(%b::varchar[], %b::integer[], %b::varchar[], %b::varchar[], "
                    "%b::varchar[], %b::boolean[], %b::timestamptz[])",
                    _columns([row for person, row in planned.offers if person in kept], 7),
                )
                await sql.execute(
                    "INSERT INTO deliveries (key, person_id, offer_id, category, platform, address, status, "
                    "attempts, not_before, created_at) SELECT key, person_id, offer_id, category, platform, "
                    "address, 'pending', 0, not_before, created_at FROM unnest(%b::varchar[], %b::integer[], "
                    "%b::varchar[], %b::varchar[], %b::varchar[], %b::text[], %b::timestamptz[], "
                    "%b::timestamptz[]) AS r(key, person_id, offer_id, category, platform, address, "
                    "not_before, created_at)",
                    _columns([d[3] for d in deliveries], 8),
                )
            await claim.connection.commit()
            return _planned(deliveries)
        finally:
            await claim.connection.close()

    async def abandon(self, claim: Claim) -> None:
        if claim.connection is not None:
            await claim.connection.close()  # rolls back: the people are due again at once

    def among(self, column: str, ids: list[int]) -> str:
        return f"{column} = ANY(%s::integer[])"

    def ids(self, ids: list[int]) -> tuple[Any, ...]:
        return (_array(ids),)

    def _keys_taken(self, keys: list[str]) -> tuple[str, tuple[Any, ...]]:
        return "SELECT key FROM deliveries WHERE key IN (SELECT json_array_elements_text(%s::json))", (
            json.dumps(keys),
        )


def _summaries(planned: Planned, kept: set[int], ours: set[int] | None = None) -> dict[int, str]:
    """The summaries to write, by person: with this tick's offer for the people whose offer is kept,
    the one built from their offers alone for the others (``Planned.summaries``)."""
    return {
        person: text
        for person, text, offered in planned.summaries
        if (ours is None or person in ours) and (person in kept) == offered
    }


def _next_looks(
    planned: Planned, summaries: dict[int, str], ours: set[int] | None = None
) -> list[tuple[Any, str | None, int]]:
    """(next look, new summary or None: the row keeps its own, person) for everyone planned (of
    ``ours``), written in one statement per batch. (A statement per instant shared by several people
    was cheap with fresh histories; a year of history spreads capped people's next looks over
    nearly as many instants as there are people: a thousand round trips a tick.) Written before the
    offers the new summaries hold are inserted, which migration 0021's insert trigger then leaves be."""
    return [
        (due, summaries.get(person), person)
        for due, ids in planned.dues.items()
        for person in ids
        if ours is None or person in ours
    ]


def _array(ids: list[int]) -> str:
    """Our own integers as a PostgreSQL array literal."""
    return f"{{{','.join(map(str, ids))}}}"


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as one list per column: each goes as a binary array (``%b``) for ``unnest``, which
    psycopg packs without quoting and the server reads without parsing text."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def batches_for(engine: AsyncEngine) -> Batches:
    return PostgresBatches(engine) if engine.dialect.name == POSTGRESQL else SqliteBatches(engine)
