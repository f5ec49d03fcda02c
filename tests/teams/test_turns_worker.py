"""TURNS=worker for Teams (issue 17): the served route only acknowledges and stores message
activities; two turn processes (``journeybot turns``'s Teams part, here in this process) answer
each once, one person's messages in order, through the fake connector."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from sqlalchemy import func, select

from adapters.teams.web import mount_turns
from bot.conversation.models import InboundEventRow
from bot.conversation.service import Conversation
from bot.main.build import App
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.store import Store
from nudges.catalogue import BUILTIN
from tests.clock import Clock
from tests.teams.conftest import MONDAY_10_BERLIN, Keys, Teams, serving, teams_config, texts
from tests.teams.fake_connector import FakeConnector
from tests.teams.test_inbox import GENEROUS, first_message

PEOPLE = 20


def worker_app(database: Database, seed: int) -> App:
    clock = Clock(MONDAY_10_BERLIN)
    settings = Settings(_env_file=None, database_url=database.url, turns="worker")  # type: ignore[call-arg]
    store = Store(database)
    rng = __import__("random").Random(seed)
    return App(settings, database, store, BUILTIN, Conversation(store, BUILTIN, clock, rng), clock, rng)


@pytest.fixture
async def front(database: Database, connector: FakeConnector, keys: Keys) -> AsyncIterator[Teams]:
    async for running in serving(worker_app(database, 7), connector, keys, teams_config(connector)):
        yield running


async def stored(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundEventRow)) or 0)


async def turn_process(database: Database, connector: FakeConnector, seed: int) -> web.AppRunner:
    turns_app = web.Application()
    mount_turns(turns_app, worker_app(database, seed).adapter_deps, teams_config(connector))
    runner = web.AppRunner(turns_app)
    await runner.setup()
    return runner


async def test_messages_are_stored_at_the_ack_and_two_turn_processes_answer_each_once_in_order(
    front: Teams, database: Database, connector: FakeConnector
) -> None:
    messages = [first_message(front, n) for n in range(PEOPLE)]
    acks = await asyncio.gather(*(front.send(m) for m in messages))
    assert [a.status for a in acks] == [202] * PEOPLE
    # One person's whole onboarding and then three settings, typed at once.
    said = ["hello", "LinkedIn", "cloud, hiring", "2", "1", "set cap 1", "set cap 2", "set cap 3"]
    for text in said:
        assert (await front.send("personal_message", text=text)).status == 202
    deadline = time.monotonic() + GENEROUS
    while await stored(database) < PEOPLE + len(said):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    assert connector.sent() == []  # the serving process runs no turn

    runners = [await turn_process(database, connector, seed) for seed in (1, 2)]
    try:
        while await stored(database):
            assert time.monotonic() < deadline, "events left in inbound_events"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # time for a second answer, were there one
    finally:
        for runner in runners:
            await runner.cleanup()
    greetings = [r for r in connector.sent() if "starting point" in texts([r.body])]
    replies = Counter(r.path.split("/")[3] for r in greetings)  # Ada's chat, and one each of the others'
    ada = front.activity("personal_message")["conversation"]["id"]
    assert replies == Counter({ada: 1, **{f"a:conversation-{n}": 1 for n in range(PEOPLE)}}), replies
    answered = texts([r.body for r in connector.sent()])
    positions = [answered.find(f"at most {n}") for n in (1, 2, 3)]
    assert -1 not in positions and positions == sorted(positions), answered
    async with database.sessions() as session:
        caps = (
            await session.scalars(select(PersonRow.weekly_cap).where(PersonRow.weekly_cap.is_not(None)))
        ).all()
    assert 3 in caps
