"""The rules every suggested share is validated against, from the organisation's settings."""

from __future__ import annotations

from bot.content.store import ContentStore
from bot.content.validate import Rules
from bot.settings import Settings
from bot.store.database import Database


async def content_rules(database: Database, settings: Settings) -> Rules:
    links = await ContentStore(database).links(settings.public_url)
    return Rules(links=links, disclosure=settings.content_disclosure or "")
