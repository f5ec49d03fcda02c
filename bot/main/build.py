"""The one wiring function: settings in, a ready application out.

``App`` holds everything built once per process. Each subsystem and each adapter gets only the
narrow part it needs (``planning``, ``delivery()``, ``tick_job()``, ``adapter_deps``), never the
``App`` itself: this package is the only one that knows them all.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Every table in ``metadata`` (as migrations/tables.py lists them): a person's data is found and
# erased in all of them (bot/store/privacy.py), whichever platforms this process serves.
from adapters.slack import models as _slack_tables  # noqa: F401
from adapters.teams import models as _teams_tables  # noqa: F401
from bot.content.service import ContentService
from bot.content.store import ContentStore
from bot.conversation import models as _inbox_tables  # noqa: F401
from bot.conversation.deps import AdapterDeps
from bot.conversation.service import Conversation
from bot.creators.service import Creators
from bot.delivery.deliver import Delivery
from bot.importers.catalogue import load_catalogue
from bot.main.senders import configured_senders
from bot.ports import Sender
from bot.scheduling.jobs import TickJob
from bot.scheduling.pool import Planners, auto_workers
from bot.scheduling.tick import Planning
from bot.settings import Settings
from bot.store.database import Database
from bot.store.migrate import SchemaNotReady, schema_problem, upgrade
from bot.store.store import Store
from nudges.catalogue import BUILTIN
from nudges.library import Template

log = logging.getLogger("journeybot")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    db: Database
    store: Store
    templates: tuple[Template, ...]
    conversation: Conversation
    clock: Callable[[], datetime]
    rng: random.Random
    # One Sender per platform the outbox can deliver to (bot/main/senders.py chooses them).
    senders: dict[str, Sender] = field(default_factory=dict)
    # Worker processes for big planning ticks, started on the first one (bot/scheduling/pool.py).
    planners: Planners = field(default_factory=lambda: Planners(0))

    # The narrow parts are read afresh each time, so a test that swaps the database or a sender
    # after ``build`` is seen by everything built from the App afterwards.

    @property
    def adapter_deps(self) -> AdapterDeps:
        """What every platform adapter gets."""
        content = ContentService(self.db, self.store, self.settings, self.clock, self.senders)
        return AdapterDeps(self.settings, self.conversation, self.store, self.db, self.clock, content)

    @property
    def planning(self) -> Planning:
        return Planning(
            self.db,
            self.store,
            self.templates,
            self.rng,
            self.planners,
            seed=self.settings.random_seed or 0,
            console=not self.settings.any_platform,
            retention_days=self.settings.retention_days,
            creators=self.conversation.creators,
        )

    def delivery(self, **options: Any) -> Delivery:
        """A delivery worker as the settings configure it; ``options`` override (see ``Delivery``)."""
        return Delivery.configured(
            self.settings, self.db, self.senders, clock=self.clock, templates=self.templates, **options
        )

    def tick_job(self, delivery: Delivery | None = None) -> TickJob:
        """The scheduler's one job: plan and deliver every ``TICK_SECONDS``."""
        delivery = self.delivery() if delivery is None else delivery
        return TickJob(self.planning, delivery, self.clock, self.settings.tick_seconds)

    async def close(self) -> None:
        await self.planners.close()
        await self.db.dispose()


async def _schema_problem(db: Database) -> str | None:
    """PostgreSQL is upgraded as a deployment step: refuse to start on a schema that is not at head."""
    try:
        return await schema_problem(db.engine)
    except BaseException:
        await db.dispose()
        raise


async def build(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    rng: random.Random | None = None,
    migrate: bool | None = None,
) -> App:
    """Wire the application. SQLite databases are upgraded automatically (``migrate=None``);
    PostgreSQL is upgraded by ``journeybot db upgrade`` as a deliberate deployment step."""
    settings = settings or Settings()
    templates = load_catalogue(settings.catalogue_file, BUILTIN)
    db = Database(settings.database_url)
    if migrate or (migrate is None and db.is_sqlite):
        await upgrade(settings.database_url)
    elif (problem := await _schema_problem(db)) is not None:
        await db.dispose()
        raise SchemaNotReady(problem)
    store = Store(db)
    # The tracked-link secret is made now, once, rather than by the first render: a render can run
    # inside delivery's write on SQLite, where a second writer would wait for the lock.
    await ContentStore(db).links(settings.public_url)
    rng = rng or random.Random(settings.random_seed)
    conversation = Conversation(store, templates, clock, rng, settings.public_url)
    workers = auto_workers() if settings.plan_workers is None else settings.plan_workers
    app = App(settings, db, store, templates, conversation, clock, rng, planners=Planners(workers))
    app.senders.update(configured_senders(app.adapter_deps))
    conversation.creators = Creators(db, clock, app.senders)
    return app
