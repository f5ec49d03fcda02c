"""A synthetic organisation for the benchmarks: people, Slack identities, a history, some content.

    .venv/bin/python bench/generate.py sqlite:////tmp/org.db --people 100000
    .venv/bin/python bench/generate.py postgresql+psycopg://postgres@127.0.0.1:5432/bench --people 100000

The database is created (PostgreSQL) or replaced (SQLite) and migrated first. Everyone finished
onboarding and is due (``next_due_at`` NULL); nine in ten work in a zone at UTC+0 in November (so
at the bench instant, Monday 16:29 UTC, their window is open and their spread minute has passed:
the worst case, everyone gets a nudge); one in ten in New York or Tokyo, whose window is closed
then (they only get their ``next_due_at`` computed). Each person has three answered offers and two
activities from the last weeks, so histories are not empty. Seeded: the same org every time.

``--history N`` gives everyone N offers over the last year instead (steps and prompts of the
catalogue, shares of a year of content, follow-ups and celebrations in the mix the planner makes; a
third answered Done, a sixth Later, the rest unanswered; none in the last two days) and N/2
activities: about a year of a real organisation. Either way every person's planning
summary (``people.plan_summary``) is written afterwards, as migration 0016 does for a real database.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, create_engine, insert, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store.backfill import backfill
from bot.store.migrate import alembic_config
from bot.store.models import ActivityRow, ContentItemRow, IdentityRow, OfferRow, PersonRow
from bot.store.urls import backend, sync_url
from migrations import tables as registry
from nudges.catalogue import BUILTIN
from nudges.library import Category, ContentItem, Library
from nudges.person import offer_id

assert registry.TABLE_MODULES  # every table known to the metadata
OPEN_ZONES = ["UTC", "Europe/London", "Europe/Lisbon", "Atlantic/Reykjavik", "Africa/Abidjan"]
CLOSED_ZONES = ["America/New_York", "Asia/Tokyo"]
TOPICS = ["cloud", "security", "hiring", "design", "data", "sales"]
NETWORKS = ["linkedin", "x", "facebook"]
CHUNK = 5000
STEPS = [t for t in BUILTIN if t.category in (Category.STEP, Category.PROMPT)]
NOW = datetime(2026, 11, 23, 16, 29, tzinfo=UTC)  # the bench instant: Monday 16:29 UTC


def reset(url: str) -> None:
    """A new, migrated, empty database at ``url``."""
    if backend(url) == "sqlite":
        Path(make_url(url).database or "").unlink(missing_ok=True)
    else:
        _create(url)
    command.upgrade(alembic_config(url), "head")


def copy_of(template: str, url: str) -> None:
    """``url`` made a copy of the database ``template`` (PostgreSQL: ``CREATE DATABASE … TEMPLATE``,
    a file copy; SQLite: the file), to run a tick again on the same organisation without generating
    it again (a year of history for 100,000 people takes minutes to generate).

    The copy is on disk before this returns, so that a tick timed next does not pay for writing it:
    a SQLite copy of a year of history is 2.7 GB of dirty pages, which the tick's first checkpoint
    (an ``fdatasync`` of the file) would otherwise flush; PostgreSQL's copy is checkpointed."""
    if backend(url) == "sqlite":
        shutil.copyfile(make_url(template).database or "", make_url(url).database or "")
        os.sync()
    else:
        _create(url, template=make_url(template).database)
        _checkpoint(url)


def _checkpoint(url: str) -> None:
    engine = create_engine(sync_url(make_url(url)), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("CHECKPOINT"))
    engine.dispose()


def _create(url: str, template: str | None = None) -> None:
    """The PostgreSQL database of ``url`` dropped and created again (empty, or as ``template``)."""
    name = make_url(url).database
    admin = create_engine(sync_url(make_url(url).set(database="postgres")), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(
            text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        )
    admin.dispose()


def people(n: int, rng: random.Random) -> list[dict]:
    zones = [rng.choice(OPEN_ZONES) if rng.random() < 0.9 else rng.choice(CLOSED_ZONES) for _ in range(n)]
    return [
        {
            "id": i + 1, "email": f"person{i + 1}@example.com", "name": f"Person {i + 1}", "timezone": zones[i],
            "team": f"team{i % 200}", "roles": ["employee"], "zone": rng.randint(1, 4),
            "networks": rng.sample(NETWORKS, 2), "topics": rng.sample(TOPICS, 2), "work_days": [0, 1, 2, 3, 4],
            "work_start": "09:30", "work_end": "16:30", "weekly_cap": 2, "retired_kinds": [],
            "onboarded_at": NOW - timedelta(days=89), "opted_out": False, "milestones": [], "started_at": NOW - timedelta(days=90),
            "introduced_at": NOW - timedelta(days=91), "created_at": NOW, "updated_at": NOW,
        }
        for i in range(n)
    ]  # fmt: skip


# A year of the marketing team's content, two items a week, each live for four weeks: what the
# shares in a year of history were offered from (all but the last few have ended by ``NOW``).
YEAR_ITEMS = [
    (f"week-{week:02d}-{TOPICS[(2 * week + n) % 6]}-reading-{n}", NOW - timedelta(weeks=52 - week), n == 0)
    for week in range(52)
    for n in range(2)
]  # fmt: skip
ITEM_LIVE = timedelta(weeks=4)
FOLLOWED = frozenset(t.id for t in STEPS if t.follow_up)
ANSWERS = ("done", "done", "later", None, None, None)


def long_history(person_id: int, rng: random.Random, n: int) -> tuple[list[dict], list[dict]]:
    """``n`` offers over the last year, in the mix the planner makes (``journeybot simulate`` shows
    it): about a quarter shares of the content live at the time (each item once), a sixth
    follow-ups of steps left open two to ten days before, a few celebrations, the rest steps and
    prompts. Follow-ups and shares are what make a real person's history long: a summary keeps
    every item ever offered."""
    offers: list[dict] = []
    open_steps: list[tuple[datetime, str, str]] = []  # (offered at, id, kind) of steps left open
    shared: set[str] = set()
    celebrated = 0
    for at in sorted(NOW - timedelta(minutes=rng.randint(2 * 24 * 60, 365 * 24 * 60)) for _ in range(n)):
        made_id = offer_id(at, rng.getrandbits(48))  # as the planner and the dialogue make them
        answer = rng.choice(ANSWERS)
        roll = rng.random()
        key = kind = category = ""
        company = False
        while open_steps and at - open_steps[0][0] > timedelta(days=10):
            open_steps.pop(0)
        if roll < 0.5 and open_steps and at - open_steps[0][0] >= timedelta(days=2):
            _, followed, kind = open_steps.pop(0)
            key, category = f"follow_up:{followed}", "follow_up"
        elif roll >= 0.7:
            weeks_ago = (NOW - at) / timedelta(weeks=1)  # live: published in the four weeks up to ``at``
            first, last = max(0, math.floor(48 - weeks_ago) + 1), min(51, math.floor(52 - weeks_ago))
            live = [(i, c) for i, _, c in YEAR_ITEMS[2 * first : 2 * last + 2] if i not in shared]
            if live:
                item, company = rng.choice(live)
                shared.add(item)
                key, kind, category = f"content:{item}", "share", "share"
        elif roll >= 0.67 and celebrated < 3:
            celebrated += 1
            key, kind, category = f"celebrate:milestone-{celebrated}", "celebration", "celebration"
        if not key:
            template = rng.choice(STEPS)
            key, kind, category = template.id, template.kind, template.category.value
            if answer != "done" and template.id in FOLLOWED:
                open_steps.append((at, made_id, kind))
        offers.append({
            "id": made_id, "person_id": person_id, "key": key, "kind": kind, "category": category,
            "company": company, "offered_at": at, "answer": answer,
            "answered_at": at + timedelta(hours=3) if answer else None,
        })  # fmt: skip
    activities = [
        {"person_id": person_id, "kind": rng.choice(("shared", "followed", "replied")),
         "at": NOW - timedelta(minutes=rng.randint(60, 365 * 24 * 60)), "note": "", "source": "logged"}
        for _ in range(n // 2)
    ]  # fmt: skip
    return offers, activities


def history(person_id: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    offers = []
    for k in range(3):
        template = rng.choice(BUILTIN)
        at = NOW - timedelta(days=7 * (k + 2), hours=rng.randint(0, 48))
        offers.append({
            "id": f"h{person_id}-{k}", "person_id": person_id, "key": template.id, "kind": template.kind,
            "category": template.category.value, "company": False, "offered_at": at, "answer": "done",
            "answered_at": at + timedelta(hours=3),
        })  # fmt: skip
    activities = [
        {"person_id": person_id, "kind": "shared", "at": NOW - timedelta(days=rng.randint(1, 60)), "note": "",
         "source": "logged"}
        for _ in range(2)
    ]  # fmt: skip
    return offers, activities


def bulk(connection: Connection, table: str, rows: list[dict]) -> None:
    """Insert plain rows fast: a year of history is ten million offers. PostgreSQL takes them with
    ``COPY``, SQLite with the driver's ``executemany``; both skip SQLAlchemy's per-value processing
    (timestamps go as UTC: naive text on SQLite, as ``UTCDateTime`` stores them)."""
    if not rows:
        return
    columns = list(rows[0])
    quoted = ", ".join(f'"{c}"' for c in columns)
    if connection.dialect.name == "postgresql":
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return

    def value(v: object) -> object:
        return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v

    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
        [tuple(value(row[c]) for c in columns) for row in rows],
    )


def generate(
    url: str, n: int, seed: int = 2026, offers_each: int | None = None, only_last: timedelta | None = None
) -> None:
    """``only_last``: of a year of history (``offers_each``), keep only what came in that last stretch:
    the same people in the same state (the same recent offers, so the same caps and follow-ups) with
    nothing older, to tell what the rest of the year costs a tick."""
    rng = random.Random(seed)
    reset(url)
    engine = create_engine(sync_url(url))
    with engine.begin() as connection:
        content = [
            {"id": f"item{k}", "title": f"Item {k}", "url": f"https://example.com/{k}", "topics": [TOPICS[k % 6]],
             "texts": {net: f"Worth a read #{k}" for net in NETWORKS}, "zones": [1, 2, 3, 4], "company": k % 2 == 0,
             "created_at": NOW - timedelta(days=3), "expires_at": None}
            for k in range(20)
        ]  # fmt: skip
        # (Every row names the same columns: an insert of many takes its columns from the first.)
        if offers_each is not None:  # what a year of shares was offered from
            content += [
                {"id": i, "title": i, "url": f"https://example.com/{i}", "topics": [i.split("-")[2]],
                 "texts": {net: f"Worth a read: {i}" for net in NETWORKS}, "zones": [1, 2, 3, 4], "company": c,
                 "created_at": published, "expires_at": published + ITEM_LIVE}
                for i, published, c in YEAR_ITEMS
            ]  # fmt: skip
        connection.execute(insert(ContentItemRow), content)
        rows = people(n, rng)
        for start in range(0, n, CHUNK):
            chunk = rows[start : start + CHUNK]
            connection.execute(insert(PersonRow), chunk)
            connection.execute(
                insert(IdentityRow),
                [{"person_id": p["id"], "platform": "slack", "tenant": "", "user_id": f"U{p['id']:08d}",
                  "address": f"D{p['id']:08d}", "updated_at": NOW} for p in chunk],
            )  # fmt: skip
            offers, activities = [], []
            for p in chunk:
                o, a = (
                    history(p["id"], rng) if offers_each is None else long_history(p["id"], rng, offers_each)
                )
                if only_last is not None:
                    o = [row for row in o if row["offered_at"] >= NOW - only_last]
                    a = [row for row in a if row["at"] >= NOW - only_last]
                offers += o
                activities += a
            bulk(connection, OfferRow.__tablename__, offers)
            bulk(connection, ActivityRow.__tablename__, activities)
        if backend(url) == "postgresql":
            connection.execute(text("SELECT setval('people_id_seq', (SELECT max(id) FROM people))"))
    # What migration 0016 does for a real database's history, with the content live now, as the
    # planner keeps summaries (without the keys of items that have ended).
    live = [
        ContentItem(row["id"], row["title"], row["url"], tuple(row["topics"]), row["texts"])
        for row in content
        if row["expires_at"] is None or row["expires_at"] > NOW
    ]
    with engine.begin() as connection:
        backfill(connection, NOW, library=Library((), tuple(live)))
    with engine.connect() as connection:  # fresh statistics, as a production database would have
        connection.execute(text("ANALYZE"))
        connection.commit()
        if backend(url) == "postgresql":  # the load's dirty pages written now, not during the tick
            connection.execute(text("CHECKPOINT"))
            connection.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument(
        "--history", type=int, default=None, help="offers per person over a year (N/2 activities)"
    )
    parser.add_argument(
        "--only-last-days",
        type=int,
        default=None,
        help="of --history, keep only the offers and activities of these last days",
    )
    parser.add_argument("--copy-of", metavar="URL", help="copy this generated database instead")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.copy_of:
        copy_of(args.copy_of, args.url)
        print(
            f"copied {make_url(args.copy_of)} in {time.perf_counter() - started:.1f}s: {make_url(args.url)}"
        )
        return
    only_last = None if args.only_last_days is None else timedelta(days=args.only_last_days)
    generate(args.url, args.people, offers_each=args.history, only_last=only_last)
    print(f"generated {args.people} people in {time.perf_counter() - started:.1f}s: {make_url(args.url)}")


if __name__ == "__main__":
    main()
