"""What every connection of the process's pool is set up with."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.store import database as database_module
from bot.store.database import Database
from bot.store.store import Store
from nudges.events import PersonRef

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_a_turn_waiting_for_a_stuck_holder_gives_up_after_the_lock_wait_and_so_does_the_next(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the bound is each connection's own ``lock_timeout``, set when it connects: it
    must survive the rollback of the turn that hit it, or the next turn on that connection would
    wait forever. On SQLite it is the busy timeout."""
    person_id = await Store(database).ensure_person(PersonRef("console", "ann"), None, NOW)
    monkeypatch.setattr(database_module, "LOCK_WAIT_MS", 300)
    impatient = Database(database.url)
    store = Store(impatient)
    try:
        async with database.engine.connect() as holder:
            if database.is_sqlite:
                await holder.execute(text("BEGIN IMMEDIATE"))  # the one write lock
            else:
                await holder.begin()
                await holder.execute(
                    text("SELECT id FROM people WHERE id = :id FOR UPDATE"), {"id": person_id}
                )
            for _ in range(2):  # the second on the connection the first one's rollback gave back
                started = time.perf_counter()
                with pytest.raises(OperationalError):
                    async with asyncio.timeout(10):
                        async with store.unit_of_work(person_id):
                            pass
                assert time.perf_counter() - started < 5
            await holder.rollback()
        async with store.unit_of_work(person_id) as unit:  # free again: no error
            assert unit.person_id == person_id
        if not impatient.is_sqlite:
            async with impatient.engine.connect() as connection:
                assert await connection.scalar(text("SHOW lock_timeout")) == "300ms"
    finally:
        await impatient.dispose()
