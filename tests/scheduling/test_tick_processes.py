"""Three replicas as three OS processes ticking one PostgreSQL at the same instants: every due nudge is
delivered exactly once.

Each replica is its own interpreter (``tests/scheduling/replica_process.py``) running ``journeybot tick``'s code
with Slack configured from the environment: the production Slack Sender posts to a fake Web API this
test serves on 127.0.0.1, which records every ``chat.postMessage`` with the outbox key in its
metadata. The test hands the same instant to the three at once and waits for all three before the
next one. PostgreSQL only, as ``tests/scheduling/test_tick_replicas.py``: SQLite is single-process by design.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store.database import Database
from tests.conftest import BACKENDS
from tests.delivery.fakes import add_person, assert_each_sent_once
from tests.slack.fake_slack import FakeSlack

# Ticks at :29 and :59 (every zone here is a whole number of hours from UTC): the last tick inside
# a window is at 16:29, so no one's send minute falls after the last look of their day.
MONDAY = datetime(2026, 11, 23, 6, 29, tzinfo=UTC)
PEOPLE = 150
REPLICAS = 3
STEP = timedelta(minutes=30)
HOURS = 36
ROOT = Path(__file__).resolve().parents[2]


def replica_env(database: Database, fake: FakeSlack) -> dict[str, str]:
    return {  # only what a replica needs: nothing of the developer's own environment leaks in
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DATABASE_URL": database.url,
        "SLACK_BOT_TOKEN": "xoxb-replica",
        "SLACK_SIGNING_SECRET": "replica-secret",
        "SLACK_API_URL": fake.api_url,
        "SLACK_WORKSPACE_PER_SECOND": "1000",  # the limiter is not what this test is about
        "DELIVERY_CONCURRENCY": "3",
        # One deployment, one RANDOM_SEED: replicas must agree on each person's spread minute.
        "RANDOM_SEED": "7",
        "LOG_LEVEL": "WARNING",
    }


async def replica(database: Database, fake: FakeSlack, number: int, log: Path) -> asyncio.subprocess.Process:
    with log.open("w") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.scheduling.replica_process", cwd=ROOT, env=replica_env(database, fake),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=stderr,
        )  # fmt: skip


async def tick_all(processes: list[asyncio.subprocess.Process], now: datetime) -> list[dict]:
    for process in processes:
        assert process.stdin is not None
        process.stdin.write(f"{now.isoformat()}\n".encode())
        await process.stdin.drain()

    async def answer(process: asyncio.subprocess.Process) -> dict:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=120)
        assert line, f"a replica exited (return code {process.returncode})"
        return json.loads(line)

    return list(await asyncio.gather(*(answer(p) for p in processes)))


def read_logs(folder: Path) -> str:
    return "\n".join(log.read_text() for log in sorted(folder.glob("replica-*.log")))


@pytest.fixture
async def fake() -> FakeSlack:
    server = FakeSlack()
    await server.start()
    yield server
    await server.close()


@pytest.mark.parametrize("database", [b for b in BACKENDS if b == "postgresql"], indirect=True)
async def test_three_replica_processes_deliver_each_due_nudge_exactly_once(
    database: Database, fake: FakeSlack, tmp_path: Path
):
    zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu"]
    for n in range(PEOPLE):
        await add_person(database, f"p{n}@example.com", timezone=zones[n % len(zones)], weekly_cap=5)
    processes = [await replica(database, fake, n, tmp_path / f"replica-{n}.log") for n in range(REPLICAS)]
    shares = Counter()
    try:
        for step in range(int(timedelta(hours=HOURS) / STEP)):
            for number, tick in enumerate(await tick_all(processes, MONDAY + step * STEP)):
                shares[number] += tick["sent"]
    finally:
        for process in processes:
            assert process.stdin is not None
            process.stdin.close()
        codes = [await asyncio.wait_for(process.wait(), timeout=60) for process in processes]
    assert codes == [0] * REPLICAS, read_logs(tmp_path)

    posted = [call["metadata"]["event_payload"]["key"] for call in fake.called("chat.postMessage")]
    await assert_each_sent_once(database, posted)
    per_day = Counter((key.split("/")[0], key.split("/")[-1]) for key in posted)
    assert max(per_day.values()) == 1  # and no replica planned a second nudge for someone's day
    per_person = Counter(key.split("/")[0] for key in posted)
    assert len(per_person) == PEOPLE  # everyone was due on Monday, and everyone heard once that day
    assert all(count in (1, 2) for count in per_person.values())  # Monday, and Tuesday for some zones
    assert sum(shares.values()) == len(posted) and all(shares[n] for n in range(REPLICAS))  # shared
