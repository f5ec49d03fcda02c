"""One transaction for the outbox writes that arrive together: a group commit.

Every state change of a row (claimed, sending, sent, …) must be committed before the worker goes on,
and with 16 sends in flight that was two short transactions per message, each with its own commit:
on SQLite each commit waits for the disk and writers take turns on one file lock (contention that
SQLite answers with sleeps of 1, 2, 5, 10 … ms), on PostgreSQL each is a round trip and a WAL flush.
Here a writer collects the operations queued while the previous commit was under way and runs
them in one transaction; each caller still gets its own result, and only after the commit.

An operation that fails fails the whole transaction, and every operation in it sees the error (as it
would have, alone, with the database gone): the writes are conditional updates, whose only failure
is the database's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")
Operation = Callable[[AsyncConnection], Awaitable[Any]]


class GroupWriter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._queued: list[tuple[Operation, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def run(self, operation: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run ``operation`` in the next transaction; its result once that transaction committed."""
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queued.append((operation, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            try:
                async with self.engine.begin() as connection:
                    results = [await operation(connection) for operation, _ in batch]
            except BaseException as error:  # cancelled too: nobody may wait forever for this batch
                failure = error if isinstance(error, Exception) else asyncio.CancelledError()
                for _, done in batch:
                    if not done.done():
                        done.set_exception(failure)
                if not isinstance(error, Exception):
                    raise
            else:
                for (_, done), result in zip(batch, results, strict=True):
                    if not done.done():
                        done.set_result(result)
