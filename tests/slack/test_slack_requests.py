"""What reaches POST /slack/events that is not a well-formed, well-signed request: 401 or 4xx, never 500."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from adapters.slack import web as slack_web
from adapters.slack.models import SlackSeenEventRow, slack_oauth_states
from adapters.slack.records import SlackRecords
from bot.main.build import App
from bot.main.server import build_web_app
from bot.store.models import PersonRow
from tests.slack.conftest import NOW, Slack, payload, signature


async def rows(slack: Slack, model: type) -> int:
    async with slack.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_bad_signature_gets_401_and_changes_nothing(slack: Slack) -> None:
    response = await slack.event(payload("message_im"), secret="not-the-secret")
    assert response.status == 401
    await asyncio.sleep(0.2)  # had it been taken in, the work would run now
    assert slack.fake.work() == []
    assert await rows(slack, PersonRow) == 0 and await rows(slack, SlackSeenEventRow) == 0


async def test_a_timestamp_older_than_five_minutes_gets_401(slack: Slack) -> None:
    response = await slack.event(payload("message_im"), age=6 * 60)
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert slack.fake.work() == [] and await rows(slack, PersonRow) == 0


async def test_a_missing_signature_gets_401(slack: Slack) -> None:
    response = await slack.client.post("/slack/events", data=json.dumps(payload("message_im")))
    assert response.status == 401


async def unsigned(slack: Slack, body: bytes, **headers: str) -> int:
    """A request as anyone on the internet could send it, headers and all."""
    sent = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(int(time.time()))}
    sent |= {"X-Slack-Signature": "v0=" + "0" * 64, **headers}
    response = await slack.client.post("/slack/events", data=body, headers=sent)
    return response.status


async def test_headers_no_slack_client_sends_get_401_not_500(slack: Slack) -> None:
    body = json.dumps(payload("message_im")).encode()
    assert await unsigned(slack, body, **{"X-Slack-Request-Timestamp": "abc"}) == 401
    assert await unsigned(slack, body, **{"X-Slack-Request-Timestamp": ""}) == 401
    # "v0=é" as UTF-8 bytes on the wire; aiohttp hands it on as a non-ASCII str
    assert await unsigned(slack, body, **{"X-Slack-Signature": "v0=\u00e9".encode().decode("latin-1")}) == 401
    assert await unsigned(slack, b"{}", **{"Content-Type": "application/json; charset=bogus"}) == 401
    await asyncio.sleep(0.2)
    assert slack.fake.work() == [] and await rows(slack, PersonRow) == 0


async def test_a_body_that_is_not_utf8_gets_400_not_500(slack: Slack) -> None:
    assert await unsigned(slack, b"\xff\xfe{") == 400
    timestamp = int(time.time())
    signed = {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature("{}", timestamp)}
    assert await unsigned(slack, b"\xff\xfe{", **signed) == 400


async def test_a_signed_body_with_a_made_up_charset_is_read_as_utf8(slack: Slack) -> None:
    await slack.event(payload("message_im", event_id="EvWarm"))  # Ada exists, so one reply follows
    await slack.fake.wait_for("chat.postMessage", 2)
    body = json.dumps(payload("message_im", event_id="EvCharset", event={"text": "journey"}))
    response = await slack.post(body, "application/json; charset=bogus")
    assert response.status == 200
    await slack.fake.wait_for("chat.postMessage", 3)


async def test_malformed_bodies_get_400_not_500(slack: Slack) -> None:
    for body, content_type in (
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ):
        response = await slack.post(body, content_type)
        assert response.status == 400, body


async def test_unknown_payload_and_event_types_are_not_500(slack: Slack) -> None:
    unknown_event = payload(
        "message_im", event_id="EvX", event={"type": "reaction_added", "channel_type": None}
    )
    assert (await slack.event(unknown_event)).status == 200  # acknowledged, so Slack won't retry it
    assert (await slack.event({"type": "something_new", "team_id": "T1"})).status < 500
    assert (await slack.interaction({"type": "mystery", "user": {"id": "U1"}})).status < 500
    interaction_without_actions = payload("block_actions", actions=[])
    assert (await slack.interaction(interaction_without_actions)).status == 400
    await asyncio.sleep(0.2)
    assert slack.fake.called("chat.postMessage") == []


async def test_url_verification_echoes_the_challenge(slack: Slack) -> None:
    body = {
        "token": "t",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    response = await slack.event(body)
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in await response.text()


async def test_healthz_answers_next_to_slack(slack: Slack) -> None:
    response = await slack.client.get("/healthz")
    assert response.status == 200


async def test_seen_events_and_expired_oauth_states_are_pruned_while_the_server_runs(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_web, "PRUNE_SECONDS", 0.05)
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        # Written after the start: only pruning that goes on while serving can forget them.
        records = SlackRecords(app.db)
        assert await records.first_time("EvOld", NOW - timedelta(days=2))
        assert await records.first_time("EvNew", NOW)
        wall = datetime.now(UTC).replace(tzinfo=None)  # slack_sdk's states: naive UTC, wall clock
        async with app.db.sessions.begin() as session:
            await session.execute(
                sa.insert(slack_oauth_states),
                [
                    {"state": "abandoned", "expire_at": wall - timedelta(minutes=1)},
                    {"state": "in-progress", "expire_at": wall + timedelta(minutes=9)},
                ],
            )
        for _ in range(250):
            if await kept(app) == (["EvNew"], ["in-progress"]):
                break
            await asyncio.sleep(0.02)
        assert await kept(app) == (["EvNew"], ["in-progress"])
        assert not await records.first_time("EvNew", NOW)  # still remembered: a retry is still caught
    finally:
        await client.close()


async def kept(app: App) -> tuple[list[str], list[str]]:
    async with app.db.sessions() as session:
        events = (await session.scalars(select(SlackSeenEventRow.event_id))).all()
        states = (await session.scalars(select(slack_oauth_states.c.state))).all()
    return sorted(events), sorted(states)
