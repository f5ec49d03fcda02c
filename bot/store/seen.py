"""'Have we seen this before?' across processes, for the platforms' retried deliveries (Slack's event
ids, Teams' activity ids): the table's primary key decides who was first, so two replicas that take
the same retry at once act on it once."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, Table, bindparam, delete, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute

from bot.store.database import Database


async def first_time(database: Database, marker: type[Any], **values: Any) -> bool:
    """True for the first process to insert a ``marker`` row (its primary key is the id) of ``values``.

    One statement, no ORM session (``Database.run``: on PostgreSQL in autocommit), as every inbound
    event pays for it: an insert that does nothing on a conflict, so the row it returns or not says
    who was first, on both databases."""
    inserted = await database.run(_insert_once(marker.__table__, database.is_sqlite, tuple(values)), values)
    return inserted is not None


@cache
def _insert_once(table: Table, is_sqlite: bool, columns: tuple[str, ...]) -> Insert:
    dialect_insert = sqlite.insert if is_sqlite else postgresql.insert
    row = {name: bindparam(name, type_=table.c[name].type) for name in columns}  # our own columns
    return dialect_insert(table).values(row).on_conflict_do_nothing().returning(literal_column("1"))


async def forget_before(
    database: Database, seen_at: InstrumentedAttribute[datetime], cutoff: datetime
) -> int:
    """Delete the markers seen before ``cutoff`` (``seen_at`` is the table's time column)."""
    async with database.sessions.begin() as session:
        result = await session.execute(delete(seen_at.class_).where(seen_at < cutoff))
        return cast("CursorResult[Any]", result).rowcount  # a DELETE's result is a CursorResult
