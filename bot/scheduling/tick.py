"""One scheduler pass: plan (who is due, and what to send them) into the outbox, then deliver.

Planning streams over the people whose ``next_due_at`` has come (or was cleared by a change), a batch
at a time: a batch is claimed in one short transaction (``bot/scheduling/sql.py``: replicas ticking at the
same instant take different people), planned by the pure engine (``bot/scheduling/batch.py``; in worker
processes when the tick is big, ``bot/scheduling/pool.py``), and written in another short transaction:
offers, outbox rows and the new ``next_due_at`` values in bulk. The offer and its outbox row commit
together, so a planned nudge is either fully there or not at all. While workers plan batches, the
tick reads the next ones and writes the finished ones. Then the team digests that are due join the
outbox (``bot/digests/planning.py``), and delivery sends what is ready.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from bot.creators.service import Creators
from bot.delivery.deliver import Delivery, DeliveryReport
from bot.digests.planning import DigestReport, plan_digests
from bot.observability.metrics import TICK_SECONDS
from bot.scheduling.batch import Context, Planned, collector_paused
from bot.scheduling.pool import Planners
from bot.scheduling.sql import Claim, batches_for
from bot.store.database import Database
from bot.store.privacy import erase_leavers
from bot.store.store import Store
from nudges.library import Library, Template

log = logging.getLogger(__name__)
BATCH = 1000
AUTO_ENROL_SETTING = "auto_enrol_teams"  # org setting: teams whose people get nudges without starting


@dataclass(frozen=True)
class Planning:
    """What a planning pass reads and uses; the composition root (``bot/main``) fills it in."""

    db: Database
    store: Store
    templates: tuple[Template, ...]
    rng: random.Random  # each batch's choices are drawn from it, so RANDOM_SEED reproduces a tick
    planners: Planners  # worker processes for a big tick, kept between ticks
    seed: int = 0  # RANDOM_SEED, for the spread send minutes
    console: bool = False  # no platform configured: the console (by email) reaches everyone
    retention_days: int = 30  # RETENTION_DAYS: leavers are erased this long after they left
    # Copy-edit drafts nobody claimed within a working day get one gentle reminder (bot/creators).
    creators: Creators | None = None


@dataclass
class TickReport:
    looked_at: int = 0
    planned: int = 0
    reminded: int = 0  # copy-edit requests whose editors were reminded
    delivered: DeliveryReport | None = None
    erased: int = 0  # leavers whose retention ran out, erased in this pass
    digests: DigestReport | None = None


async def tick(
    planning: Planning,
    now: datetime,
    *,
    delivery: Delivery | None = None,
    deadline: datetime | None = None,
) -> TickReport:
    """Plan for everyone due at ``now``, then deliver what is ready through ``delivery``, until
    nothing is or ``deadline`` has passed. Without a ``delivery`` it only plans (``--plan-only``)."""
    with TICK_SECONDS.time():
        erased = await erase_leavers(planning.db, now, planning.retention_days)
        if erased:
            log.info("erased %s leaver(s) whose retention had run out", erased)
        report = await plan(planning, now)
        report.erased = erased
        report.digests = await plan_digests(planning.db, now)  # the weekly team digests that are due
        if planning.creators is not None:
            report.reminded = await planning.creators.remind(now)
        if delivery is not None:
            report.delivered = await delivery.drain(deadline)
    return report


async def plan(planning: Planning, now: datetime, batch_size: int = BATCH) -> TickReport:
    store = planning.store
    batches = batches_for(planning.db.engine)
    await batches.read_revivals()  # before the library: see Batches._content_as_read
    context = Context(
        now=now,
        library=Library(planning.templates, await store.active_content(now)),
        auto_enrolled_teams=frozenset(await store.get_setting(AUTO_ENROL_SETTING, None) or ()),
        seed=planning.seed,
        console=planning.console,
        dialect=planning.db.engine.dialect.name,
        holidays=await store.holidays(),
    )
    planners = planning.planners.for_tick(context)
    report, after, more = TickReport(), 0, True
    in_flight: deque[tuple[Claim, asyncio.Future[Planned]]] = deque()
    try:
        while True:
            # Keep the planners busy: claim until enough batches are in flight, or nobody is due.
            while more and len(in_flight) < planners.depth:
                with collector_paused():
                    claim = await batches.claim(after, batch_size, now, planning.rng.getrandbits(64))
                    if claim is None:
                        more = False
                        break
                    if after == 0 and len(claim.ids) == batch_size:
                        planners.use_workers()  # a big tick: plan its batches on every core
                    after = claim.ids[-1]
                    in_flight.append((claim, planners.plan(claim.rows)))
            if not in_flight:
                return report
            claim, future = in_flight[0]
            planned = await future
            in_flight.popleft()  # the write lets go of the claim, whatever happens in it
            with collector_paused():
                report.planned += await batches.write(claim, planned, now)
            report.looked_at += planned.looked_at
            for person_id, why in planned.failed:
                log.warning("could not plan person %s (looked at again in a day): %s", person_id, why)
    finally:
        for _, future in in_flight:
            future.cancel()
        await asyncio.gather(*(future for _, future in in_flight), return_exceptions=True)
        for claim, _ in in_flight:
            await batches.abandon(claim)
