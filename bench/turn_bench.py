"""CPU time of one DM turn in the serving process: ``Conversation.handle``, as every adapter calls it.

    .venv/bin/python bench/turn_bench.py sqlite:////tmp/turns.db
    .venv/bin/python bench/turn_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/journeybot_bench_turns

The database is created (or replaced) and migrated; ``--people`` people each say something first
(so they exist, and are known to this process, as regulars are), with ``--offers`` offers and half
as many activities of history each. Then ``--turns`` turns round-robin over them, alternating
"help", "journey" and "log shared an article", are timed with ``time.process_time`` (this process's
CPU: the engine, the ORM, the driver's Python side; the database server's own CPU is not in it on
PostgreSQL, SQLite's is, as it runs in this process). Then ``--first-turns`` new people each say
"hi" (created and greeted in their first turn), timed apart. Prints CPU ms and wall ms per turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import reset
from bot.main.build import build
from bot.settings import Settings
from bot.store.models import ActivityRow, OfferRow
from bot.store.urls import sync_url
from nudges.catalogue import BUILTIN
from nudges.events import Inbound, PersonRef, Said

WORDS = ("help", "journey", "log shared an article")


def add_history(url: str, people: list[int], offers: int, now: datetime) -> None:
    engine = create_engine(sync_url(url))
    rng = random.Random(7)
    with engine.begin() as connection:
        for person_id in people:
            rows = []
            for k in range(offers):
                template = rng.choice(BUILTIN)
                at = now - timedelta(days=3 * (k + 1))
                rows.append({
                    "id": f"b{person_id}-{k}", "person_id": person_id, "key": template.id, "kind": template.kind,
                    "category": template.category.value, "company": False, "offered_at": at, "answer": "done",
                    "answered_at": at + timedelta(hours=2),
                })  # fmt: skip
            if rows:
                connection.execute(insert(OfferRow), rows)
            acts = [
                {"person_id": person_id, "kind": "followed", "at": now - timedelta(days=5 * (k + 1)), "note": "",
                 "source": "logged"}
                for k in range(offers // 2)
            ]  # fmt: skip
            if acts:
                connection.execute(insert(ActivityRow), acts)
    engine.dispose()


async def run(url: str, people: int, offers: int, turns: int, firsts: int) -> dict:
    reset(url)
    app = await build(Settings(database_url=url, random_seed=1, _env_file=None), migrate=False)  # type: ignore[call-arg]
    conversation = app.conversation
    refs = [
        PersonRef("slack", f"U{n:06d}", tenant="T1", email=f"u{n}@example.com", name=f"Person {n}")
        for n in range(people)
    ]
    ids = [
        (await conversation.handle(Inbound(ref, Said("hi"), f"T1:D{ref.user_id}"))).person_id for ref in refs
    ]
    add_history(url, ids, offers, datetime.now(UTC))
    for ref in refs:  # warm: every code path once
        for word in WORDS:
            await conversation.handle(Inbound(ref, Said(word), f"T1:D{ref.user_id}"))
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(turns):
        ref = refs[n % people]
        await conversation.handle(Inbound(ref, Said(WORDS[n % len(WORDS)]), f"T1:D{ref.user_id}"))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    # Someone new's first message: they are created and greeted in the turn (a company-wide "say hi").
    first_cpu, first_wall = time.process_time(), time.perf_counter()
    for n in range(firsts):
        # With a time zone, as Slack's users.info gives one (the adapter passes it on).
        ref = PersonRef(
            "slack",
            f"N{n:06d}",
            tenant="T1",
            email=f"n{n}@example.com",
            name=f"Newcomer {n}",
            timezone="Europe/London",
        )
        await conversation.handle(Inbound(ref, Said("hi"), f"T1:D{ref.user_id}"))
    first_cpu, first_wall = time.process_time() - first_cpu, time.perf_counter() - first_wall
    await app.close()
    return {
        "database": url.split("://")[0], "people": people, "offers_each": offers, "turns": turns,
        "cpu_ms_per_turn": round(1000 * cpu / turns, 2), "wall_ms_per_turn": round(1000 * wall / turns, 2),
        **({"first_turns": firsts, "cpu_ms_per_first_turn": round(1000 * first_cpu / firsts, 2),
            "wall_ms_per_first_turn": round(1000 * first_wall / firsts, 2)} if firsts else {}),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--offers", type=int, default=100)
    parser.add_argument("--turns", type=int, default=1500)
    parser.add_argument(
        "--first-turns", type=int, default=500, help="new people's first messages, timed apart"
    )
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.people, args.offers, args.turns, args.first_turns))))


if __name__ == "__main__":
    main()
