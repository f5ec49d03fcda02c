"""One scheduler pass: plan (who is due, and what to send them) into the outbox, then deliver.

Planning streams over the people whose ``next_due_at`` has come (or was cleared by a change), one
batch per transaction: the batch's rows are locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
replicas ticking at the same instant split the people between them instead of planning twice;
histories and addresses of a batch come in one query each; offers, outbox rows and the new
``next_due_at`` values are written in bulk. The offer and its outbox row commit together, so a
planned nudge is either fully there or not at all.
"""

from __future__ import annotations

import gc
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.bootstrap import App
from bot.db.mapping import PERSON_COLUMNS, person_from_row
from bot.db.models import PersonRow
from bot.db.outbox_models import PENDING, DeliveryRow
from bot.delivery import Delivery, DeliveryReport
from bot.delivery_plan import Standing, decide, idempotency_key
from bot.outbox_batch import Batch, insert_rows, load_batch
from bot.outbox_codec import encode
from nudges.dialogue import render_nudge
from nudges.library import Category
from nudges.views import welcome

BATCH = 1000
_PEOPLE = PersonRow.__table__
# What planning reads of a person: the engine's columns, and of the rest only what the plan asks
# (bookkeeping timestamps would be parsed for nothing; introduced/started only matter as yes/no).
_PLANNED = (
    _PEOPLE.c.id,
    _PEOPLE.c.team,
    _PEOPLE.c.introduced_at.is_not(None).label("introduced"),
    _PEOPLE.c.started_at.is_not(None).label("started"),
    *PERSON_COLUMNS,
)
AUTO_ENROL_SETTING = "auto_enrol_teams"  # org setting: teams whose people get nudges without starting


@dataclass
class TickReport:
    looked_at: int = 0
    planned: int = 0
    delivered: DeliveryReport | None = None


async def tick(
    app: App,
    now: datetime,
    *,
    plan_only: bool = False,
    delivery: Delivery | None = None,
    deadline: datetime | None = None,
) -> TickReport:
    """Plan for everyone due at ``now``, then (unless ``plan_only``) deliver what is ready, until
    nothing is or ``deadline`` has passed."""
    report = await plan(app, now)
    if not plan_only:
        delivery = delivery or Delivery.for_app(app)
        report.delivered = await delivery.drain(deadline)
    return report


async def plan(app: App, now: datetime, batch_size: int = BATCH) -> TickReport:
    library = await app.conversation.library(now)
    teams = frozenset(await app.store.get_setting(AUTO_ENROL_SETTING, None) or ())
    seed = app.settings.random_seed or 0
    console = not app.settings.any_platform  # asked once: settings do not change within a tick
    report, last_id = TickReport(), 0
    while True:
        # A Core connection, not a session: planning reads and writes tables, never ORM entities.
        async with app.db.engine.begin() as connection, _collector_paused():
            query = (
                select(*_PLANNED)
                .where(_PEOPLE.c.id > last_id, _PEOPLE.c.opted_out.is_(False))
                .where(_PEOPLE.c.unreachable_at.is_(None))
                .where(or_(_PEOPLE.c.next_due_at.is_(None), _PEOPLE.c.next_due_at <= now))
                .order_by(_PEOPLE.c.id)
                .limit(batch_size)
                .with_for_update(skip_locked=True)
            )
            rows = (await connection.execute(query)).all()
            if not rows:
                return report
            batch = await load_batch(connection, rows, now)
            dues, offers, deliveries = [], [], []
            for row in rows:
                person, history = person_from_row(row), batch.history(row.id)
                standing = Standing(bool(row.introduced), bool(row.started), row.team in teams)
                decision = decide(person, history, standing, library, now, app.rng, seed)
                dues.append((row.id, decision.next_due_at))
                nudge = decision.nudge
                where = batch.address(row.id, person.key, console=console)
                if nudge is None or where is None:
                    continue
                offer_id = secrets.token_hex(8)  # not from the seeded rng: a restart would repeat ids
                message = (
                    welcome(person)
                    if nudge.category == Category.INTRO
                    else render_nudge(nudge, person, offer_id)
                )
                offers.append((row.id, nudge.to_offer(offer_id, now)))
                deliveries.append({
                    "key": idempotency_key(row.id, person, nudge, now), "person_id": row.id, "offer_id": offer_id,
                    "category": nudge.category.value, "platform": where[0], "address": where[1],
                    "message": encode(message), "status": PENDING, "attempts": 0, "not_before": now,
                    "created_at": now,
                })  # fmt: skip
            offers, deliveries = await _keep_new(connection, batch, offers, deliveries, now)
            await batch.write_next_due(connection, dues)
            if deliveries:
                await insert_rows(connection, DeliveryRow.__table__, deliveries)
                await batch.insert_offers(connection, offers)
            report.looked_at += len(rows)
            report.planned += len(deliveries)
            last_id = rows[-1].id


@asynccontextmanager
async def _collector_paused() -> AsyncIterator[None]:
    """Pause Python's cyclic garbage collector while a batch is planned; it runs right after.

    A batch allocates hundreds of thousands of short-lived objects (rows, dataclasses, messages) that
    reference counting frees on its own; the collector still walked them over and over, about 12 %
    of a tick's CPU. Whatever cycles a batch leaves are collected as soon as it is back on."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


async def _keep_new(
    connection: AsyncConnection, batch: Batch, offers: list, deliveries: list, now: datetime
) -> tuple[list, list]:
    """Drop what was planned already (same key) and introductions another process claimed first."""
    existing = await batch.existing_keys(connection, [d["key"] for d in deliveries])
    intro_ids = [d["person_id"] for d in deliveries if d["category"] == Category.INTRO.value]
    claimed = await batch.claim_introductions(connection, intro_ids, now) if intro_ids else set()
    keep = [
        d["key"] not in existing and (d["category"] != Category.INTRO.value or d["person_id"] in claimed)
        for d in deliveries
    ]
    return [o for o, k in zip(offers, keep, strict=True) if k], [
        d for d, k in zip(deliveries, keep, strict=True) if k
    ]
