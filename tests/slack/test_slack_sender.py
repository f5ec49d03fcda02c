"""The Sender port against the fake Web API: retries by slack_sdk's handlers, failures as delivery errors."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.sender import METADATA_EVENT, SlackSender, build_sender
from bot.bootstrap import App, build
from bot.db.database import Database
from bot.ports import RateLimited, TransientError, Unreachable
from nudges.messages import Button, Buttons, Message, Text
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import FakeSlack

NUDGE = Message(
    (Text("A small step"), Buttons((Button("Done", "nudge.done", "o1"),))), "A small step", offer_id="o1"
)


@pytest.fixture
def sender(app: App) -> SlackSender:
    built = build_sender(app)
    assert app.senders["slack"].platform == "slack"  # what bootstrap registered for the outbox
    return built


async def test_a_nudge_to_a_user_id_opens_the_dm_and_carries_its_key_as_metadata(
    sender: SlackSender, fake: FakeSlack
) -> None:
    sent = await sender.send("U2147483697", NUDGE, key="nudge:42")
    assert sent.address == "D2147483697" and sent.message_ref
    (posted,) = fake.called("chat.postMessage")
    assert posted["channel"] == "D2147483697"
    assert posted["metadata"] == {"event_type": METADATA_EVENT, "event_payload": {"key": "nudge:42"}}
    assert [e["action_id"] for e in posted["blocks"][1]["elements"]] == ["nudge.done#0"]
    assert await sender.find("D2147483697", "nudge:42") == sent
    assert await sender.find("D2147483697", "nudge:other") is None


async def test_update_changes_the_message_in_place(sender: SlackSender, fake: FakeSlack) -> None:
    await sender.update("D1", "1700000000.000001", Message((Text("Done ✓"),), "Done"))
    (updated,) = fake.called("chat.update")
    assert (updated["channel"], updated["ts"]) == ("D1", "1700000000.000001")


async def test_a_429_is_retried_after_retry_after_then_succeeds(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", 429, "ratelimited", retry_after=0)
    sent = await sender.send("D1", NUDGE)
    assert sent.message_ref and len(fake.called("chat.postMessage")) == 2


async def test_a_429_that_persists_is_rate_limited_with_retry_after(
    sender: SlackSender, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", 429, "ratelimited", retry_after=0, times=1)
    fake.fail("chat.postMessage", 429, "ratelimited", retry_after=30, times=1)
    with pytest.raises(RateLimited) as raised:
        await sender.send("D1", NUDGE)
    assert raised.value.retry_after == 30


async def test_a_500_that_persists_is_transient(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", 500, times=2)
    with pytest.raises(TransientError):
        await sender.send("D1", NUDGE)
    assert len(fake.called("chat.postMessage")) == 2  # retried once by the server-error handler


async def test_a_gone_channel_is_unreachable(sender: SlackSender, fake: FakeSlack) -> None:
    for error in ("channel_not_found", "account_inactive", "is_archived"):
        fake.fail("chat.postMessage", 200, error)
        with pytest.raises(Unreachable, match=error):
            await sender.send("D1", NUDGE)
    fake.fail("conversations.open", 200, "user_not_found")
    with pytest.raises(Unreachable):
        await sender.send("U404", NUDGE)


async def test_a_dropped_connection_is_retried_once_then_transient(
    database: Database, fake: FakeSlack
) -> None:
    connections: list[int] = []

    async def drop(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)  # Slack's side went away mid-request: close without an answer
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = slack_settings(database, fake, slack_api_url=f"http://127.0.0.1:{port}/api/")
    app = await build(settings)
    try:
        with pytest.raises(TransientError, match="cannot reach Slack"):
            await build_sender(app).send("D1", NUDGE)
    finally:
        await app.close()
        server.close()
        await server.wait_closed()
    assert len(connections) == 2  # the first try and slack_sdk's connection-error retry
