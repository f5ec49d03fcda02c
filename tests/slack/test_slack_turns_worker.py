"""TURNS=worker (issue 17): the served app only acknowledges Slack's events and writes them to the
database; turn processes (``journeybot turns``, here its app in this process) answer them. Signed
events over HTTP, the fake Web API, one real database shared by the server and the turn processes."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bot.conversation.models import InboundEventRow
from bot.main.build import App, build
from bot.main.server import build_turns_app
from bot.settings import Settings
from bot.store.database import Database
from tests.slack.conftest import NOW, SECRET, Slack, payload, serving, signature, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_acks import first_dm

PEOPLE = 30


@asynccontextmanager
async def turn_process(settings: Settings, seed: int = 2) -> AsyncIterator[App]:
    """What ``journeybot turns`` runs: the app, and each platform's draining inbox, no HTTP site."""
    app = await build(settings, clock=lambda: NOW, rng=random.Random(seed))
    runner = web.AppRunner(build_turns_app(app))
    await runner.setup()
    try:
        yield app
    finally:
        await runner.cleanup()
        await app.close()


@asynccontextmanager
async def worker_mode(database: Database, fake: FakeSlack) -> AsyncIterator[tuple[Slack, Settings]]:
    settings = slack_settings(database, fake, turns="worker")
    async with serving(settings, fake) as slack:
        yield slack, settings


async def waiting(database: Database, *, claimed: bool = False) -> int:
    """The events in ``inbound_events`` (``claimed``: only those a turn process holds)."""
    query = select(func.count()).select_from(InboundEventRow)
    if claimed:
        query = query.where(InboundEventRow.claimed_at.is_not(None))
    async with database.sessions.begin() as session:
        return int(await session.scalar(query) or 0)


async def until_empty(database: Database, seconds: float = 30) -> None:
    for _ in range(int(seconds * 20)):
        if await waiting(database) == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("events left in inbound_events")


async def test_the_server_only_acks_and_stores_and_a_turn_process_answers_each_once(
    database: Database, fake: FakeSlack
) -> None:
    for n in range(PEOPLE):
        fake.add_user(f"UBURST{n:03d}", f"Person {n}", f"person{n}@example.com")
    async with worker_mode(database, fake) as (slack, settings):
        acks = await asyncio.gather(*(slack.event(first_dm(n)) for n in range(PEOPLE)))
        assert [a.status for a in acks] == [200] * PEOPLE
        for _ in range(100):  # written to the table after the acks, in a batch or a few
            if await waiting(database) == PEOPLE:
                break
            await asyncio.sleep(0.05)
        assert await waiting(database) == PEOPLE
        await asyncio.sleep(0.3)
        assert fake.called("chat.postMessage") == []  # the serving process runs no turn

        async with turn_process(settings):
            posted = await fake.wait_for("chat.postMessage", 2 * PEOPLE, seconds=60)
            await until_empty(database)
            await asyncio.sleep(0.5)  # time for a second answer, were there one
        assert len(fake.called("chat.postMessage")) == 2 * PEOPLE
        assert Counter(p["channel"] for p in posted) == {f"DBURST{n:03d}": 2 for n in range(PEOPLE)}


async def test_two_turn_processes_keep_each_persons_order_and_answer_each_event_once(
    database: Database, fake: FakeSlack
) -> None:
    for n in range(PEOPLE):
        fake.add_user(f"UBURST{n:03d}", f"Person {n}", f"person{n}@example.com")
    async with (
        worker_mode(database, fake) as (slack, settings),
        turn_process(settings, seed=2),
        turn_process(settings, seed=3),
    ):
        # Ada's whole onboarding typed at once, between the first DMs of 30 others: answered in
        # another order, her answers would go to the wrong questions.
        answers = ["hello", "LinkedIn", "cloud, hiring", "2", "1"]
        sends = [
            slack.event(payload("message_im", event_id=f"EvAda{n}", event={"text": text}))
            for n, text in enumerate(answers)
        ]
        sends[1:1] = [slack.event(first_dm(n)) for n in range(PEOPLE)]
        acks = []
        for send in sends:  # in this order, each acknowledged before the next is sent
            acks.append(await send)
        assert [a.status for a in acks] == [200] * (PEOPLE + len(answers))
        # Ada: a greeting and a question, three questions, then her recap and first nudge; the
        # others: a greeting and a question each.
        await fake.wait_for("chat.postMessage", 7 + 2 * PEOPLE, seconds=60)
        await until_empty(database)
        await asyncio.sleep(0.5)
    posted = fake.called("chat.postMessage")
    assert len(posted) == 7 + 2 * PEOPLE  # none twice
    assert Counter(p["channel"] for p in posted)["D024BE91L"] == 7
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None
    person, _history = await slack.app.store.load_all(row.id)
    assert person.networks == ("linkedin",) and set(person.topics) == {"cloud", "hiring"}


def turn_processes_of(parent: int) -> list[int]:
    """The pids of the turn processes ``parent`` started (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with suppress(OSError):
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"turns" in command and b"--parent" in command and str(parent).encode() in command:
                found.append(int(entry.name))
    return found


def serve_env(database_url: str, fake: FakeSlack, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "TURNS": "worker",
    }


@asynccontextmanager
async def served(
    env: dict[str, str], tmp_path: Path
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """``journeybot serve --no-scheduler`` in its own process, healthy; its URL. Killed outright at
    the end (no chance to stop its turn processes itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = [str(Path(sys.executable).with_name("journeybot")), "serve", "--no-scheduler"]
    server = await asyncio.create_subprocess_exec(
        *command, "--host", "127.0.0.1", "--port", str(port), env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                with suppress(aiohttp.ClientError):
                    async with session.get(f"{url}/healthz") as health:
                        if health.status == 200:
                            break
                await asyncio.sleep(0.1)
        yield server, url
    finally:
        if server.returncode is None:
            server.kill()
        await asyncio.wait_for(server.wait(), 10)


async def send_signed(url: str, event: dict) -> int:
    """One event, signed as Slack signs it, to a served process; the status of its ack."""
    body = json.dumps(event)
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature(body, stamp),
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/slack/events", data=body, headers=headers) as ack:
            return ack.status


async def test_serve_starts_its_own_turn_process_which_answers_and_goes_with_it(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """One command still answers under TURNS=worker: ``journeybot serve`` starts a turn process
    (TURN_PROCESSES, default 1) beside itself, and a server killed outright does not leave it behind."""
    env = serve_env(f"sqlite:///{tmp_path / 'bot.db'}", fake, tmp_path)
    async with served(env, tmp_path) as (server, url):
        assert (
            await send_signed(url, payload("message_im", event_id="EvProcess", event={"text": "hello"}))
            == 200
        )
        await fake.wait_for("chat.postMessage", 2, seconds=30)  # the greeting and the first question
        children = turn_processes_of(server.pid)
        assert len(children) == 1
    for _ in range(100):  # the turn process notices its server is gone (within about 2 s)
        if not turn_processes_of(server.pid):
            break
        await asyncio.sleep(0.1)
    assert turn_processes_of(server.pid) == []
    assert len(fake.called("chat.postMessage")) == 2


STUCK = 4  # a turn process's slots (INBOX_CONCURRENCY): this many first turns wait on users.info


async def hold_eight_first_dms(url: str, fake: FakeSlack, database: Database) -> int:
    """8 people's first DMs, sent one at a time (claimed in this order) while Slack's ``users.info``
    never answers: the turn process claims all 8, and the first 4 are stuck mid-turn (their
    seen-markers written), the other 4 waiting for a slot. How many were sent."""
    people = 8
    for n in range(people):
        fake.add_user(f"UBURST{n:03d}", f"Person {n}", f"person{n}@example.com")
    fake.slow["users.info"] = 600
    for n in range(people):
        assert await send_signed(url, first_dm(n)) == 200
    await fake.wait_for("users.info", STUCK, seconds=30)
    for _ in range(200):
        if await waiting(database, claimed=True) == people:
            break
        await asyncio.sleep(0.05)
    assert await waiting(database, claimed=True) == people
    return people


async def test_a_killed_turn_processs_waiting_events_are_answered_a_minute_later_and_none_twice(
    database: Database, fake: FakeSlack, tmp_path: Path
) -> None:
    """A turn process killed outright while it holds 8 first DMs, 4 of them in the middle of their
    turn (Slack's ``users.info`` never answers) and 4 waiting for a slot. ``serve`` starts another;
    its claims on the 8 run out a minute after the dead one's last heartbeat (not before: a living
    process's are renewed), and then it answers the 4 that were waiting, once each. The 4 it was in
    the middle of are not answered again: their ids are in the durable record of handled events."""
    async with served(serve_env(database.url, fake, tmp_path), tmp_path) as (server, url):
        people = await hold_eight_first_dms(url, fake, database)
        (dead,) = turn_processes_of(server.pid)
        os.kill(dead, signal.SIGKILL)
        killed_at = time.monotonic()
        fake.slow.clear()
        await fake.wait_for("chat.postMessage", 2 * (people - STUCK), seconds=120)
        answered_after = time.monotonic() - killed_at
        await until_empty(database, seconds=30)
        await asyncio.sleep(0.5)  # time for a second answer, were there one
        assert len(turn_processes_of(server.pid)) == 1  # its successor
    assert 30 < answered_after < 90  # after the lease (a minute from the last renewal), not five
    posted = fake.called("chat.postMessage")
    started = {f"DBURST{n:03d}" for n in range(STUCK)}  # the first DMs took the slots
    assert Counter(p["channel"] for p in posted) == {f"DBURST{n:03d}": 2 for n in range(STUCK, people)}
    assert not started & {p["channel"] for p in posted}


async def turns_subprocess(env: dict[str, str], tmp_path: Path, name: str) -> asyncio.subprocess.Process:
    """``journeybot turns`` on its own, as a compose service runs it."""
    return await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("journeybot")), "turns", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=(tmp_path / f"{name}.log").open("w"),
    )  # fmt: skip


async def test_sigterm_stops_a_turn_process_and_the_server_cleanly_and_frees_the_claims_at_once(
    database: Database, fake: FakeSlack, tmp_path: Path
) -> None:
    """SIGTERM, what ``docker stop`` and Kubernetes send, stops as Ctrl-C does: a turn process
    stuck in 4 turns gives them its grace, then frees its claims on all 8 events it held, and exits
    0; the next one answers the 4 that were waiting at once, not a lease later. The server exits 0."""
    env = {**serve_env(database.url, fake, tmp_path), "TURN_PROCESSES": "0"}
    async with served(env, tmp_path) as (server, url):
        first = await turns_subprocess(env, tmp_path, "turns-1")
        people = await hold_eight_first_dms(url, fake, database)
        first.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(first.wait(), 30) == 0, (tmp_path / "turns-1.log").read_text()
        assert await waiting(database, claimed=True) == 0 and await waiting(database) == people
        fake.slow.clear()
        second = await turns_subprocess(env, tmp_path, "turns-2")
        try:
            await fake.wait_for("chat.postMessage", 2 * (people - STUCK), seconds=20)
            await until_empty(database, seconds=20)
            await asyncio.sleep(0.5)  # time for a second answer, were there one
        finally:
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), 30) == 0
        server.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(server.wait(), 30) == 0, (tmp_path / "serve.log").read_text()
    posted = fake.called("chat.postMessage")
    assert Counter(p["channel"] for p in posted) == {f"DBURST{n:03d}": 2 for n in range(STUCK, people)}
    logs = "".join((tmp_path / name).read_text() for name in ("serve.log", "turns-1.log", "turns-2.log"))
    assert "Traceback" not in logs
