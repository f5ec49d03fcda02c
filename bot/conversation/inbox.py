"""Inbound platform events, taken in at once and worked through at a bounded pace.

A platform wants its answer fast (Slack retries an event not acknowledged within 3 s) while a turn
costs milliseconds of CPU and a database transaction. So an adapter acknowledges an event first and
hands it to the ``Inbox``; the inbox runs the turns behind the acknowledgement:

- **at most ``concurrency`` at a time**, so a burst (a company-wide "say hi to the bot") slows the
  answers, never the acknowledgements: the event loop keeps room to answer the next request;
- **one person's events in the order they came** (a key per person): two messages of one person
  never overtake each other, and do not hold a slot while they wait;
- **bounded memory**: beyond ``capacity`` waiting events, new ones go to the ``inbound_events``
  table (spilled, in batches, after the acknowledgement) and a drainer brings them back in arrival
  order when there is room. While anything is spilled, every new event is spilled too, so an event
  never overtakes an older one of the same person.

Hand-written rather than a library's: what is needed is an asyncio queue with per-key order, a
concurrency bound and a spill to our own database; aiojobs and asyncio.Queue each give one of those.

A spilled event stays in the table until it was handled, at least once. A process that dies with it
leaves it to be taken again after ``CLAIM_LEASE`` (a minute, which a living process's heartbeat keeps
renewing for the events it holds, however long their turns take); the adapter's seen-marker, written
as a turn starts, then drops the ones the dead process had started. A stopping process gives the
events in its memory a grace period, writes the ones that arrive meanwhile to the table, and frees
its claims on the ones it took from there, so the next process takes them at once. Only a process
killed outright loses the events it held in memory (at most ``capacity``; neither Slack nor Teams
retries an event it had an ack for).

Each platform's adapter may run its own inbox on the one table: an inbox takes back only the rows of
the platforms it has handlers for.

**Turns in processes of their own** (``TURNS=worker``, issue 17): the serving process's inbox only
takes in (``runs_turns=False``): every event goes to the table, in batches, after its ack, and no
turn runs on the event loop that acknowledges. Turn processes (``journeybot turns``) run draining
inboxes (``poll``): they claim events from the table and run the turns. Per-person order holds across
any number of processes because an inbox claims only the **head** event of a key (no older row of
that key is left, i.e. the previous one was handled and deleted), unclaimed or with an expired lease;
on PostgreSQL with ``FOR UPDATE SKIP LOCKED`` (two drainers never wait for each other), on SQLite in
one ``UPDATE … RETURNING`` under the database's write lock. A draining inbox wakes on the taking-in
process's ``NOTIFY`` on PostgreSQL, and looks every ``poll`` seconds anyway (SQLite's only wake-up).
A taking-in process holds an event in memory only until its batch is written (``GATHER_SECONDS``).
Order is arrival order per process: two events of one person taken in by two serving replicas within
the same instant may be claimed in either order (as they would run at once under ``TURNS=here``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    Integer,
    Update,
    bindparam,
    delete,
    exists,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from bot.conversation.models import InboundEventRow
from bot.store.autocommit import Autocommit
from bot.store.database import Database

log = logging.getLogger("journeybot.inbox")
Handler = Callable[[str], Awaitable[None]]
# A spilled event claimed by a process that then died is taken up again after this long. Short, so
# the people whose events a killed turn process held wait a minute, not five; a process that lives
# renews the claims of what it holds every third of it (``Inbox._heartbeat``), as delivery does.
CLAIM_LEASE = timedelta(minutes=1)
HEARTBEAT_SECONDS = CLAIM_LEASE.total_seconds() / 3
SPILL_BATCH = 500
NOTIFY_CHANNEL = "journeybot_inbox"  # PostgreSQL: a taking-in process says "new events" here
# A taking-in process (runs_turns=False) waits this long for more events before writing a batch.
GATHER_SECONDS = 0.05
# A draining inbox (a turn process) looks for events other processes wrote at least this often, and
# holds this many turns' worth at a time (``Inbox.draining``), so that other turn processes share a
# backlog with it.
POLL_SECONDS = 0.2
CLAIMED_PER_TURN = 4
# After a claim that found fewer events than there was room for, the next one waits this long
# (unless this process ran out of work): handled events free their successors, a few at a time.
LOOK_PAUSE = 0.02
# PostgreSQL's claim (``Inbox._take_back``), on the inbox's own connection: the head events of its
# platforms' keys, unclaimed or with an expired lease, oldest first; another process claiming at the
# same moment skips these rows rather than wait for them.
_CLAIM_POSTGRES = (
    "UPDATE inbound_events SET claimed_at = %s WHERE id IN ("
    "SELECT e.id FROM inbound_events AS e WHERE e.platform = ANY(%s) "
    "AND (e.claimed_at IS NULL OR e.claimed_at < %s) "
    "AND NOT EXISTS (SELECT 1 FROM inbound_events AS o WHERE o.key = e.key AND o.id < e.id) "
    "ORDER BY e.id LIMIT %s FOR UPDATE OF e SKIP LOCKED) RETURNING id, platform, key, payload"
)
# The heartbeat (``Inbox._heartbeat``): the claims of the events this process holds, renewed to now
# (or freed, NULL, when it stops).
_CLAIM_AGAIN_POSTGRES = "UPDATE inbound_events SET claimed_at = %s WHERE id = ANY(%s)"


@dataclass(frozen=True)
class Inbound:
    platform: str
    key: str  # whose turn: events of one key run one at a time, in order
    payload: str  # what the platform's handler gets back (the request body, as text)
    row_id: int | None = None  # the ``inbound_events`` row, for a spilled event


class Seen:
    """The cheap, in-process half of deduplication: ids taken in recently (bounded, oldest out).
    The durable half is the adapter's own (a primary key in the database, checked in the turn)."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class Inbox:
    def __init__(
        self,
        database: Database,
        *,
        concurrency: int = 4,
        capacity: int = 1000,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        runs_turns: bool = True,
        poll: float | None = None,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        """``runs_turns=False``: take in only (every event to the table; another process drains it).
        ``poll``: a draining inbox, which also looks for events other processes wrote, every ``poll``
        seconds at the latest (and at once on PostgreSQL's notification). ``heartbeat``: how often, in
        real seconds, the claims of the table's events this inbox holds are renewed."""
        self.database = database
        self.concurrency = concurrency
        self.capacity = capacity
        self.clock = clock
        self.runs_turns = runs_turns
        self.poll = poll
        self.heartbeat = heartbeat
        self.handlers: dict[str, Handler] = {}
        self._waiting: dict[str, deque[Inbound]] = {}  # per key, in arrival order
        self._ready: deque[str] = deque()  # keys with work and nobody on them
        self._busy: set[str] = set()
        self._count = 0  # events in memory, waiting or running
        self._to_spill: list[Inbound] = []
        self._spilled = False  # the table may hold events for this inbox: look there
        self._held: set[int] = set()  # rows of events from the table in memory (waiting or running)
        self._work = asyncio.Event()  # workers: something is ready
        self._room = asyncio.Event()  # the spiller: something to spill, or room to take back
        self._tasks: list[asyncio.Task[None]] = []
        self._idle = asyncio.Event()
        self._idle.set()
        self._closing = False
        self._empty = asyncio.Event()  # nothing in memory
        self._empty.set()

    @classmethod
    def draining(cls, database: Database, *, concurrency: int, clock: Callable[[], datetime]) -> Inbox:
        """A turn process's inbox (``journeybot turns``, TURNS=worker): it runs the events that
        serving processes took in, claiming at most ``CLAIMED_PER_TURN`` × ``concurrency``."""
        return cls(
            database,
            concurrency=concurrency,
            capacity=CLAIMED_PER_TURN * concurrency,
            clock=clock,
            poll=POLL_SECONDS,
        )

    def register(self, platform: str, handler: Handler) -> None:
        self.handlers[platform] = handler

    def _mine(self) -> ColumnElement[bool]:
        """The spilled events this inbox takes back: its own platforms' (each platform's adapter
        runs its own inbox on the one table)."""
        return InboundEventRow.platform.in_(sorted(self.handlers))

    # Taking events in: no I/O, no await, so the acknowledgement never waits for it. -----------

    def take(self, platform: str, key: str, payload: str) -> None:
        event = Inbound(platform, key, payload)
        if (
            not self.runs_turns
            or self._closing
            or self._spilled
            or self._held
            or self._to_spill
            or self._count >= self.capacity
        ):
            self._to_spill.append(event)
        else:
            self._queue(event)
        self._idle.clear()
        self._room.set()

    def _queue(self, event: Inbound) -> None:
        self._count += 1
        self._empty.clear()
        waiting = self._waiting.get(event.key)
        if waiting is None:
            self._waiting[event.key] = waiting = deque()
            if event.key not in self._busy:
                self._ready.append(event.key)
        waiting.append(event)
        self._work.set()

    # Running ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the workers and the spiller; events spilled before (by this process or one that
        stopped) are taken up first."""
        if self.runs_turns:
            async with self.database.sessions.begin() as session:
                self._spilled = bool(
                    (await session.scalars(select(InboundEventRow.id).where(self._mine()).limit(1))).all()
                )
            self._tasks = [asyncio.create_task(self._worker()) for _ in range(self.concurrency)]
            self._tasks.append(asyncio.create_task(self._heartbeat()))
            if self.poll is not None and not self.database.is_sqlite:
                self._tasks.append(asyncio.create_task(self._listen()))
        self._tasks.append(asyncio.create_task(self._spiller()))
        if self._spilled:
            self._idle.clear()
            self._room.set()

    async def close(self, grace: float = 10.0) -> None:
        """Stop: new events go to the table at once, the ones in memory get up to ``grace`` seconds
        to finish, then the workers stop and whatever was not written yet is."""
        self._closing = True
        deadline = asyncio.get_running_loop().time() + grace
        with suppress(TimeoutError):
            await asyncio.wait_for(self._empty.wait(), max(deadline - asyncio.get_running_loop().time(), 0))
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._held:  # taken from the table and not handled: for the next process now, not a lease later
            try:
                await self._claim_again(sorted(self._held), None)
            except Exception:  # then their lease runs out, as if this process had died
                log.warning("could not free the claims of inbound events", exc_info=True)
            self._held.clear()
        while self._to_spill:  # acknowledged and not handled: kept for the next start
            await self._spill()

    async def idle(self) -> None:
        """Wait until nothing is waiting, running or spilled (tests, and a graceful stop)."""
        await self._idle.wait()

    async def _worker(self) -> None:
        while True:
            if not self._ready:
                self._check_idle()
                self._work.clear()
                await self._work.wait()
                continue
            key = self._ready.popleft()
            waiting = self._waiting[key]
            event = waiting.popleft()
            if not waiting:
                del self._waiting[key]
            self._busy.add(key)
            try:
                await self._handle(event)
            finally:
                self._busy.discard(key)
                self._count -= 1
                if not self._count:
                    self._empty.set()
                if key in self._waiting:
                    self._ready.append(key)
                    self._work.set()
                self._room.set()

    async def _handle(self, event: Inbound) -> None:
        handler = self.handlers.get(event.platform)
        try:
            if handler is None:
                log.error("no handler for %s events; dropped", event.platform)
            else:
                await handler(event.payload)
        except Exception:  # one bad event must not stop the others: logged, and not retried
            log.exception("could not handle a %s event", event.platform)
        if event.row_id is not None:
            try:
                await self.database.run(_delete_event(), {"id": event.row_id})
            except Exception:
                # Left claimed: taken again after its lease, and the adapter's seen-marker drops it.
                log.warning("could not delete a handled inbound event", exc_info=True)
            finally:  # its key's next event (if any) is now the head: look for it
                self._held.discard(event.row_id)
                self._spilled = True
                self._room.set()

    def _check_idle(self) -> None:
        if not self._count and not self._spilled and not self._to_spill:
            self._idle.set()

    def _may_take_back(self) -> bool:
        return self.runs_turns and self._spilled and self._count <= self.capacity // 2 and not self._closing

    async def _spiller(self) -> None:
        """Write spilled events to the table, and take them back in order when there is room."""
        while True:
            try:
                if self._to_spill:
                    if not self.runs_turns and not self._closing:
                        await asyncio.sleep(GATHER_SECONDS)  # one transaction for the next few acks
                    await self._spill()
                if self._may_take_back():
                    room = self.capacity - self._count
                    found = await self._take_back(room)
                    if found < room and self._count:
                        await asyncio.sleep(LOOK_PAUSE)
            except Exception:  # the database may be away for a moment: keep what we have, retry
                log.warning("could not move inbound events to or from the database", exc_info=True)
                await asyncio.sleep(1)
            if not self._to_spill and not self._may_take_back():
                self._check_idle()
                self._room.clear()
                if self.poll is None or not self.runs_turns:
                    await self._room.wait()
                    continue
                try:
                    await asyncio.wait_for(self._room.wait(), self.poll)
                except TimeoutError:  # another process may have written events meanwhile
                    self._spilled = True

    async def _heartbeat(self) -> None:
        """While this process lives, the events it took from the table stay claimed: their claim is
        renewed every ``heartbeat`` seconds (real time: it is about the process being alive), so a
        long turn or a long queue in memory never lets another process take them too."""
        while True:
            await asyncio.sleep(self.heartbeat)
            if self._held:
                try:
                    await self._claim_again(sorted(self._held), self.clock())
                except Exception:  # the database away for a moment: the next beat tries again
                    log.warning("could not renew the claims of inbound events", exc_info=True)

    async def _claim_again(self, row_ids: list[int], now: datetime | None) -> None:
        """Renew these rows' claims to ``now``, or free them (None)."""
        if self.database.is_sqlite:
            async with self.database.engine.begin() as connection:
                await connection.execute(_claim_again_sqlite(), {"ids": row_ids, "now": now})
        else:
            await self._own(_CLAIM_AGAIN_POSTGRES, [now, row_ids])

    async def _listen(self) -> None:
        """PostgreSQL: wake up when a taking-in process has written events (its ``NOTIFY``)."""
        while True:
            try:
                async with await self._autocommit().connect() as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    async for _notice in connection.notifies():
                        self._spilled = True
                        self._room.set()
            except Exception:  # the poll still finds the events; try listening again soon
                log.warning("could not listen for new inbound events", exc_info=True)
                await asyncio.sleep(5)

    def _autocommit(self) -> Autocommit:
        """PostgreSQL's connection outside SQLAlchemy's pool, in autocommit (``bot/store/autocommit.py``):
        the taking-in writes, claims and deletes run on it, and listening on one of its own."""
        assert self.database.autocommit is not None, "only PostgreSQL's inboxes get here"
        return self.database.autocommit

    async def _spill(self) -> None:
        batch, self._to_spill = self._to_spill[:SPILL_BATCH], self._to_spill[SPILL_BATCH:]
        now = self.clock()
        try:
            if not self.database.is_sqlite:
                await self._spill_postgres(batch, now)
            else:
                rows = [
                    {"platform": e.platform, "key": e.key, "payload": e.payload, "received_at": now}
                    for e in batch
                ]
                async with self.database.engine.begin() as connection:
                    await connection.execute(insert(InboundEventRow), rows)
        except BaseException:
            self._to_spill[:0] = batch  # not written: keep them, in order
            raise
        self._spilled = self.runs_turns

    async def _spill_postgres(self, batch: list[Inbound], now: datetime) -> None:
        """One statement on the process's autocommit connection (``_own``): the insert (its columns
        as binary arrays) and, for turn processes, the notice, sent when it commits. This runs on the
        event loop that acknowledges (``TURNS=worker`` writes every event this way): through a pooled
        session a batch held the loop for about 3 ms of Python, a tenth of that this way, and an ack
        that came in meanwhile waited (it was the acks' p99)."""
        columns = [[e.platform for e in batch], [e.key for e in batch], [e.payload for e in batch]]
        added = (
            "INSERT INTO inbound_events (platform, key, payload, received_at) SELECT p, k, b, %b "
            "FROM unnest(%b::varchar[], %b::varchar[], %b::text[]) AS e(p, k, b)"
        )
        if self.runs_turns:  # an overflow: this process takes its own events back
            await self._own(added, [now, *columns])
        else:
            await self._own(
                f"WITH added AS ({added} RETURNING 1) SELECT pg_notify('{NOTIFY_CHANNEL}', '') "
                "FROM (SELECT 1 FROM added LIMIT 1) AS one",
                [now, *columns],
            )

    async def _take_back(self, room: int) -> int:
        """Claim the head event of each key (no older row of that key is left: the one before it was
        handled), unclaimed or claimed by a process that went away, oldest first; how many."""
        now = self.clock()
        if self.database.is_sqlite:
            rows = await self._claim_sqlite(room, now)
        else:
            rows = await self._own(
                _CLAIM_POSTGRES, [now, sorted(self.handlers), now - CLAIM_LEASE, max(room, 1)]
            )
        for row_id, platform, key, payload in sorted(rows):
            if row_id in self._held:  # ours already (its renewals failed for a lease): not twice
                continue
            self._held.add(row_id)
            self._queue(Inbound(platform, key, payload, row_id))
        if not rows:  # nothing for us until a spill, a notice, the poll, or the end of a held event
            self._spilled = False
        return len(rows)

    async def _claim_sqlite(self, room: int, now: datetime) -> list[tuple[Any, ...]]:
        parameters = {
            "now": now,
            "platforms": sorted(self.handlers),
            "lease_ended": now - CLAIM_LEASE,
            "room": max(room, 1),
        }
        async with self.database.engine.begin() as connection:  # one statement under the write lock
            result = await connection.execute(_claim_sqlite(), parameters)
            return [tuple(row) for row in result]

    async def _own(self, sql: str, parameters: list[Any]) -> list[tuple[Any, ...]]:
        """PostgreSQL: one statement in autocommit, its own transaction; the rows it returns. A turn
        process claims and deletes an event per turn: through a pooled session each was a ping, a
        BEGIN, the statement and a COMMIT, and a millisecond of Python."""
        return await self._autocommit().rows(sql, parameters)


@cache
def _claim_sqlite() -> Update:
    """SQLite's claim (``Inbox._take_back``), as PostgreSQL's above but with no rows to skip (one
    writer at a time): built once, as a turn process claims about once per event it handles."""
    older = aliased(InboundEventRow)
    claimed_at = InboundEventRow.claimed_at
    heads = (
        select(InboundEventRow.id)
        .where(
            InboundEventRow.platform.in_(bindparam("platforms", expanding=True)),
            or_(claimed_at.is_(None), claimed_at < bindparam("lease_ended", type_=claimed_at.type)),
            ~exists().where(older.key == InboundEventRow.key, older.id < InboundEventRow.id),
        )
        .order_by(InboundEventRow.id)
        .limit(bindparam("room", type_=Integer))
    )
    return (
        update(InboundEventRow)
        .where(InboundEventRow.id.in_(heads.scalar_subquery()))
        .values(claimed_at=bindparam("now", type_=claimed_at.type))
        .returning(InboundEventRow.id, InboundEventRow.platform, InboundEventRow.key, InboundEventRow.payload)
    )


@cache
def _claim_again_sqlite() -> Update:
    """The heartbeat's statement on SQLite (PostgreSQL's is ``_CLAIM_AGAIN_POSTGRES``): the claims of
    the events this process holds, renewed to now (or freed when it stops)."""
    claimed_at = InboundEventRow.claimed_at
    return (
        update(InboundEventRow)
        .where(InboundEventRow.id.in_(bindparam("ids", expanding=True)))
        .values(claimed_at=bindparam("now", type_=claimed_at.type))
    )


@cache
def _delete_event() -> Delete:
    """A handled event's row, gone: built once, as every event taken back costs one."""
    return delete(InboundEventRow).where(InboundEventRow.id == bindparam("id"))
