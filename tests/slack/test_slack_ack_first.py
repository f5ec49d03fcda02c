"""Events are acknowledged before any database work: Slack retries whatever waits more than 3 s.

The audit's repro (issue 16, item 3): the duplicate-event INSERT and COMMIT ran before Bolt's ack,
so with the database busy (SQLite's one writer, a long transaction on PostgreSQL) first DMs were
acknowledged after 3 s, and Slack sent them again. Here the database is held by another connection
while the DMs arrive: every ack must come back while it is still held, and the answers follow once
it lets go, one per DM.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from sqlalchemy import make_url

from bot.store.database import Database
from tests.slack.conftest import Slack, payload


@asynccontextmanager
async def database_held(database: Database) -> AsyncIterator[None]:
    """Another client holds the tables a turn writes (SQLite: the write lock; PostgreSQL: the
    tables, exclusively), until the block ends. Taken without blocking the event loop: the app
    under test runs on this loop and may be finishing a transaction on those tables (its cleanup of
    seen events), which the lock has to wait for."""
    url = make_url(database.url)
    if database.is_sqlite:
        connection = sqlite3.connect(
            url.database or "", isolation_level=None, timeout=20, check_same_thread=False
        )
        await asyncio.to_thread(connection.execute, "BEGIN IMMEDIATE")  # waits off the loop
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(dsn) as held:
        await held.execute("SET lock_timeout = '20s'")  # a failure, never a hang
        await held.execute("LOCK TABLE people, identities, slack_seen_events IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            await held.rollback()


async def test_dms_are_acknowledged_while_the_database_is_busy_and_answered_once_after(
    slack: Slack, database: Database
) -> None:
    users = [f"U{n:08d}" for n in range(50)]
    for user in users:
        slack.fake.add_user(user, f"Person {user}", f"{user.lower()}@example.com")
    before = len(slack.fake.called("chat.postMessage"))

    async with database_held(database):
        responses = await asyncio.wait_for(
            asyncio.gather(
                *(
                    slack.event(
                        payload(
                            "message_im",
                            event_id=f"EvFirst{n}",
                            event={"text": "help", "user": user, "channel": f"D{user[1:]}"},
                        )
                    )
                    for n, user in enumerate(users)
                )
            ),
            timeout=10,  # the lock is held until every ack is in: none of them waited for it
        )
        assert [r.status for r in responses] == [200] * len(users)
        assert len(slack.fake.called("chat.postMessage")) == before  # nothing answered yet

    posted = (await slack.fake.wait_for("chat.postMessage", before + len(users), seconds=30))[before:]
    assert sorted(p["channel"] for p in posted) == sorted(f"D{u[1:]}" for u in users)


async def test_a_retry_of_an_event_taken_in_is_acknowledged_and_not_handled_again(slack: Slack) -> None:
    before = len(slack.fake.called("chat.postMessage"))
    body = payload("message_im", event_id="EvOnce", event={"text": "help"})
    first = await slack.event(body)
    retry = await slack.event(
        body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert (first.status, retry.status) == (200, 200)
    await slack.fake.wait_for("chat.postMessage", before + 1)
    await asyncio.sleep(0.5)  # time enough for a second answer, if there were one
    assert len(slack.fake.called("chat.postMessage")) == before + 1
