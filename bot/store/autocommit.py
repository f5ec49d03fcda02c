"""A PostgreSQL connection of the process's own, in autocommit, for the single statements that every
inbound event costs: the inbox's spills, claims and deletes (``bot/conversation/inbox.py``), the
platforms' seen-markers (``bot/store/seen.py``) and the lookups of a sender (``Database.run``).

Through SQLAlchemy's pool each of those was a ping, a ``BEGIN``, the statement and a ``COMMIT``, and
about a millisecond of Python on the event loop; here it is one round trip (bench/RESULTS.md,
section 5). Plain SQL through the driver, so only for statements that need nothing of the ORM.
psycopg runs one statement at a time on a connection; the callers share it, each statement short.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Delete, Insert, Select
from sqlalchemy.engine import URL, Dialect

if TYPE_CHECKING:
    from psycopg import AsyncConnection

# A Core statement that ``run`` takes: built once (``functools.cache``), since it is compiled once.
Statement = Select[*tuple[Any, ...]] | Insert | Delete


class Autocommit:
    def __init__(self, url: URL, dialect: Dialect) -> None:
        self.url = url
        self.dialect = dialect
        self._connection: AsyncConnection[Any] | None = None
        self._connecting = asyncio.Lock()
        self._compiled: dict[Statement, str] = {}

    async def connect(self) -> AsyncConnection[Any]:
        """A new connection in autocommit (a listener's, say), outside SQLAlchemy's pool."""
        import psycopg  # the driver of postgresql+psycopg URLs; SQLite never gets here

        url = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return await psycopg.AsyncConnection.connect(url, autocommit=True)

    async def rows(
        self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()
    ) -> list[tuple[Any, ...]]:
        """Run one statement (its own transaction) on the shared connection; the rows it returns."""
        async with self._connecting:  # two callers that find it closed must not both open one
            if self._connection is None or self._connection.closed:
                self._connection = await self.connect()
            connection = self._connection
        try:
            cursor = await connection.execute(sql, parameters)
            return await cursor.fetchall() if cursor.description else []
        except BaseException:
            await connection.close()  # the next statement gets a new one: this one may be broken
            raise

    async def run(self, statement: Statement, parameters: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run a Core ``statement`` with named ``parameters``; the first row it returns, as the driver
        returns it (no SQLAlchemy type processing: for columns the driver itself reads right). The
        statement is compiled once per process."""
        sql = self._compiled.get(statement)
        if sql is None:
            sql = self._compiled[statement] = str(statement.compile(dialect=self.dialect))
        rows = await self.rows(sql, parameters)
        return rows[0] if rows else None

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
