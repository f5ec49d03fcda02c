"""Teams messages acknowledged at once and answered behind the ack, over HTTP with real-shaped
activities against the fake connector: a burst, one person's order, retries, and an overflow that
waits in ``inbound_events``. (``adapters/teams/intake.py``)"""

from __future__ import annotations

import asyncio
import copy
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from adapters.teams.web import TEAMS_INTAKE
from bot.conversation.models import InboundEventRow
from bot.main.build import App
from bot.store.models import PersonRow
from tests.teams.conftest import Json, Keys, Teams, press, serving, teams_config, texts
from tests.teams.fake_connector import FakeConnector
from tests.teams.test_journey import _onboard

GENEROUS = 30.0  # seconds: a bound that only a hang reaches, never a slow machine


def first_message(teams: Teams, n: int, text: str = "hello") -> Json:
    """Person ``n``'s first message to the bot, in their own personal chat."""
    message = teams.activity("personal_message", text=text)
    message["from"] = {
        "id": f"29:person-{n}",
        "name": f"P{n} Lovelace",
        "aadObjectId": f"00000000-0000-0000-0000-{n:012d}",
    }
    message["conversation"] = {**message["conversation"], "id": f"a:conversation-{n}"}
    return message


def replies_per_conversation(teams: Teams) -> Counter[str]:
    """Answers to a first message per conversation: a greeting (its card, the first question,
    comes with it), counted once per greeting."""
    greetings = [r for r in teams.connector.sent() if "starting point" in texts([r.body])]
    for greeting in greetings:  # to the right person, in their own chat
        n = greeting.path.split("/")[3].removeprefix("a:conversation-")
        assert f"Hi P{n}!" in texts([greeting.body]), greeting.body
    return Counter(r.path.split("/")[3] for r in greetings)


async def until(condition: object, seconds: float = GENEROUS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def inbound_rows(teams: Teams) -> int:
    async with teams.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundEventRow)) or 0)


async def test_a_burst_of_first_messages_is_acked_before_any_reply_and_each_answered_once(
    teams: Teams,
) -> None:
    messages = [first_message(teams, n) for n in range(50)]
    teams.connector.hold = asyncio.Event()  # no reply gets through until every ack is in

    started = time.monotonic()
    async with asyncio.timeout(GENEROUS):  # acks that waited for their replies would hang here
        acks = await asyncio.gather(*(teams.send(m) for m in messages))
    acked_in = time.monotonic() - started

    assert [a.status for a in acks] == [202] * 50
    assert teams.connector.sent() == []  # the replies are still to come
    await until(lambda: teams.connector.held > 0)  # ...and already on their way, behind the acks
    teams.connector.hold.set()
    async with asyncio.timeout(GENEROUS):
        await teams.handled()
    replies = replies_per_conversation(teams)
    assert replies == Counter({f"a:conversation-{n}": 1 for n in range(50)}), replies
    assert acked_in < GENEROUS  # recorded for the curious (pytest -s); the hold above is the test


async def test_one_persons_quick_messages_are_answered_in_order(teams: Teams) -> None:
    await _onboard(teams)
    teams.connector.clear()
    said = ["set cap 1", "set cap 2", "set cap 3"]
    acks = [await teams.send("personal_message", text=text) for text in said]  # no wait between them
    assert [a.status for a in acks] == [202] * 3
    await teams.handled()
    answered = texts([r.body for r in teams.connector.sent()])
    positions = [answered.find(f"at most {n}") for n in (1, 2, 3)]
    assert -1 not in positions and positions == sorted(positions), answered
    async with teams.app.db.sessions() as session:
        assert (await session.scalars(select(PersonRow.weekly_cap))).one() == 3


async def test_a_retried_activity_gets_one_turn(teams: Teams) -> None:
    message = first_message(teams, 1)
    acks = await asyncio.gather(*(teams.send(copy.deepcopy(message)) for _ in range(3)))
    assert [a.status for a in acks] == [202] * 3
    await teams.handled()
    assert replies_per_conversation(teams) == Counter({"a:conversation-1": 1})
    again = await teams.post(copy.deepcopy(message))  # Teams retries later too
    assert again.status == 202
    assert replies_per_conversation(teams) == Counter({"a:conversation-1": 1})


@pytest.fixture
async def replica(app: App, connector: FakeConnector, keys: Keys) -> AsyncIterator[Teams]:
    """A second server on the same database: its own agent, inbox and in-process memory."""
    async for running in serving(app, connector, keys, teams_config(connector)):
        yield running


async def test_a_retry_that_reaches_another_replica_gets_no_second_turn(teams: Teams, replica: Teams) -> None:
    message = first_message(teams, 7)
    assert (await teams.post(copy.deepcopy(message))).status == 202
    assert (await replica.post(copy.deepcopy(message))).status == 202
    assert replies_per_conversation(teams) == Counter({"a:conversation-7": 1})


async def test_an_overflow_waits_in_inbound_events_and_is_still_answered(teams: Teams) -> None:
    inbox = teams.client.app[TEAMS_INTAKE].inbox
    inbox.capacity = 2  # a small server: two in memory, the rest in the table
    teams.connector.hold = asyncio.Event()
    acks = await asyncio.gather(*(teams.send(first_message(teams, n)) for n in range(10)))
    assert [a.status for a in acks] == [202] * 10

    rows = 0

    async def spilled() -> None:
        nonlocal rows
        rows = await inbound_rows(teams)

    deadline = time.monotonic() + GENEROUS
    while rows < 8:
        await spilled()
        assert time.monotonic() < deadline, f"{rows} row(s) spilled"
        await asyncio.sleep(0.02)
    teams.connector.hold.set()
    async with asyncio.timeout(GENEROUS):
        await teams.handled()
    assert replies_per_conversation(teams) == Counter({f"a:conversation-{n}": 1 for n in range(10)})
    assert await inbound_rows(teams) == 0  # each row gone once its activity was answered


async def test_an_invoke_answers_inline_and_is_told_busy_when_no_slot_frees_in_time(teams: Teams) -> None:
    await _onboard(teams)
    intake = teams.client.app[TEAMS_INTAKE]
    answered = await press(teams, "settings.open")  # its answer comes in the HTTP response
    assert answered["statusCode"] == 200 and answered["type"] == "application/vnd.microsoft.activity.message"
    assert "Your settings" in texts([r.body for r in teams.connector.sent()])  # the form, sent inline

    intake.invokes = asyncio.Semaphore(0)  # every inline slot taken (as by slow invokes)
    intake.invoke_wait = 0.05
    teams.connector.clear()
    invoke = teams.activity("invoke_adaptive_card_action", replyToId="card-1")
    invoke["value"]["action"].update(verb="settings.open", data={"action": "settings.open", "value": ""})
    busy = await teams.post(invoke)
    assert busy.status == 503 and busy.headers["Retry-After"] == "5"
    assert "busy" in (await busy.json())["error"]
    assert teams.connector.requests == []  # nothing was done for it
