"""Writing every person's ``plan_summary`` from their offers (migration ``0016_planning_summary``,
and the plan bench after it generates a history with plain SQL). A sync connection: the migration
runs in Alembic's; async callers use ``AsyncConnection.run_sync``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from bot.store.summary import encode, summarise
from bot.store.values import offer_from_values
from nudges.library import Library

_OFFERS: Any = (
    sa.select(
        *(sa.column(name) for name in ("person_id", "id", "key", "kind", "category", "company")),
        sa.column("offered_at", sa.DateTime(timezone=True)),
        sa.column("answer"),
        sa.column("answered_at", sa.DateTime(timezone=True)),
    )
    .select_from(sa.table("offers"))
    .order_by(sa.column("person_id"), sa.column("offered_at"), sa.column("id"))
)


def backfill(bind: sa.Connection, now: datetime, batch: int = 1000, library: Library | None = None) -> int:
    """Write every person's summary from their offers as of ``now``; how many were written. (Also
    what the plan bench runs after generating a history with plain SQL, with the ``library`` of
    ``now``, as the planner then keeps them: without ended content.)"""
    written, after = 0, 0
    while True:
        ids = [row[0] for row in bind.execute(
            sa.text("SELECT id FROM people WHERE id > :after ORDER BY id LIMIT :n"), {"after": after, "n": batch}
        )]  # fmt: skip
        if not ids:
            return written
        after = ids[-1]
        offers: dict[int, list[Any]] = {i: [] for i in ids}
        rows: Any = bind.execute(_OFFERS.where(sa.column("person_id").in_(ids)))
        for person_id, *values in rows:
            values[5], values[7] = _aware(values[5]), _aware(values[7])
            offers[person_id].append(offer_from_values(*values))
        summaries = [
            {"s": encode(summarise(o, now, library=library), now), "i": i} for i, o in offers.items()
        ]
        bind.execute(sa.text("UPDATE people SET plan_summary = :s WHERE id = :i"), summaries)
        written += len(summaries)


def _aware(value: object) -> datetime | None:
    """SQLite gives the stored UTC text (or a naive datetime), PostgreSQL an aware datetime."""
    if value is None:
        return None
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
