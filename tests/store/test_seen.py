"""Seen-markers decide, across processes, which one acts on a platform's retried delivery."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import text

from adapters.slack.models import SlackSeenEventRow
from adapters.teams.models import TeamsSeenActivityRow
from bot.store import seen
from bot.store.database import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_of_two_processes_taking_the_same_event_at_once_exactly_one_is_first(
    database: Database,
) -> None:
    other = Database(database.url)  # another replica, with connections of its own
    try:
        firsts = await asyncio.gather(
            *(
                seen.first_time(db, SlackSeenEventRow, event_id=f"Ev{k}", seen_at=NOW)
                for k in range(5)
                for db in (database, other, database)
            )
        )
        assert [sum(firsts[3 * k : 3 * k + 3]) for k in range(5)] == [1] * 5
        assert not await seen.first_time(other, SlackSeenEventRow, event_id="Ev0", seen_at=NOW)
        assert await seen.first_time(other, TeamsSeenActivityRow, activity_key="Ev0", seen_at=NOW)
        async with database.sessions() as session:
            rows = (await session.execute(SlackSeenEventRow.__table__.select())).all()
        assert sorted(row.event_id for row in rows) == [f"Ev{k}" for k in range(5)]
        assert {row.seen_at for row in rows} == {NOW}
    finally:
        await other.dispose()


async def test_a_marker_stores_its_instant_exactly_as_the_orm_does(database: Database) -> None:
    """The markers skip the ORM (``Database.run``), yet pruning compares their instants with the
    database's own ordering: on SQLite that is text, so it must be SQLAlchemy's text for it."""
    assert await seen.first_time(database, SlackSeenEventRow, event_id="by-run", seen_at=NOW)
    async with database.sessions.begin() as session:
        session.add(SlackSeenEventRow(event_id="by-orm", seen_at=NOW))
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT event_id, seen_at FROM slack_seen_events"))
        stored = {event_id: seen_at for event_id, seen_at in rows}
    assert stored["by-run"] == stored["by-orm"]
