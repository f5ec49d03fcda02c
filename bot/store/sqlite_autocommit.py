"""SQLite's twin of ``bot/store/autocommit.py``: a connection of the process's own, in autocommit, for
the single statements every inbound event costs (``Database.run``: the seen-markers, the lookups of a
sender, the inbox's delete).

Through SQLAlchemy's pool each was a checkout, a statement and a commit, with the engine's Python
around them: about a tenth of a turn process's CPU on SQLite. Here a statement is one call on
SQLite's thread, and SQLite commits it by itself. Statements are compiled once per process, with
their parameters' bind processors (a datetime is stored as SQLAlchemy stores it); rows come back as
SQLite gives them, so only for columns it reads right (numbers and text). aiosqlite runs one call at
a time on its thread; the callers share it, each statement short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import aiosqlite
from sqlalchemy.engine import URL, Dialect

from bot.store.autocommit import Statement

_Compiled = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]


class SqliteAutocommit:
    def __init__(self, url: URL, dialect: Dialect, pragmas: Callable[[], tuple[str, ...]]) -> None:
        self.url = url
        self.dialect = dialect
        self.pragmas = pragmas  # what every pooled connection is set up with, so this one too
        self._connection: aiosqlite.Connection | None = None
        self._connecting = asyncio.Lock()
        self._compiled: dict[Statement, _Compiled] = {}

    async def _connected(self) -> aiosqlite.Connection:
        async with self._connecting:  # two callers that find it closed must not both open one
            if self._connection is None:
                args, kwargs = self.dialect.create_connect_args(self.url)
                connection = aiosqlite.connect(*args, **{**kwargs, "isolation_level": None})
                connection._thread.daemon = True  # as SQLAlchemy's adapter does: never holds up an exit
                await connection
                for pragma in self.pragmas():
                    await connection.execute(pragma)
                self._connection = connection
            return self._connection

    def _compile(self, statement: Statement) -> _Compiled:
        compiled = statement.compile(dialect=self.dialect)
        order = compiled.positiontup or []
        # The dialect's own implementation of each type: SQLite's DATETIME keeps its microseconds.
        binds = tuple(
            (name, compiled.binds[name].type.dialect_impl(self.dialect).bind_processor(self.dialect))
            for name in order
        )
        return compiled.string, binds

    async def run(self, statement: Statement, parameters: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run a Core ``statement`` with named ``parameters`` (its own transaction); its first row."""
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = self._compile(statement)
        sql, binds = compiled
        values = [
            parameters[name] if process is None else process(parameters[name]) for name, process in binds
        ]
        connection = await self._connected()
        # Each statement is its own transaction (``isolation_level=None``): one that fails leaves
        # nothing open on the shared connection.
        rows = list(await connection.execute_fetchall(sql, values))
        return tuple(rows[0]) if rows else None

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
