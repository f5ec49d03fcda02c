"""How a database would run a statement, for tests that check an index is reachable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.store.database import Database


async def query_plan(
    database: Database, statement: str, parameters: Any, *, off: Sequence[str] = ("enable_seqscan",)
) -> str:
    """The plan's lines joined by " / ": SQLite's ``EXPLAIN QUERY PLAN``, or PostgreSQL's ``EXPLAIN``
    with the planner settings ``off`` turned off for it. On a test's tiny tables PostgreSQL would
    read the table anyway; the question is whether the statement can reach the index at all."""
    async with database.engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        if database.is_sqlite:
            explain = "EXPLAIN QUERY PLAN "
        else:
            explain = "EXPLAIN "
            for setting in off:
                await (await driver.execute(f"SET {setting} = off")).close()
        cursor = await driver.execute(explain + statement, parameters)
        plan = " / ".join(str(row[-1]) for row in await cursor.fetchall())
        await cursor.close()
        await connection.rollback()  # the settings end with it
    return plan
