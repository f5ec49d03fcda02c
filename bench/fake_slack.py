"""A local fake of Slack's Web API for the delivery benchmark: ``chat.postMessage`` with Slack's limits.

Limits, enforced on arrival at the server: at most one message per second per channel, and a
workspace-wide rate (``per_second`` with a ``burst``), both as GCRA like Slack's own description
("one per second per channel, short bursts tolerated, plus a workspace-wide limit"). Over a limit,
the answer is HTTP 429 with ``Retry-After`` (whole seconds, as Slack sends) and ``{"ok": false,
"error": "ratelimited"}``; nothing is recorded. Accepted messages are kept with their metadata key
so the benchmark can count duplicates and losses (``GET /stats``), and counted per channel too, so
``bench/ack_bench.py`` can check that every event was answered exactly once. The other Web API
methods a conversation calls (``auth.test``, ``users.info`` for anyone, ``conversations.open``,
``chat.update``, ``views.publish``) answer plausibly and are not limited.

It runs in its own process (``python -m bench.fake_slack --port …``), as Slack is not in ours: its
work does not stall the event loop of the worker being measured, and its clock is its own.
"""

from __future__ import annotations

import argparse
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
    rejected_by: Counter[str] = field(default_factory=Counter)  # which limit refused
    by_channel: Counter[str] = field(default_factory=Counter)  # channel -> messages accepted

    async def post_message(self, request: web.Request) -> web.Response:
        body = await request.post() if request.content_type != "application/json" else await request.json()
        channel = str(body.get("channel", ""))
        metadata = body.get("metadata") or {}
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        now = time.monotonic()
        wait, scope = max(self.channel.wait(channel, now), 0.0), "channel"
        if wait == 0:
            wait, scope = self.workspace.wait("workspace", now), "workspace"
            if wait > 0:  # the channel's slot was booked above; give it back
                self.channel.tat[channel] -= 1 / self.channel.per_second
        if wait > 0:
            self.rejected += 1
            self.rejected_by[scope] += 1
            headers = {"Retry-After": str(max(1, math.ceil(wait)))}
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
        self.accepted[metadata.get("event_payload", {}).get("key", "")] += 1
        self.by_channel[channel] += 1
        self.first = self.first or now
        self.last = now
        return web.json_response({"ok": True, "channel": channel, "ts": f"{now:.6f}"})

    async def stats(self, _request: web.Request) -> web.Response:
        accepted = sum(self.accepted.values())
        return web.json_response({
            "accepted": accepted, "distinct_keys": len(self.accepted),
            "duplicates": sum(c - 1 for c in self.accepted.values() if c > 1),
            "rejected_429": self.rejected, "rejected_by": dict(self.rejected_by),
            "seconds_first_to_last": (self.last or 0) - (self.first or 0),
        })  # fmt: skip

    async def channels(self, _request: web.Request) -> web.Response:
        """Messages accepted per channel (``bench/ack_bench.py``: one answer per event, one channel each)."""
        return web.json_response(dict(self.by_channel))

    async def other(self, request: web.Request) -> web.Response:
        """The rest of the Web API a conversation uses, unlimited: enough for a turn to run."""
        method = request.match_info["method"]
        body = (
            dict(await request.post()) if request.content_type != "application/json" else await request.json()
        )
        if method == "auth.test":
            return web.json_response({
                "ok": True, "team": "Bench", "team_id": "T1", "user": "journeybot", "user_id": "UBOT",
                "bot_id": "B1", "url": "https://bench.slack.com/", "is_enterprise_install": False,
            })  # fmt: skip
        if method == "users.info":
            user = str(body.get("user", ""))
            return web.json_response({"ok": True, "user": {
                "id": user, "name": user.lower(), "real_name": f"Person {user}", "tz": "Europe/London",
                "deleted": False, "is_bot": False,
                "profile": {"email": f"{user.lower()}@example.com", "real_name": f"Person {user}"},
            }})  # fmt: skip
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": "D" + str(body.get("users", "X"))[1:]}})
        return web.json_response(
            {"ok": True, "ts": f"{time.monotonic():.6f}", "channel": body.get("channel")}
        )

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/chat.postMessage", self.post_message)
        app.router.add_get("/stats", self.stats)
        app.router.add_get("/channels", self.channels)
        app.router.add_post("/api/{method}", self.other)
        return app


def main() -> None:
    parser = argparse.ArgumentParser(description="A rate-limited fake Slack for bench/delivery_bench.py")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--per-second", type=float, required=True)
    parser.add_argument("--burst", type=int, required=True)
    parser.add_argument("--channel-per-second", type=float, default=1.0)
    parser.add_argument("--channel-burst", type=int, default=1)
    args = parser.parse_args()
    channel = Limit(args.channel_per_second, args.channel_burst)
    fake = FakeSlack(workspace=Limit(args.per_second, args.burst), channel=channel)
    web.run_app(fake.web_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
