"""One engine and one session factory per process, configured for the backend behind the URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.store.autocommit import Autocommit, Statement
from bot.store.sqlite_autocommit import SqliteAutocommit
from bot.store.sqlite_driver import OneHopAiosqlite
from bot.store.urls import async_url, backend

# How long a writer waits for another (the scheduler and a turn, say) before giving up: SQLite's busy
# timeout ("database is locked"), PostgreSQL's lock timeout. Writes are short, so a few seconds of
# patience is plenty.
LOCK_WAIT_MS = 15_000


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = backend(url) == "sqlite"
        # SQLite: one hand-off to its thread per statement (bot/store/sqlite_driver.py says why).
        options: dict[str, Any] = {"module": OneHopAiosqlite()} if self.is_sqlite else {"pool_pre_ping": True}
        # SQL parameters are personal data: never in the log, nor in the text of an exception.
        options["hide_parameters"] = True
        self.engine: AsyncEngine = create_async_engine(async_url(url), **options)
        event.listen(
            self.engine.sync_engine, "connect", _sqlite_on_connect if self.is_sqlite else _postgres_on_connect
        )
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        # PostgreSQL: the one-statement writes every inbound event costs, outside the pool.
        self.autocommit = None if self.is_sqlite else Autocommit(self.engine.url, self.engine.dialect)
        # Where ``run`` sends its statements: that connection, or SQLite's twin of it (a database in
        # memory is the pool's own, so it keeps the pool).
        self._single: Autocommit | SqliteAutocommit | None = self.autocommit
        if self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            self._single = SqliteAutocommit(self.engine.url, self.engine.dialect, sqlite_pragmas)

    async def run(self, statement: Statement, parameters: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """One statement with no ORM session (a lookup a platform adapter makes before a turn, a
        seen-marker, the inbox's delete); the first row it returns, if any. Over the process's autocommit
        connection: on PostgreSQL one round trip (``bot/store/autocommit.py``), on SQLite one call on
        its thread (``bot/store/sqlite_autocommit.py``); a database in memory, in a transaction of the
        pool's. Never call it inside a transaction that holds SQLite's write lock: a write here would
        wait for that lock, and anything queued behind it too. Keep ``statement`` built once
        (``functools.cache``): it is compiled once per process."""
        if self._single is not None:
            return await self._single.run(statement, parameters)
        async with self.engine.begin() as connection:
            result = await connection.execute(statement, parameters)
            row = result.first() if result.returns_rows else None
        return None if row is None else tuple(row)

    async def dispose(self) -> None:
        if self._single is not None:
            await self._single.close()
        await self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.engine.url!r})"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """SQLite leaves foreign keys off unless asked, per connection; cascades depend on them.

    Write-ahead logging: readers (App Home, a form's check, the planner's claim) never wait for the
    one writer, nor it for them, and a commit appends to the log instead of rewriting pages, so a
    turn holds the write lock for less time. ``synchronous=NORMAL`` is SQLite's advice with WAL: a
    commit is still atomic and survives the process crashing; only a power cut can lose the last few.
    (A database in memory stays in its own journal mode.)

    The migration already left the file in WAL (``migrations/env.py`` says why it switches there): the
    switch here is only for a file made some other way, and is asked for only when the file is not."""
    cursor = dbapi_connection.cursor()
    for pragma in sqlite_pragmas():
        cursor.execute(pragma)
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def sqlite_pragmas() -> tuple[str, ...]:
    """What every SQLite connection is set up with (read when it connects: a test shortens the wait)."""
    return (
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={LOCK_WAIT_MS}",
        "PRAGMA synchronous=NORMAL",
        "PRAGMA cache_size=-32768",
    )


def _postgres_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Every wait for a lock bounded, as SQLite's busy timeout bounds it: a stuck holder surfaces as an
    error, not a hang. Set once per connection rather than per transaction (a round trip every turn
    paid). In autocommit for the moment, as SQLAlchemy advises: a ``SET`` inside the transaction the
    driver would open is undone when the pool rolls that transaction back. (Alembic's engine is its
    own: a migration is not bound by it.)"""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")
    cursor.close()
    dbapi_connection.autocommit = autocommit
