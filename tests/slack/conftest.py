"""The running app for Slack tests: the real aiohttp server (bot.main.server), the real database fixture, and a
fake Web API on localhost. Requests are signed exactly as Slack signs them (v0 HMAC-SHA256)."""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import random
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.main.build import App, build
from bot.main.server import build_web_app
from bot.settings import Settings
from bot.store.database import Database
from tests.slack.fake_slack import FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
KEY = "2JpI8Fj0i5xXl0Hq1mY0m3cP2s6Gv3Jk9XxJ8yWZb0Q="  # JOURNEYBOT_SECRET_KEY: a Fernet key for the tests
PAYLOADS = Path(__file__).parent / "payloads"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning
TRIGGERS = itertools.count(1)


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A recorded payload, with top-level changes applied (``event`` changes merge into the event)."""
    body = copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text()))
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key].update(value)
        else:
            body[key] = value
    return body


def signature(body: str, timestamp: int, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


class Slack:
    """Sends signed requests to the app as Slack would."""

    def __init__(self, client: TestClient, fake: FakeSlack, app: App) -> None:
        self.client, self.fake, self.app = client, fake, app

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        age: int = 0,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        timestamp = int(time.time()) - age
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature(body, timestamp, secret),
            **(headers or {}),
        }
        return await self.client.post("/slack/events", data=body.encode(), headers=sent)

    async def event(self, body: dict[str, Any], **options: Any) -> ClientResponse:
        return await self.post(json.dumps(body), "application/json", **options)

    async def interaction(self, body: dict[str, Any], **options: Any) -> ClientResponse:
        form = urlencode({"payload": json.dumps(body)})
        return await self.post(form, "application/x-www-form-urlencoded", **options)

    async def command(self, text: str, **fields: str) -> ClientResponse:
        # Slack gives every command its own trigger_id (so two alike in one second differ, as they do)
        fields.setdefault("trigger_id", f"13345224609.738474920.{next(TRIGGERS):x}")
        body = payload("slash_command", text=text, response_url=self.fake.response_url(), **fields)
        return await self.post(urlencode(body), "application/x-www-form-urlencoded")

    async def say(
        self,
        text: str,
        event_id: str,
        user: str = "U2147483697",
        channel: str = "D024BE91L",
        replies: int = 1,
    ) -> list[dict[str, Any]]:
        """Type in the DM and wait for the bot's answer, as a person would; the new posts."""
        before = len(self.fake.called("chat.postMessage"))
        body = payload(
            "message_im", event_id=event_id, event={"text": text, "user": user, "channel": channel}
        )
        response = await self.event(body)
        assert response.status == 200
        return (await self.fake.wait_for("chat.postMessage", before + replies))[before:]


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    server.add_user("U2147483697", "Ada Lovelace", "ada@example.com", tz="Europe/London")
    try:
        yield server
    finally:
        await server.close()


def slack_settings(database: Database, fake: FakeSlack, **extra: Any) -> Settings:
    values = {
        "database_url": database.url,
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def app(database: Database, fake: FakeSlack) -> AsyncIterator[App]:
    built = await build(slack_settings(database, fake), clock=lambda: NOW, rng=random.Random(1))
    try:
        yield built
    finally:
        await built.close()


@pytest.fixture
async def slack(app: App, fake: FakeSlack) -> AsyncIterator[Slack]:
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield Slack(client, fake, app)
    finally:
        await client.close()


@asynccontextmanager
async def serving(
    settings: Settings,
    fake: FakeSlack,
    clock: Callable[[], datetime] = lambda: NOW,
    rng: random.Random | None = None,
) -> AsyncIterator[Slack]:
    """The whole app built from ``settings`` and served over HTTP on loopback, closed afterwards."""
    app = await build(settings, clock=clock, rng=rng or random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield Slack(client, fake, app)
    finally:
        await client.close()
        await app.close()


@pytest.fixture
async def oauth_client(database: Database, fake: FakeSlack) -> AsyncIterator[Slack]:
    """The app in multi-workspace OAuth mode (no bot token: each workspace's comes from the store)."""
    settings = slack_settings(
        database,
        fake,
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        journeybot_secret_key=KEY,
        slack_allowed_teams="T1, T9, E1",
    )
    async with serving(settings, fake) as slack:
        yield slack


async def install(slack: Slack) -> None:
    """An admin installs the app through OAuth (the fake Slack answers for workspace T9)."""
    page = await slack.client.get("/slack/install", allow_redirects=False)
    state = re.search(r"state=([0-9a-f-]+)", await page.text())
    assert state is not None
    cookie = page.headers["Set-Cookie"].split(";")[0]
    done = await slack.client.get(
        f"/slack/oauth_redirect?code=abc123&state={state.group(1)}", headers={"Cookie": cookie}
    )
    assert done.status == 200, await done.text()
