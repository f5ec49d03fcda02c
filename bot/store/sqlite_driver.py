"""SQLAlchemy's aiosqlite adapter with one hand-off to SQLite's thread per statement instead of four.

aiosqlite runs every call on a thread of its own, and SQLAlchemy's adapter makes one call for each
step of the DB-API: make a cursor, execute, fetch the rows, close the cursor; then commit, and the
pool's rollback when the connection goes back, even with no transaction open. Each hand-off wakes
that thread and then the event loop: about 65 µs of CPU on the VM of ``bench/RESULTS.md``, where
SQLite's own work for a statement is a few µs. A new person's Slack event on SQLite made about 46
of them, which is why its path cost twice what it costs on PostgreSQL. Here a statement is run, its rows
read and its cursor closed in one call on that thread, and a commit or rollback with no transaction
open (pysqlite opens one only before a write) is not sent at all.

No library does this: it is the adapter's cursor with its DB-API steps done together. It leans on
private parts of both libraries (``AsyncAdapt_aiosqlite_*`` and aiosqlite's ``_execute`` and
``_connection``), so both are pinned exactly in ``pyproject.toml``, and every test on SQLite runs
through it.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)


class _Done:
    """What the DB-API cursor left once its statement ran: the adapter reads these from it."""

    __slots__ = ("description", "lastrowid", "rowcount", "rows")
    arraysize = 1

    def __init__(self, cursor: sqlite3.Cursor | None = None, rows: list[Any] | None = None) -> None:
        self.description = None if cursor is None else cursor.description
        self.rowcount = -1 if cursor is None else cursor.rowcount
        self.lastrowid = None if cursor is None else cursor.lastrowid
        self.rows = rows or []

    def close(self) -> None:
        pass


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Done:
    """On SQLite's thread: the statement, all its rows (the adapter buffers them anyway), the cursor
    closed; the row count read after the rows, as SQLite finishes a ``RETURNING`` only then."""
    cursor = connection.cursor()
    try:
        cursor.execute(operation, () if parameters is None else parameters)
        rows = cursor.fetchall() if cursor.description else None
        return _Done(cursor, rows)
    finally:
        cursor.close()


def _execute_many(connection: sqlite3.Connection, operation: str, parameters: Sequence[Any]) -> _Done:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return _Done(cursor)
    finally:
        cursor.close()


class _OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False  # nothing left open on SQLite's thread to close

    def _make_new_cursor(self, connection: Any) -> Any:
        return _Done()

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            done = await self._connection._execute(_execute, self._connection._conn, operation, parameters)
            self._cursor = done
            self._rows = deque(done.rows)
        return None

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        async with self._adapt_connection._execute_mutex:
            self._cursor = await self._connection._execute(
                _execute_many, self._connection._conn, operation, seq_of_parameters
            )
        return None


class _OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _OneHopCursor

    def _in_transaction(self) -> bool:
        # Read on the event loop's thread: pysqlite allows it, and no call of this connection runs
        # on SQLite's thread meanwhile (the adapter awaits each one).
        raw: sqlite3.Connection | None = self._connection._connection
        return raw is not None and raw.in_transaction

    def commit(self) -> None:
        if self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        if self._in_transaction():
            super().rollback()


class OneHopAiosqlite(AsyncAdapt_aiosqlite_dbapi):
    """The DB-API module to give ``create_async_engine(…, module=…)`` for ``sqlite+aiosqlite``."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> _OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return _OneHopConnection(self, adapted._connection)
