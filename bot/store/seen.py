"""'Have we seen this before?' across processes, for the platforms' retried deliveries (Slack's event
ids, Teams' activity ids): the table's primary key decides who was first, so two replicas that take
the same retry at once act on it once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from bot.store.database import Database


async def first_time(database: Database, marker: type[Any], **values: Any) -> bool:
    """True for the first process to insert a ``marker`` row (its primary key is the id) of ``values``.

    One statement, no ORM session: every inbound event pays for it. On PostgreSQL in autocommit
    (``Database.autocommit``), where a conflict is no error: the row inserted or not says who was
    first."""
    if database.autocommit is not None:
        table: Table = marker.__table__
        columns = ", ".join(table.c[name].name for name in values)  # our own columns, checked by name
        inserted = await database.autocommit.rows(
            f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join(['%s'] * len(values))}) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            list(values.values()),
        )
        return bool(inserted)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(insert(marker.__table__).values(**values))
    except IntegrityError:
        return False
    return True


async def forget_before(
    database: Database, seen_at: InstrumentedAttribute[datetime], cutoff: datetime
) -> int:
    """Delete the markers seen before ``cutoff`` (``seen_at`` is the table's time column)."""
    async with database.sessions.begin() as session:
        result = await session.execute(delete(seen_at.class_).where(seen_at < cutoff))
        return cast("CursorResult[Any]", result).rowcount  # a DELETE's result is a CursorResult
