"""Three replicas ticking one PostgreSQL at the same instants deliver every due nudge exactly once.

Each replica has its own engine and connection pool, its own Sender and its own delivery worker, as
separate processes would; they run concurrently (their queries interleave on the server), planning
with ``FOR UPDATE SKIP LOCKED`` and claiming with it too. SQLite is single-process by design, so this
runs only where PostgreSQL is (TEST_DATABASE_URL).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.delivery.deliver import Delivery
from bot.scheduling.tick import tick
from bot.store.database import Database
from bot.store.models import PersonRow
from tests.conftest import BACKENDS
from tests.delivery.fakes import FakeClock, RecordingSender, add_person, assert_each_sent_once, make_app

# Ticks at :09, :29 and :49 (every zone here is a whole number of hours from UTC): the last tick
# inside a window is at 16:29, so no one's send minute falls after the last look of their day.
MONDAY = datetime(2026, 11, 23, 6, 9, tzinfo=UTC)
PEOPLE = 150
REPLICAS = 3
SEED = 7


# Only the PostgreSQL backend: without TEST_DATABASE_URL the parameter list is empty and pytest says so.
@pytest.mark.parametrize("database", [b for b in BACKENDS if b == "postgresql"], indirect=True)
async def test_three_replicas_deliver_each_due_nudge_exactly_once(database: Database):
    zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Honolulu"]
    for n in range(PEOPLE):
        await add_person(database, f"p{n}@example.com", timezone=zones[n % len(zones)], weekly_cap=5)
    clock = FakeClock(MONDAY)
    replicas = []
    for number in range(REPLICAS):
        own = Database(database.url)  # its own engine and pool, as another process would have
        app = await make_app(own, clock, seed=number)  # its own choices (rng), so a double plan shows
        # …but one deployment has one RANDOM_SEED, hence one spread minute per person and day. Replicas
        # that disagreed on it would push a person from one's minute to the other's, past the window.
        app.settings.random_seed = SEED
        app.senders["slack"] = sender = RecordingSender(clock)
        delivery = Delivery(own, app.senders, clock=clock, sleep=clock.sleep, worker=f"replica-{number}",
                            rng=random.Random(number), concurrency=3, batch=7)  # fmt: skip
        replicas.append((app, sender, delivery))
    try:
        # Every 20 minutes, and at each instant someone is next due, for a day and a half, all three
        # at the same instant (someone's own send minute may be the window's last one).
        now = MONDAY
        while now < MONDAY + timedelta(hours=36):
            clock.set(now)
            await asyncio.gather(
                *(tick(app.planning, now, delivery=delivery) for app, _, delivery in replicas)
            )
            async with database.sessions.begin() as session:
                due = await session.scalar(
                    select(func.min(PersonRow.next_due_at)).where(PersonRow.next_due_at > now)
                )
            now = min(now + timedelta(minutes=20), due or now + timedelta(minutes=20))
    finally:
        for app, _, _ in replicas:
            await app.db.dispose()

    sent = [d for _, sender, _ in replicas for d in sender.sent]
    await assert_each_sent_once(database, (d.key for d in sent))
    per_person = Counter(d.address for d in sent)
    assert len(per_person) == PEOPLE  # everyone was due on Monday, and everyone heard once that day
    assert all(count in (1, 2) for count in per_person.values())  # Monday, and Tuesday for some zones
    assert all(sender.sent for _, sender, _ in replicas)  # the work really was shared
