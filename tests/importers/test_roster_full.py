"""A full roster: people it does not list have left. Nothing reaches them from the import on, and
the scheduler erases them after RETENTION_DAYS. On SQLite and PostgreSQL, through the real tick."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.importers.roster import RosterError, import_roster
from bot.scheduling.tick import plan, tick
from bot.store.database import Database
from bot.store.models import PersonRow
from tests.delivery.fakes import FakeClock, RecordingSender, add_person, make_app
from tests.scheduling.test_tick import MONDAY

HEADER = "email,name,timezone,team,manager_email,roles\n"
ANA = "ana@example.com,Ana Lima,Europe/Berlin,Platform,,employee\n"
BO = "bo@example.com,Bo Park,Europe/Berlin,Platform,,employee\n"
NOON = MONDAY + timedelta(hours=11)  # Monday 12:00 in Berlin: inside everyone's window


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


async def left(database: Database) -> dict[str, bool]:
    async with database.sessions() as session:
        return {r.email: r.left_at is not None for r in await session.scalars(select(PersonRow))}


async def statuses(database: Database, email: str) -> list[str]:
    query = select(DeliveryRow.status).join(PersonRow).where(PersonRow.email == email)
    async with database.sessions() as session:
        return list(await session.scalars(query))


async def test_leavers_stop_at_once_and_are_erased_after_the_retention(
    database: Database, tmp_path: Path
) -> None:
    await add_person(database, "ana@example.com")
    await add_person(database, "bo@example.com")
    clock = FakeClock(NOON)
    app = await make_app(database, clock)
    sender = RecordingSender(clock)
    app.senders["slack"] = sender
    now = NOON
    while not await statuses(database, "bo@example.com"):  # plan only, until Bo has a nudge waiting
        await plan(app.planning, now)
        async with database.sessions() as session:
            now = await session.scalar(select(func.min(PersonRow.next_due_at))) or now + timedelta(hours=2)
        assert now < NOON + timedelta(days=7)
    assert await statuses(database, "bo@example.com") == ["pending"]

    dry = await import_roster(database, roster(tmp_path, ANA), full=True, dry_run=True, now=NOON)
    assert dry.leaving == ("bo@example.com",)
    assert await left(database) == {"ana@example.com": False, "bo@example.com": False}  # unchanged
    assert await statuses(database, "bo@example.com") == ["pending"]

    result = await import_roster(database, roster(tmp_path, ANA), full=True, now=NOON)
    assert result.leaving == ("bo@example.com",) and result.still_left == 0
    assert await left(database) == {"ana@example.com": False, "bo@example.com": True}
    assert await statuses(database, "bo@example.com") == ["cancelled"]  # never sent

    delivery = Delivery(database, app.senders, clock=clock, sleep=clock.sleep, rng=random.Random(3))
    for day in range(14):  # two weeks of ticks: Ana hears from the bot, Bo never does
        now = NOON + timedelta(days=day, hours=1)
        clock.set(now)
        await tick(app.planning, now, delivery=delivery)
    assert {d.address for d in sender.sent} == {"D-ana@example.com"}

    again = await import_roster(database, roster(tmp_path, ANA), full=True, now=NOON)
    assert again.leaving == () and again.still_left == 1

    planning = replace(app.planning, retention_days=30)
    clock.set(NOON + timedelta(days=29))
    assert (await tick(planning, NOON + timedelta(days=29))).erased == 0
    assert (await tick(planning, NOON + timedelta(days=30))).erased == 1
    assert await left(database) == {"ana@example.com": False}


async def test_someone_listed_again_is_back_with_everything_kept(database: Database, tmp_path: Path) -> None:
    await add_person(database, "ana@example.com")
    await add_person(database, "bo@example.com", zone=3)
    await import_roster(database, roster(tmp_path, ANA), full=True, now=NOON)

    back = await import_roster(database, roster(tmp_path, ANA, BO))  # a plain import lists Bo again

    assert back.returned == 1 and await left(database) == {"ana@example.com": False, "bo@example.com": False}
    async with database.sessions() as session:
        assert await session.scalar(select(PersonRow.zone).where(PersonRow.email == "bo@example.com")) == 3


async def test_a_bad_full_roster_changes_nothing(database: Database, tmp_path: Path) -> None:
    await add_person(database, "bo@example.com")
    with pytest.raises(RosterError, match="line 3"):
        await import_roster(database, roster(tmp_path, ANA, "bad,row\n"), full=True)
    assert await left(database) == {"bo@example.com": False}
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PersonRow)) == 1
