"""Deliver N outbox rows through the production Slack Sender to a local fake Slack that rate-limits.

    .venv/bin/python bench/delivery_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench_delivery \\
        --messages 10000 --channels 2000 --per-second 100

The fake (``bench/fake_slack.py``, in its own process) allows one message per second per channel and
``--per-second`` per workspace (burst ``--burst``), answering 429 + Retry-After beyond that. The
worker is what ``journeybot worker`` runs: ``bot.main.build.build`` with Slack configured (so the
Sender, its client and slack_sdk retry handlers are the production ones) and ``app.delivery()``
(the production rate limiter, with ``SLACK_WORKSPACE_PER_SECOND`` set to the fake's workspace limit,
as an operator who knows their workspace's limit would). Rows are planned round-robin over the
channels (like real nudges: one person, one DM).

The allowed rate is the fake's workspace limit, or the channels' own limit (one a second each) when
there are fewer channels than that: ``--channels 50`` at ``--per-second 100`` makes the per-channel
limit the one that binds. Reported: duplicates and losses seen by the fake, 429s (and which limit
refused), elapsed time from the first to the last accepted message, and the achieved share of the
allowed rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import reset
from bot.delivery.models import DeliveryRow
from bot.main.build import build
from bot.settings import Settings
from bot.store.models import OfferRow, PersonRow
from bot.store.urls import sync_url
from nudges.catalogue import BUILTIN
from nudges.library import Category

OPEN = ("pending", "failed", "claimed", "sending")


def prepare(url: str, messages: int, channels: int) -> None:
    """People who may hear from the bot at any hour, and ``messages`` pending rows round-robin, each
    with its offer and no message, as planning writes them: the worker renders each as it sends."""
    reset(url)
    now = datetime.now(UTC)
    step = next(t for t in BUILTIN if t.category == Category.STEP)
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        connection.execute(insert(PersonRow), [
            {"id": c + 1, "email": f"p{c}@example.com", "work_days": list(range(7)), "work_start": "00:00",
             "work_end": "23:59", "roles": ["employee"], "networks": [], "topics": [], "retired_kinds": [],
             "milestones": [], "onboarded_at": now, "created_at": now, "updated_at": now}
            for c in range(channels)
        ])  # fmt: skip
        connection.execute(insert(OfferRow), [
            {"id": f"bench{n:08d}", "person_id": n % channels + 1, "key": step.id, "kind": step.kind,
             "category": step.category.value, "company": False, "offered_at": now}
            for n in range(messages)
        ])  # fmt: skip
        connection.execute(insert(DeliveryRow), [
            {"key": f"{n % channels + 1}/bench-{n // channels}/day", "person_id": n % channels + 1,
             "offer_id": f"bench{n:08d}", "category": "step", "platform": "slack", "address": f"D{n % channels:06d}",
             "message": None, "status": "pending", "attempts": 0, "not_before": now, "created_at": now}
            for n in range(messages)
        ])  # fmt: skip
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_fake(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    args.port = args.port or free_port()  # a port of our own: never another run's fake
    fake = subprocess.Popen(
        [sys.executable, "-m", "bench.fake_slack", "--port", str(args.port),
         "--per-second", str(args.per_second), "--burst", str(args.burst)],
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", args.port)) == 0 and fake.poll() is None:
                return fake
        if time.monotonic() > deadline or fake.poll() is not None:
            raise SystemExit("the fake Slack did not start")
        time.sleep(0.1)


async def deliver(url: str, args: argparse.Namespace) -> dict:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        slack_bot_token="xoxb-bench",  # type: ignore[arg-type]
        slack_signing_secret="bench",  # type: ignore[arg-type]
        slack_api_url=f"http://127.0.0.1:{args.port}/api/",
        slack_workspace_per_second=args.per_second,
        delivery_concurrency=args.concurrency,
    )
    app = await build(settings, migrate=False)
    delivery = app.delivery(batch=args.batch)
    started = time.monotonic()
    while True:
        report = await delivery.drain()
        async with app.db.sessions() as session:
            open_rows = await session.scalar(select(func.count()).where(DeliveryRow.status.in_(OPEN)))
        if not open_rows:
            break
        if not report.sent:
            await asyncio.sleep(0.05)  # rows wait for their Retry-After
    wall = time.monotonic() - started
    async with app.db.sessions() as session:
        statuses = dict(
            (
                await session.execute(select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status))
            ).all()
        )
    await app.close()
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{args.port}/stats") as answer:
        seen = await answer.json()
    allowed = min(args.per_second, args.channels * 1.0)  # the workspace's limit, or the channels' own
    span = seen["seconds_first_to_last"]
    achieved = (seen["accepted"] - 1) / span if span else 0.0
    return {
        "messages": args.messages, "channels": args.channels, "workspace_per_second": args.per_second,
        "allowed_per_second": allowed, "concurrency": args.concurrency, **seen,
        "lost": args.messages - seen["distinct_keys"], "statuses": statuses,
        "seconds_first_to_last": round(span, 2), "wall_seconds": round(wall, 2),
        "achieved_per_second": round(achieved, 1), "share_of_allowed": round(achieved / allowed, 3),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=2_000)
    parser.add_argument("--per-second", type=float, default=100.0)
    parser.add_argument("--burst", type=int, default=10, help="the fake's workspace burst")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=0, help="the fake's port (default: a free one)")
    args = parser.parse_args()
    prepare(args.url, args.messages, args.channels)
    fake = start_fake(args)
    try:
        print(json.dumps(asyncio.run(deliver(args.url, args))))
    finally:
        fake.terminate()
        fake.wait(timeout=10)


if __name__ == "__main__":
    main()
