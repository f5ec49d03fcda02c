"""The outbox's depth and lag for ``/metrics``, read from the database at each scrape.

Read rather than counted, so every replica reports the same deployment-wide figures whichever of
them planned or sent the rows.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select

from bot.delivery.models import READY, DeliveryRow
from bot.observability.metrics import OUTBOX_DEPTH, OUTBOX_OLDEST_DUE_AGE
from bot.store.database import Database

log = logging.getLogger("journeybot.metrics")


async def read_outbox_gauges(db: Database, now: datetime) -> None:
    """Set the outbox gauges; on failure they keep their last values (``/readyz`` says why)."""
    waiting = DeliveryRow.status.in_(READY)
    try:
        async with db.engine.connect() as connection:
            depth = (await connection.execute(select(func.count()).where(waiting))).scalar_one()
            oldest = (
                await connection.execute(
                    select(func.min(DeliveryRow.not_before)).where(waiting, DeliveryRow.not_before <= now)
                )
            ).scalar_one()
    except Exception as error:  # a scrape must still answer with what the process knows
        log.warning("could not read the outbox for /metrics (%s)", type(error).__name__)
        return
    OUTBOX_DEPTH.set(depth)
    if oldest is not None and oldest.tzinfo is None:  # SQLite keeps naive UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    OUTBOX_OLDEST_DUE_AGE.set(max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0)
