"""What the composition root (``bot/main``) hands a platform adapter, and nothing more.

The conversation service, the core store, the database (each adapter builds its own store over its
own tables from it: Slack's records and installations; the digest subscriptions through
``bot.digests``), the settings and
the clock. Never the whole application, so an adapter cannot reach the scheduler, delivery or
another platform. It lives beside the conversation service because holding conversations is what
every adapter is for; the ``Sender`` port an adapter implements is in ``bot/ports.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.content.service import ContentService
from bot.conversation.service import Conversation
from bot.settings import Settings
from bot.store.database import Database
from bot.store.store import Store


@dataclass(frozen=True)
class AdapterDeps:
    """What every platform adapter gets (``mount``, ``build_sender``, the console chat)."""

    settings: Settings
    conversation: Conversation
    store: Store
    db: Database
    clock: Callable[[], datetime]
    content: ContentService  # marketing's suggested shares: create, end, report
