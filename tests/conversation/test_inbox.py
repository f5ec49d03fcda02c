"""The inbox: bounded concurrency, one person's events in order, overflow kept in the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.conversation.inbox import CLAIM_LEASE, Inbox, Seen
from bot.conversation.models import InboundEventRow
from bot.store.database import Database


class Recorder:
    """A handler that records what it ran, how many ran at once, and can be held."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.running = 0
        self.most = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self, payload: str) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            await self.gate.wait()
            await asyncio.sleep(0.001)
            self.done.append(payload)
        finally:
            self.running -= 1


async def spilled(database: Database) -> int:
    async with database.sessions.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundEventRow)) or 0)


async def test_at_most_n_run_at_once_and_each_persons_events_keep_their_order(database: Database) -> None:
    inbox, handler = Inbox(database, concurrency=3, capacity=1000), Recorder()
    inbox.register("slack", handler)
    await inbox.start()
    try:
        for n in range(60):
            inbox.take("slack", f"person{n % 5}", f"person{n % 5}/{n}")
        await asyncio.wait_for(inbox.idle(), 10)
    finally:
        await inbox.close()
    assert handler.most == 3
    assert sorted(handler.done) == sorted(f"person{n % 5}/{n}" for n in range(60))
    for person in range(5):
        mine = [int(d.split("/")[1]) for d in handler.done if d.startswith(f"person{person}/")]
        assert mine == sorted(mine)


async def test_one_persons_events_never_run_at_the_same_time(database: Database) -> None:
    inbox, handler = Inbox(database, concurrency=4, capacity=1000), Recorder()
    inbox.register("slack", handler)
    await inbox.start()
    try:
        for n in range(10):
            inbox.take("slack", "ada", f"ada/{n}")
        await asyncio.wait_for(inbox.idle(), 10)
    finally:
        await inbox.close()
    assert handler.most == 1
    assert handler.done == [f"ada/{n}" for n in range(10)]


async def test_beyond_its_capacity_events_wait_in_the_database_and_come_back_in_order(
    database: Database,
) -> None:
    inbox, handler = Inbox(database, concurrency=2, capacity=10), Recorder()
    inbox.register("slack", handler)
    handler.gate.clear()  # nothing finishes: the memory fills up
    await inbox.start()
    try:
        for n in range(50):
            inbox.take("slack", f"p{n % 3}", f"p{n % 3}/{n}")
        for _ in range(100):
            if await spilled(database) == 40:
                break
            await asyncio.sleep(0.05)
        assert await spilled(database) == 40  # ten in memory, the rest in the table
        handler.gate.set()
        await asyncio.wait_for(inbox.idle(), 20)
    finally:
        await inbox.close()
    assert sorted(handler.done) == sorted(f"p{n % 3}/{n}" for n in range(50))
    for person in range(3):
        mine = [int(d.split("/")[1]) for d in handler.done if d.startswith(f"p{person}/")]
        assert mine == sorted(mine)
    assert await spilled(database) == 0  # each row goes once its event was handled


async def test_events_spilled_before_a_stop_are_handled_after_the_next_start(database: Database) -> None:
    first, held = Inbox(database, concurrency=1, capacity=2), Recorder()
    first.register("slack", held)
    held.gate.clear()
    await first.start()
    for n in range(8):
        first.take("slack", "ada", f"ada/{n}")
    await asyncio.sleep(0.2)
    await first.close(grace=0.1)  # stops with events acknowledged but not handled: they stay in the table
    assert await spilled(database) >= 6

    second, handler = Inbox(database, concurrency=2, capacity=100), Recorder()
    second.register("slack", handler)
    await second.start()
    try:
        await asyncio.wait_for(second.idle(), 10)
    finally:
        await second.close()
    # The spilled ones, in their order (the two held in memory past the grace period are lost, as
    # they would be if the process were killed).
    assert handler.done == [f"ada/{n}" for n in range(2, 8)]
    assert await spilled(database) == 0


async def test_a_failing_event_does_not_stop_the_others(database: Database) -> None:
    inbox, done = Inbox(database, concurrency=1, capacity=100), []

    async def handler(payload: str) -> None:
        if payload == "bad":
            raise ValueError("a malformed event")
        done.append(payload)

    inbox.register("slack", handler)
    await inbox.start()
    try:
        for payload in ("one", "bad", "two"):
            inbox.take("slack", "ada", payload)
        await asyncio.wait_for(inbox.idle(), 10)
    finally:
        await inbox.close()
    assert done == ["one", "two"]


def test_the_in_process_check_remembers_recent_ids_within_its_bound() -> None:
    seen = Seen(size=3)
    assert seen.first_time("a") and seen.first_time("b") and seen.first_time("c")
    assert not seen.first_time("a")
    assert seen.first_time("d")  # "a" is now the oldest out
    assert seen.first_time("a")


class Shared(Recorder):
    """One handler for several draining inboxes: who ran what, and whether one person's events
    ever ran at the same time (in any of them)."""

    def __init__(self) -> None:
        super().__init__()
        self.now: set[str] = set()
        self.overlapped = False

    async def __call__(self, payload: str) -> None:
        person = payload.split("/")[0]
        self.overlapped |= person in self.now
        self.now.add(person)
        try:
            await asyncio.sleep(0.002)
            self.done.append(payload)
        finally:
            self.now.discard(person)


async def test_a_taking_in_inbox_runs_no_turn_and_two_draining_ones_run_each_once_in_order(
    database: Database,
) -> None:
    """TURNS=worker: the serving process's inbox only writes events to the table; two turn
    processes' inboxes drain it, each event once, one person's events in their order and never two
    at once (only a key's head is claimed), whichever process takes it."""
    front = Inbox(database, runs_turns=False)
    front.register("slack", Recorder())  # a taking-in inbox never calls it
    await front.start()
    handler = Shared()
    drainers = [Inbox(database, concurrency=3, capacity=20, poll=0.05) for _ in range(2)]
    for drainer in drainers:
        drainer.register("slack", handler)
    try:
        for n in range(120):
            front.take("slack", f"p{n % 7}", f"p{n % 7}/{n}")
        await asyncio.wait_for(front.idle(), 10)  # all written, none run
        assert await spilled(database) == 120 and handler.done == []
        for drainer in drainers:
            await drainer.start()
        for _ in range(400):
            if len(handler.done) >= 120 and await spilled(database) == 0:
                break
            await asyncio.sleep(0.05)
    finally:
        await front.close()
        for drainer in drainers:
            await drainer.close()
    assert sorted(handler.done) == sorted(f"p{n % 7}/{n}" for n in range(120))  # each exactly once
    assert not handler.overlapped
    for person in range(7):
        mine = [int(d.split("/")[1]) for d in handler.done if d.startswith(f"p{person}/")]
        assert mine == sorted(mine)
    assert await spilled(database) == 0


async def test_a_draining_inbox_finds_events_written_after_it_started(database: Database) -> None:
    drainer, handler = Inbox(database, concurrency=2, capacity=10, poll=0.05), Recorder()
    drainer.register("slack", handler)
    await drainer.start()
    front = Inbox(database, runs_turns=False)
    await front.start()
    try:
        for n in range(5):
            front.take("slack", "ada", f"ada/{n}")
        for _ in range(200):
            if len(handler.done) == 5:
                break
            await asyncio.sleep(0.05)
    finally:
        await front.close()
        await drainer.close()
    assert handler.done == [f"ada/{n}" for n in range(5)]


async def test_a_head_claimed_by_a_live_process_holds_its_successors_and_an_expired_claim_is_taken_again(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    rows = [
        ("gone", "gone/1", now - CLAIM_LEASE - timedelta(minutes=1)),  # its process died: taken again
        ("gone", "gone/2", None),
        ("busy", "busy/1", now),  # another process is on it: neither it nor its successor
        ("busy", "busy/2", None),
    ]
    async with database.sessions.begin() as session:
        for key, payload, claimed in rows:
            session.add(
                InboundEventRow(
                    platform="slack", key=key, payload=payload, received_at=now, claimed_at=claimed
                )
            )
    drainer, handler = Inbox(database, concurrency=2, capacity=10, poll=0.05), Recorder()
    drainer.register("slack", handler)
    await drainer.start()
    try:
        for _ in range(100):
            if len(handler.done) == 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    finally:
        await drainer.close()
    assert handler.done == ["gone/1", "gone/2"]
    assert await spilled(database) == 2  # busy/1 waits for its process, busy/2 behind it


async def test_a_living_process_keeps_its_claim_past_the_lease_and_frees_it_when_it_stops(
    database: Database,
) -> None:
    """The heartbeat: a turn that outlasts the lease is not taken by a second process as well. A
    process that stops mid-turn frees what it held: the second takes it at once, not a lease later
    (a process killed outright: ``tests/slack/test_slack_turns_worker.py``)."""
    now = [datetime.now(UTC)]

    def clock() -> datetime:
        return now[0]

    front = Inbox(database, runs_turns=False)
    await front.start()
    front.take("slack", "ada", "ada/1")
    await front.close()
    first, slow = (
        Inbox(database, concurrency=1, capacity=1, poll=0.05, clock=clock, heartbeat=0.05),
        Recorder(),
    )
    slow.gate.clear()  # its turn never ends while this process lives (and, full, it claims nothing more)
    first.register("slack", slow)
    await first.start()
    second, handler = Inbox(database, concurrency=1, capacity=4, poll=0.05, clock=clock), Recorder()
    second.register("slack", handler)
    try:
        for _ in range(100):
            if slow.running:
                break
            await asyncio.sleep(0.05)
        assert slow.running == 1
        now[0] += CLAIM_LEASE + timedelta(minutes=1)  # past the claim's lease: only the heartbeat holds it
        await asyncio.sleep(0.3)
        await second.start()
        await asyncio.sleep(0.5)
        assert handler.running == 0 and handler.done == []  # still claimed by a living process
        await first.close(grace=0)  # stops mid-turn, the clock where it was
        for _ in range(100):
            if handler.done:
                break
            await asyncio.sleep(0.05)
    finally:
        await second.close()
        await first.close(grace=0)
    assert handler.done == ["ada/1"] and slow.done == []
    assert await spilled(database) == 0


async def test_an_event_whose_claim_lapsed_in_its_own_process_is_not_taken_twice(database: Database) -> None:
    """Renewals that failed for a whole lease (the database away) let the process's own claim lapse:
    its next claim finds the event again, and must not queue it beside the copy it holds."""
    now = [datetime.now(UTC)]
    front = Inbox(database, runs_turns=False)
    await front.start()
    front.take("slack", "ada", "ada/1")
    await front.close()
    inbox, handler = (
        Inbox(database, concurrency=1, capacity=4, poll=0.05, clock=lambda: now[0], heartbeat=100),
        Recorder(),
    )
    handler.gate.clear()
    inbox.register("slack", handler)
    await inbox.start()
    try:
        for _ in range(100):
            if handler.running:
                break
            await asyncio.sleep(0.05)
        now[0] += CLAIM_LEASE + timedelta(minutes=1)  # no renewal came: the claim lapsed
        await asyncio.sleep(0.3)  # a few polls, each finding the lapsed claim
        handler.gate.set()
        await asyncio.wait_for(inbox.idle(), 10)
    finally:
        await inbox.close()
    assert handler.done == ["ada/1"]
    assert await spilled(database) == 0
