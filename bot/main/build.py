"""The one wiring function: settings in, a ready application out."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.conversation.service import Conversation
from bot.delivery.senders import configured_senders
from bot.importers.catalogue import load_catalogue
from bot.ports import Sender
from bot.scheduling.pool import Planners, auto_workers
from bot.settings import Settings
from bot.store.database import Database
from bot.store.migrate import upgrade
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
    # One Sender per platform the outbox can deliver to (bot/delivery/senders.py registers them).
    senders: dict[str, Sender] = field(default_factory=dict)
    # Worker processes for big planning ticks, started on the first one (bot/scheduling/pool.py).
    planners: Planners = field(default_factory=lambda: Planners(0))

    async def close(self) -> None:
        await self.planners.close()
        await self.db.dispose()


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
    store = Store(db)
    rng = rng or random.Random(settings.random_seed)
    conversation = Conversation(store, templates, clock, rng, settings.public_url)
    workers = auto_workers() if settings.plan_workers is None else settings.plan_workers
    app = App(settings, db, store, templates, conversation, clock, rng, planners=Planners(workers))
    app.senders.update(configured_senders(app))
    return app
