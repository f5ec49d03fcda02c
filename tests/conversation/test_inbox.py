"""The inbox: bounded concurrency, one person's events in order, overflow kept in the database."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.conversation.inbox import Inbox, Seen
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
