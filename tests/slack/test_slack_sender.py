"""The Sender port against the fake Web API: which failures slack_sdk's handlers retry, and the rest as
delivery errors that say whether the message may exist."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.client import sender_client, web_client
from adapters.slack.sender import METADATA_EVENT, SlackSender, build_sender
from bot.main.build import App, build
from bot.ports import CredentialsRejected, MaybeSent, RateLimited, TransientError, Unreachable
from bot.store.database import Database
from nudges.messages import Button, Buttons, Message, Text
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import FakeSlack

NUDGE = Message(
    (Text("A small step"), Buttons((Button("Done", "nudge.done", "o1"),))), "A small step", offer_id="o1"
)


@pytest.fixture
def sender(app: App) -> SlackSender:
    built = build_sender(app.adapter_deps)
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


async def test_a_429_on_a_post_goes_to_the_outbox_rate_limiter_not_a_sleep_in_the_client(
    sender: SlackSender, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", 429, "ratelimited", retry_after=30)
    with pytest.raises(RateLimited) as raised:
        await sender.send("D1", NUDGE)
    assert raised.value.retry_after == 30 and len(fake.called("chat.postMessage")) == 1


async def test_calls_safe_to_repeat_keep_slack_sdks_retries(sender: SlackSender, fake: FakeSlack) -> None:
    fake.fail("conversations.open", 429, "ratelimited", retry_after=0)
    await sender.send("U2147483697", NUDGE, key="k1")
    assert len(fake.called("conversations.open")) == 2
    fake.fail("conversations.history", 500)
    assert await sender.find("D2147483697", "k1") is not None
    assert len(fake.called("conversations.history")) == 2


async def test_a_500_on_a_post_is_not_reposted_and_may_have_been_delivered(
    sender: SlackSender, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", 500)
    with pytest.raises(MaybeSent):
        await sender.send("D1", NUDGE)
    assert len(fake.called("chat.postMessage")) == 1  # the outbox asks find() before any second post


@pytest.mark.parametrize("error", ["internal_error", "fatal_error"])
async def test_slacks_it_may_have_succeeded_errors_may_have_been_delivered(
    sender: SlackSender, fake: FakeSlack, error: str
) -> None:
    fake.fail("chat.postMessage", 200, error)
    with pytest.raises(MaybeSent):
        await sender.send("D1", NUDGE)


async def test_a_timeout_waiting_for_the_answer_may_have_been_delivered(app: App, fake: FakeSlack) -> None:
    client = sender_client(app.settings)
    client.timeout = 0.2  # type: ignore[assignment]
    fake.slow["chat.postMessage"] = 0.6  # Slack takes the message, then answers too late

    async def one(team: str) -> tuple[AsyncWebClient, str]:
        return client, team

    with pytest.raises(MaybeSent):
        await SlackSender(one).send("D1", NUDGE, key="late")
    await fake.wait_for("chat.postMessage")
    assert len(fake.called("chat.postMessage")) == 1
    assert await SlackSender(one).find("D1", "late") is not None  # what the outbox then finds


async def test_the_interactive_client_retries_a_500_once_only_where_a_repeat_is_harmless(
    app: App, fake: FakeSlack
) -> None:
    fake.fail("conversations.open", 500)
    await web_client(app.settings).conversations_open(users="U1")
    assert len(fake.called("conversations.open")) == 2
    fake.fail("chat.postMessage", 500)  # Slack may have posted it: a repeat could be a second copy
    with pytest.raises(SlackApiError):
        await web_client(app.settings).chat_postMessage(channel="D1", text="hello")
    assert len(fake.called("chat.postMessage")) == 1


@pytest.mark.parametrize("error", ["invalid_auth", "not_authed", "token_revoked", "token_expired"])
async def test_a_refused_token_concerns_the_workspace_not_the_person(
    sender: SlackSender, fake: FakeSlack, error: str
) -> None:
    fake.fail("chat.postMessage", 200, error)
    with pytest.raises(CredentialsRejected) as raised:
        await sender.send("D1", NUDGE)
    assert not isinstance(raised.value, Unreachable) and "xoxb" not in str(raised.value)


async def test_a_gone_channel_is_unreachable(sender: SlackSender, fake: FakeSlack) -> None:
    for error in ("channel_not_found", "account_inactive", "is_archived"):
        fake.fail("chat.postMessage", 200, error)
        with pytest.raises(Unreachable, match=error):
            await sender.send("D1", NUDGE)
    fake.fail("conversations.open", 200, "user_not_found")
    with pytest.raises(Unreachable):
        await sender.send("U404", NUDGE)


async def test_a_connection_dropped_mid_request_may_have_delivered_and_is_not_reposted(
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
        with pytest.raises(MaybeSent):
            await build_sender(app.adapter_deps).send("D1", NUDGE)
    finally:
        await app.close()
        server.close()
        await server.wait_closed()
    assert len(connections) == 1  # Slack may have posted it: the outbox checks before any second try


async def test_a_refused_connection_certainly_delivered_nothing(app: App, fake: FakeSlack) -> None:
    await fake.close()
    with pytest.raises(TransientError) as raised:
        await build_sender(app.adapter_deps).send("D1", NUDGE)
    assert not isinstance(raised.value, MaybeSent)
