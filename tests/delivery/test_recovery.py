"""Crash recovery must not starve new sends: rows left "sending" are checked a bounded number per
pass, in parallel, each check with a time limit, while new rows go out meanwhile."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.delivery.models import SENDING, DeliveryRow
from bot.ports import Sent
from bot.store.database import Database
from tests.delivery.fakes import FindingSender
from tests.delivery.test_delivery import planned, rows, worker


class LookupsHang(FindingSender):
    """Sends go through; looking a message up never answers (a platform API that times out)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.finding = 0
        self.most_at_once = 0

    async def find(self, address: str, key: str) -> Sent | None:
        self.finding += 1
        self.most_at_once = max(self.most_at_once, self.finding)
        try:
            await asyncio.Event().wait()
        finally:
            self.finding -= 1
        return None


async def left_sending(database: Database, count: int, clock) -> None:
    """``count`` rows a dead worker left "sending" (earlier days' nudges), their lease long gone."""
    async with database.sessions.begin() as session:
        session.add_all(
            DeliveryRow(key=f"1/old-{n}/2026-11-{n % 20 + 1:02d}", person_id=1, offer_id=None, category="nudge",
                        platform="slack", address="D-old", status=SENDING, claimed_by="died",
                        not_before=clock() - timedelta(days=1), lease_until=clock() - timedelta(minutes=1))
            for n in range(count)
        )  # fmt: skip


async def test_lookups_that_time_out_for_40_rows_do_not_starve_new_sends(database: Database):
    clock = await planned(database, people=3)
    await left_sending(database, 40, clock)
    platform = LookupsHang(clock)
    delivery = worker(database, clock, platform, batch=50, concurrency=4, check_seconds=0.3)

    async with asyncio.timeout(20):  # before: 40 lookups one after another, each hanging for ever
        report = await delivery.drain(deadline=clock() + timedelta(seconds=54))

    assert report.sent == 3 and len(platform.sent) == 3  # the new rows went out
    stuck = [row for row in await rows(database) if row.status == SENDING]
    assert len(stuck) == 40 and all(row.attempts == 1 for row in stuck)  # each failed check counted
    assert all("check failed: TimeoutError" in (row.last_error or "") for row in stuck)
    assert platform.most_at_once > 1  # checked in parallel


async def test_recovery_checks_a_bounded_number_of_rows_per_pass(database: Database):
    clock = await planned(database)
    await left_sending(database, 30, clock)
    platform = LookupsHang(clock)
    delivery = worker(database, clock, platform, batch=10, concurrency=2, check_seconds=0.2)

    async with asyncio.timeout(20):
        await delivery.drain()

    attempts = sorted(row.attempts for row in await rows(database) if row.status == SENDING)
    assert attempts.count(1) == 10 and attempts.count(0) == 20  # the others wait for the next pass
