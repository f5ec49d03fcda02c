"""A worker process killed in the middle of a batch: the rows it had claimed are free again within
a minute or so (a short lease its heartbeat keeps renewing while it lives), not after five.

Two real OS processes running ``journeybot tick``'s code (``tests/scheduling/replica_process.py``)
against the fake Slack Web API: the first claims a batch and is killed (SIGKILL) while Slack is slow
to answer its first post; the second ticks two minutes later and must deliver every row, each once
(the post the first one made is found through its metadata, not sent again).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery.models import DeliveryRow
from bot.store.database import Database
from tests.delivery.fakes import add_person, assert_each_sent_once
from tests.scheduling.test_tick_processes import read_logs, replica, tick_all
from tests.slack.fake_slack import FakeSlack

AFTERNOON = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # inside the window, past most spread minutes
PEOPLE = 20


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.close()


async def statuses(database: Database) -> dict[str, int]:
    async with database.sessions.begin() as session:
        counted = await session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))
        return dict(counted.all())  # type: ignore[arg-type]


async def test_a_killed_workers_claimed_batch_is_sent_by_the_next_tick_two_minutes_later(
    database: Database, fake: FakeSlack, tmp_path: Path
):
    for n in range(PEOPLE):
        await add_person(database, f"p{n}@example.com", timezone="UTC")
    fake.slow["chat.postMessage"] = 120  # the first post reaches Slack; its answer never comes in time
    first = await replica(database, fake, 0, tmp_path / "replica-0.log")
    assert first.stdin is not None
    first.stdin.write(f"{AFTERNOON.isoformat()}\n".encode())
    await first.stdin.drain()
    await fake.wait_for("chat.postMessage", 1, seconds=60)
    await asyncio.sleep(1)  # the other sends in flight reach Slack too
    first.send_signal(signal.SIGKILL)
    await asyncio.wait_for(first.wait(), timeout=30)
    posted_before = len(fake.called("chat.postMessage"))  # one per send in flight when it died
    left = await statuses(database)
    planned = sum(left.values())
    assert planned > 3 and left.get("claimed", 0) + left.get("sending", 0) == planned, left  # all held

    fake.slow.clear()
    second = await replica(database, fake, 1, tmp_path / "replica-1.log")
    try:
        (report,) = await tick_all([second], AFTERNOON + timedelta(minutes=2))
    finally:
        assert second.stdin is not None
        second.stdin.close()
        code = await asyncio.wait_for(second.wait(), timeout=60)
    assert code == 0, read_logs(tmp_path)

    assert await statuses(database) == {"sent": planned}, read_logs(tmp_path)
    posted = [call["metadata"]["event_payload"]["key"] for call in fake.called("chat.postMessage")]
    await assert_each_sent_once(database, posted)
    assert report["sent"] == planned - posted_before  # what the first one posted was found, not resent
