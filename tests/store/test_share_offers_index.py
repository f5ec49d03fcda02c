"""The offers of one suggested share are found through ``ix_offers_share_key`` (migration 0024), not
by reading every offer: ending an item (its sent cards), bringing one back and a report on one item,
on each database. (A year of history is ten million offers: a scan took 1.2–4.3 s per item.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from bot.content.report import content_report
from bot.content.store import ContentStore
from bot.store.database import Database
from tests.delivery.fakes import FakeClock, add_person, make_app
from tests.scheduling.test_batches import LATE_MONDAY
from tests.scheduling.test_ended_content import _item, _offered
from tests.store.query_plans import query_plan

INDEX = "ix_offers_share_key"


async def _plans(database: Database, run: Callable[[], Awaitable[object]]) -> list[str]:
    """How the database would run each statement on an item's offers that ``run`` executes."""
    captured: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        if "offers" in statement and "content:" in repr(parameters):
            captured.append((statement, parameters))

    sync_engine = database.engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        await run()
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)
    return [await query_plan(database, statement, parameters) for statement, parameters in captured]


async def test_an_items_offers_are_found_by_the_index(database: Database) -> None:
    app = await make_app(database, FakeClock(LATE_MONDAY))
    await app.store.upsert_content([_item("ended", LATE_MONDAY - timedelta(days=20))])
    person = await add_person(database, "p@example.com")
    await _offered(database, person, "ended", 40)

    plans = await _plans(database, lambda: ContentStore(database).sent_cards("ended"))
    plans += await _plans(database, lambda: content_report(database, "ended", None))
    brought_back = _item("ended", LATE_MONDAY + timedelta(days=10))
    plans += await _plans(database, lambda: app.store.upsert_content([brought_back]))

    assert len(plans) == 3, plans  # the sent cards, the report's offers, the revival's update
    assert all(INDEX in plan for plan in plans), plans
