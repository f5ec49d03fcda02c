"""SQLite's statements reach its thread in one hand-off each, with what the DB-API would have given."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from functools import cache
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Insert, bindparam, column, insert, table, text
from sqlalchemy.exc import IntegrityError

from bot.store.database import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'driver.db'}")
    async with db.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call aiosqlite sends to its thread, by name."""
    calls: list[str] = []
    send = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await send(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


async def warm(database: Database) -> None:
    """A pooled connection exists, so what follows counts statements, not connecting."""
    async with database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def test_rows_counts_and_returning_come_back_as_the_db_api_gives_them(database: Database) -> None:
    async with database.engine.begin() as connection:
        inserted = await connection.execute(
            text("INSERT INTO t (name) VALUES (:name) RETURNING id, name"), [{"name": "ann"}]
        )
        assert inserted.all() == [(1, "ann")]
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "bo"}, {"name": "cy"}]
        )
        updated = await connection.execute(text("UPDATE t SET name = upper(name) WHERE id > 1"))
        assert updated.rowcount == 2
        plain = await connection.execute(text("INSERT INTO t (name) VALUES ('di')"))
        assert plain.lastrowid == 4
        assert (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all() == [
            "ann",
            "BO",
            "CY",
            "di",
        ]
        assert (await connection.execute(text("SELECT name FROM t WHERE id = 99"))).first() is None


async def test_each_statement_is_one_hand_off_and_no_transaction_costs_none(
    database: Database, hand_offs: list[str]
) -> None:
    await warm(database)
    hand_offs.clear()
    async with database.engine.begin() as connection:  # a read alone opens no SQLite transaction
        await connection.execute(text("SELECT count(*) FROM t"))
    assert hand_offs == ["_execute"]

    hand_offs.clear()
    async with database.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('ann') RETURNING id"))
        await connection.execute(text("SELECT name FROM t"))
    assert hand_offs == ["_execute", "_execute", "commit"]  # and no rollback when the pool takes it back


async def test_a_failed_statement_raises_rolls_back_and_leaves_the_connection_usable(
    database: Database,
) -> None:
    async def insert(name: str) -> None:
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES (:name)"), {"name": name})

    await insert("ann")
    with pytest.raises(IntegrityError):
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('bo')"))
            await connection.execute(text("INSERT INTO t (name) VALUES ('ann')"))
    await insert("cy")
    async with database.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
    assert names == ["ann", "cy"]  # bo went with the failed transaction


@cache
def _insert_named() -> Insert:
    return insert(table("t", column("name"))).values(name=bindparam("name"))


async def test_database_run_is_one_hand_off_commits_by_itself_and_outlives_a_failed_statement(
    database: Database, hand_offs: list[str]
) -> None:
    """``Database.run``'s statements (a seen-marker, a sender's lookup) go over a connection of their
    own in autocommit: one call on SQLite's thread, no commit to send."""
    await database.run(_insert_named(), {"name": "ann"})
    hand_offs.clear()
    await database.run(_insert_named(), {"name": "bo"})
    assert hand_offs == ["_execute_fetchall"]

    with pytest.raises(sqlite3.IntegrityError):
        await database.run(_insert_named(), {"name": "bo"})
    await database.run(_insert_named(), {"name": "cy"})
    async with database.engine.connect() as connection:  # another connection: all committed
        names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
    assert names == ["ann", "bo", "cy"]
