"""At ``LOG_LEVEL=DEBUG`` the log holds no secret, no token and no message text.

The real server runs the suite's flows — Slack signed requests (a DM, a forged one, an OAuth install),
Teams activities (a message with a verified token, a malformed activity), a tick that delivers to
Slack — with logging configured exactly as ``journeybot`` configures it, at DEBUG, into a buffer.
The buffer is then searched for every secret of the configuration, the tokens the fakes hand out,
and a sentence the person typed.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import AsyncIterator, Iterator
from io import StringIO
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams.config import TeamsConfig
from bot.main.build import App, build
from bot.main.cli import tick_once
from bot.main.server import build_web_app
from bot.observability.logs import CHATTY_LIBRARIES, VALIDATION_LOGGER, configure_logging, secret_values
from bot.settings import Settings
from bot.store.database import Database
from tests.delivery.fakes import FakeMonotonic, add_person
from tests.slack.conftest import NOW, SECRET, Slack, install
from tests.slack.conftest import fake as fake
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_tick_command import LATE
from tests.teams.conftest import APP_ID, Teams
from tests.teams.conftest import connector as connector
from tests.teams.conftest import keys as keys
from tests.teams.fake_connector import CONNECTOR_TOKEN, ISSUER, FakeConnector

BOT_TOKEN = "xoxb-4242-5151-flowsbottoken"
TEAMS_PASSWORD = "teams-app-password-for-the-flows"
CLIENT_SECRET = "slack-client-secret-for-the-flows"
TEXT = "pineapple lighthouse 4417"
OAUTH_TOKEN = "xoxb-oauth"  # what the fake Slack hands out for an OAuth install


@pytest.fixture
def log_buffer() -> Iterator[StringIO]:
    """Logging as ``journeybot`` sets it up, into a buffer; the previous setup restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    names = [*CHATTY_LIBRARIES, "alembic", VALIDATION_LOGGER]
    saved_levels = {name: logging.getLogger(name).level for name in names}
    stream = StringIO()
    yield stream
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in saved_handlers:
        root.addHandler(handler)
    root.setLevel(saved_level)
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


def settings_for(database: Database, fake: FakeSlack, **extra: Any) -> Settings:
    values = {
        "database_url": database.url,
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.api_url,
        "teams_app_id": APP_ID,
        "teams_app_password": TEAMS_PASSWORD,
        "log_level": "DEBUG",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def served(
    database: Database,
    fake: FakeSlack,
    connector: FakeConnector,
    monkeypatch: pytest.MonkeyPatch,
    log_buffer: StringIO,
) -> AsyncIterator[tuple[App, TestClient]]:
    monkeypatch.setenv("TEAMS_OPENID_METADATA_URLS", f"{connector.url}openid")
    monkeypatch.setenv("TEAMS_TOKEN_ISSUERS", ISSUER)
    monkeypatch.setenv("TEAMS_TOKEN_URL", f"{connector.url}token")
    settings = settings_for(database, fake)
    configure_logging(settings.log_level, secret_values(settings), stream=log_buffer, as_json=True)
    app = await build(settings, clock=lambda: NOW, rng=random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield app, client
    finally:
        await client.close()
        await app.close()


async def test_debug_logs_of_real_flows_hold_no_secret_and_no_message_text(
    served: tuple[App, TestClient],
    database: Database,
    fake: FakeSlack,
    connector: FakeConnector,
    keys: Any,
    log_buffer: StringIO,
) -> None:
    app, client = served
    # Slack: a person logs something in the DM, a forged request carries the same words.
    slack = Slack(client, fake, app)
    await slack.say("hi", "Ev-hi")
    await slack.say(f"log I wrote about {TEXT}", "Ev-log")
    forged = await slack.post(
        json.dumps({"type": "event_callback", "text": TEXT}), "application/json", secret="x"
    )
    assert forged.status == 401
    # Teams: a verified message with the same words, and a malformed activity carrying them.
    teams = Teams(client, connector, app, TeamsConfig.from_settings(app.settings), keys)
    inbound_token = teams.token()
    replies = await teams.say(f"log I wrote about {TEXT}")
    assert replies, "the Teams turn ran"
    malformed = await teams.post(teams.activity("personal_message", text=TEXT, conversation="x", recipient=7))
    assert malformed.status == 400
    # What an operator's tools ask.
    assert (await client.get("/readyz")).status in (200, 503)
    assert (await client.get("/metrics")).status == 200
    # The scheduler: a tick that plans and delivers to Slack.
    await add_person(database, "tick@example.com", timezone="UTC")
    time = FakeMonotonic()
    report = await tick_once(app.settings, LATE, monotonic=time, sleep=time.sleep)
    assert report.delivered is not None and report.delivered.sent >= 1
    # Slack OAuth: an admin installs the app in another workspace.
    oauth_settings = settings_for(
        database, fake, slack_bot_token=None, slack_client_id="111.222", slack_client_secret=CLIENT_SECRET
    )
    oauth_app = await build(oauth_settings, clock=lambda: NOW, rng=random.Random(1))
    oauth_client = TestClient(TestServer(build_web_app(oauth_app), host="127.0.0.1"))
    await oauth_client.start_server()
    try:
        await install(Slack(oauth_client, fake, oauth_app))
    finally:
        await oauth_client.close()
        await oauth_app.close()

    logged = log_buffer.getvalue()
    lines = [json.loads(line) for line in logged.splitlines()]
    # The log was really written, at DEBUG, with request ids: this is not an empty search.
    assert any(line["level"] == "DEBUG" and line["logger"].startswith("journeybot") for line in lines)
    assert any("POST /slack/events -> 200" in line["message"] and line.get("request_id") for line in lines)
    assert any("POST /api/messages -> 202" in line["message"] for line in lines)
    assert any(line.get("delivery_id") for line in lines), "delivery lines name their outbox row"
    for secret in (
        SECRET,
        BOT_TOKEN,
        TEAMS_PASSWORD,
        CLIENT_SECRET,
        OAUTH_TOKEN,
        CONNECTOR_TOKEN,
        inbound_token,
    ):
        assert secret not in logged
    assert TEXT not in logged and "pineapple" not in logged.lower()
    assert "abc123" not in logged  # the OAuth code of the install (tests.slack.conftest.install)
