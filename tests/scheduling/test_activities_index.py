"""A tick reads everyone's recent activities from ``ix_activities_person_id_at_kind`` alone
(migration 0025): their kinds and instants, in the index's order, never the table's rows. With a year
of history that was a few hundred thousand lookups into millions of activities per tick. On each
database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from bot.scheduling.sql import _Driver, batches_for
from bot.store.database import Database
from bot.store.models import ActivityRow
from tests.delivery.fakes import add_person
from tests.scheduling.test_batches import LATE_MONDAY
from tests.store.query_plans import query_plan

INDEX = "ix_activities_person_id_at_kind"


async def _claimed_statement(database: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """The statement (and parameters) by which a claim read its people's activities."""
    read: list[tuple[str, Sequence[Any]]] = []
    rows = _Driver.rows

    async def watched(self: _Driver, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if "FROM activities" in sql:
            read.append((sql, parameters))
        return await rows(self, sql, parameters)

    monkeypatch.setattr(_Driver, "rows", watched)
    batches = batches_for(database.engine)
    claim = await batches.claim(0, 10, LATE_MONDAY, 1)
    assert claim is not None
    await batches.abandon(claim)
    assert len(read) == 1, read
    # The activity logged a week ago is read, kind and instant only.
    assert [row[1:2] for row in claim.rows.activities] == [("shared",)]
    return read[0]


async def test_a_claim_reads_activities_from_the_index_alone(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = await add_person(database, "p@example.com")
    async with database.sessions.begin() as session:
        for days in (400, 7):  # one long past what a planner reads, one within it
            session.add(
                ActivityRow(
                    person_id=person, kind="shared", at=LATE_MONDAY - timedelta(days=days), source="logged"
                )
            )
    sql, parameters = await _claimed_statement(database, monkeypatch)

    # Every other way of reading the table off, on PostgreSQL: is an index-only scan possible at all?
    plan = await query_plan(
        database, sql, parameters, off=("enable_seqscan", "enable_bitmapscan", "enable_indexscan")
    )

    if database.is_sqlite:
        assert f"COVERING INDEX {INDEX}" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort either: the index's order is the one asked
    else:
        assert f"Index Only Scan using {INDEX}" in plan, plan
        assert "Sort" not in plan, plan
