"""A local fake of Slack's Web API for the delivery benchmark: ``chat.postMessage`` with Slack's limits.

Limits, enforced on arrival at the server: at most one message per second per channel, and a
workspace-wide rate (``per_second`` with a ``burst``), both as GCRA like Slack's own description
("one per second per channel, short bursts tolerated, plus a workspace-wide limit"). Over a limit,
the answer is HTTP 429 with ``Retry-After`` (whole seconds, as Slack sends) and ``{"ok": false,
"error": "ratelimited"}``; nothing is recorded. Accepted messages are kept with their metadata key
so the benchmark can count duplicates and losses.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Limit:
    per_second: float
    burst: int
    tat: dict[str, float] = field(default_factory=dict)  # scope -> theoretical arrival time

    def wait(self, scope: str, now: float) -> float:
        """0 if a message may go now (and books it), else the seconds until it may."""
        interval, tolerance = 1 / self.per_second, (self.burst - 1) / self.per_second
        tat = max(self.tat.get(scope, now), now)
        if tat - tolerance > now:
            return tat - tolerance - now
        self.tat[scope] = tat + interval
        return 0.0


@dataclass
class FakeSlack:
    workspace: Limit
    channel: Limit = field(default_factory=lambda: Limit(1.0, 1))
    accepted: Counter[str] = field(default_factory=Counter)  # outbox key -> times posted
    first: float | None = None
    last: float | None = None
    rejected: int = 0

    async def post_message(self, request: web.Request) -> web.Response:
        body = await request.post() if request.content_type != "application/json" else await request.json()
        channel = str(body.get("channel", ""))
        metadata = body.get("metadata") or {}
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        now = time.monotonic()
        wait = max(self.channel.wait(channel, now), 0.0)
        if wait == 0:
            wait = self.workspace.wait("workspace", now)
            if wait > 0:  # the channel's slot was booked above; give it back
                self.channel.tat[channel] -= 1 / self.channel.per_second
        if wait > 0:
            self.rejected += 1
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
        self.accepted[metadata.get("event_payload", {}).get("key", "")] += 1
        self.first = self.first or now
        self.last = now
        return web.json_response({"ok": True, "channel": channel, "ts": f"{now:.6f}"})

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/chat.postMessage", self.post_message)
        return app
