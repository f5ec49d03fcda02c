"""Deliver N outbox rows through the Slack adapter's Sender to a local fake Slack that rate-limits.

    .venv/bin/python bench/delivery_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench \
        --messages 10000 --channels 2000 --per-second 100

The fake (``bench/fake_slack.py``) allows one message per second per channel and ``--per-second``
per workspace (burst ``--burst``), answering 429 + Retry-After beyond that. Our limiter is configured
with the same figures times ``--headroom`` (0.95), as it would be with Slack's. Rows are planned round-robin over the channels
(like real nudges: one person, one DM). Reported: duplicates and losses seen by the fake, 429s,
elapsed time from the first to the last accepted message, and the achieved share of the allowed rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy import create_engine, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.sender import SlackSender
from bench.fake_slack import FakeSlack, Limit
from bench.generate import reset
from bot.bootstrap import utc_now
from bot.db.database import Database
from bot.db.models import PersonRow
from bot.db.outbox_models import DeliveryRow
from bot.db.urls import sync_url
from bot.delivery import Delivery
from bot.outbox_codec import encode
from bot.ratelimit import PlatformLimits, Rate, RateLimiter
from nudges.messages import text_message


def prepare(url: str, messages: int, channels: int) -> None:
    """People who may hear from the bot at any hour, and ``messages`` pending rows round-robin."""
    reset(url)
    now = datetime.now(UTC)
    body = encode(text_message("A small step for today: **follow three voices** in your field."))
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        connection.execute(insert(PersonRow), [
            {"id": c + 1, "email": f"p{c}@example.com", "work_days": list(range(7)), "work_start": "00:00",
             "work_end": "23:59", "roles": ["employee"], "networks": [], "topics": [], "retired_kinds": [],
             "milestones": [], "onboarding_step": 9, "created_at": now, "updated_at": now}
            for c in range(channels)
        ])  # fmt: skip
        connection.execute(insert(DeliveryRow), [
            {"key": f"{n % channels + 1}/bench-{n // channels}/day", "person_id": n % channels + 1, "offer_id": None,
             "category": "step", "platform": "slack", "address": f"D{n % channels:06d}", "message": body,
             "status": "pending", "attempts": 0, "not_before": now, "created_at": now}
            for n in range(messages)
        ])  # fmt: skip
    engine.dispose()


async def deliver(url: str, fake: FakeSlack, port: int, args: argparse.Namespace) -> dict:
    runner = web.AppRunner(fake.web_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client = AsyncWebClient(token="xoxb-bench", base_url=f"http://127.0.0.1:{port}/api/")

    async def client_for(_team: str) -> AsyncWebClient:
        return client

    # Our pace is a little under the fake's (``--headroom``): arrivals jitter by a few milliseconds, and
    # each 429 costs a whole second of Retry-After for the workspace, far more than the headroom.
    pace = Rate(args.per_second * args.headroom, args.burst)
    limits = {"slack": PlatformLimits(Rate(1.0, 1), pace)}
    database = Database(url)
    delivery = Delivery(database, {"slack": SlackSender(client_for)}, clock=utc_now,
                        limiter=RateLimiter(utc_now, asyncio.sleep, limits), batch=args.batch,
                        concurrency=args.concurrency)  # fmt: skip
    started = time.monotonic()
    while True:
        report = await delivery.drain()
        async with database.sessions() as session:
            open_rows = await session.scalar(
                select(func.count()).where(
                    DeliveryRow.status.in_(("pending", "failed", "claimed", "sending"))
                )
            )
        if not open_rows:
            break
        if not report.sent:
            await asyncio.sleep(0.05)  # rows wait for their Retry-After
    wall = time.monotonic() - started
    async with database.sessions() as session:
        statuses = dict(
            (
                await session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))
            ).all()
        )
    await database.dispose()
    await runner.cleanup()
    span = (fake.last or 0) - (fake.first or 0)
    allowed = args.per_second  # the workspace limit binds: rows are spread over many channels
    achieved = (sum(fake.accepted.values()) - 1) / span if span else 0.0
    return {
        "messages": args.messages, "channels": args.channels, "allowed_per_second": allowed,
        "our_pace_per_second": args.per_second * args.headroom, "concurrency": args.concurrency,
        "accepted": sum(fake.accepted.values()), "distinct_keys": len(fake.accepted),
        "duplicates": sum(c - 1 for c in fake.accepted.values() if c > 1),
        "lost": args.messages - len(fake.accepted), "rejected_429": fake.rejected, "statuses": statuses,
        "seconds_first_to_last": round(span, 2), "wall_seconds": round(wall, 2),
        "achieved_per_second": round(achieved, 1), "share_of_allowed": round(achieved / allowed, 3),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--per-second", type=float, default=100.0)
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument(
        "--headroom", type=float, default=0.95, help="our pace as a share of the fake's limit"
    )
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    prepare(args.url, args.messages, args.channels)
    fake = FakeSlack(workspace=Limit(args.per_second, args.burst))
    print(json.dumps(asyncio.run(deliver(args.url, fake, args.port, args))))


if __name__ == "__main__":
    main()
