"""``GET /r/{token}``: count a click on a person's tracked link and send the browser on (302) to the
item's own URL. The target comes from the stored item, never from the request, so the route cannot
be used to send anyone anywhere else; a token we did not sign is a plain 404."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web

from bot.content.store import ContentStore
from bot.store.database import Database

log = logging.getLogger("journeybot.content")
ROUTE = "/r/{token}"
NOT_FOUND = "This link is not known here. If someone shared it with you, the article may have moved."


def redirect_handler(
    database: Database, public_url: str | None, clock: Callable[[], datetime]
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    content = ContentStore(database)

    async def follow(request: web.Request) -> web.StreamResponse:
        token = request.match_info.get("token", "")
        links = await content.links(public_url)
        target = await content.click(links, token, clock()) if len(token) <= 128 else None
        if target is None:
            raise web.HTTPNotFound(text=NOT_FOUND)
        # No caching: every click is counted, and the target follows the item if marketing edits it.
        raise web.HTTPFound(target, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    return follow
