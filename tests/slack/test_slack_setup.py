"""Start-up configuration, multi-workspace OAuth install into our own tables, and the tables' origin."""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from adapters.slack.bolt_app import BOT_SCOPES, authorization_url
from adapters.slack.models import TOKEN_COLUMNS, slack_bots, slack_installations, slack_oauth_states
from bot.main.build import App, build
from bot.main.server import build_web_app
from bot.secrets import Secrets
from bot.settings import ConfigurationError, Settings, check_configuration
from bot.store.database import Database
from tests.slack.conftest import KEY, NOW, Slack, payload, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.test_console import run as run_cli


def test_a_token_without_a_signing_secret_is_a_clear_start_up_error(
    database: Database, fake: FakeSlack
) -> None:
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET"):
        check_configuration(slack_settings(database, fake, slack_signing_secret=None))
    with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN"):
        check_configuration(slack_settings(database, fake, slack_bot_token=None))


def test_socket_mode_or_oauth_halves_alone_are_clear_start_up_errors(
    database: Database, fake: FakeSlack
) -> None:
    alone = {"slack_bot_token": None, "slack_signing_secret": None}
    with pytest.raises(ConfigurationError, match=r"SLACK_APP_TOKEN .*needs SLACK_BOT_TOKEN"):
        check_configuration(slack_settings(database, fake, **alone, slack_app_token="xapp-1-A1-x"))
    with pytest.raises(ConfigurationError, match="SLACK_CLIENT_ID is not set"):
        check_configuration(slack_settings(database, fake, **alone, slack_client_secret="s"))
    with pytest.raises(ConfigurationError, match="SLACK_CLIENT_ID is not set"):  # even next to a bot token
        check_configuration(slack_settings(database, fake, slack_client_secret="s"))


def test_make_run_with_a_half_configuration_stops_with_one_line(tmp_path: Path) -> None:
    result = run_cli(["run"], tmp_path, SLACK_APP_TOKEN="xapp-1-A1-x")
    assert result.returncode != 0 and "console chat" not in result.stdout
    assert result.stderr.strip().splitlines() == [
        "error: Slack is half configured: SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN "
        "and SLACK_SIGNING_SECRET"
    ]


async def test_serve_logs_which_platforms_it_serves(
    app: App, database: Database, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="journeybot")
    build_web_app(app)
    assert "Slack: single workspace (bot token)" in caplog.messages
    assert "serving: Slack" in caplog.messages

    caplog.clear()
    bare = await build(Settings(_env_file=None, database_url=database.url))  # type: ignore[call-arg]
    try:
        build_web_app(bare)
    finally:
        await bare.close()
    assert "serving: health and metrics only (no platform configured)" in caplog.messages


async def test_oauth_without_a_client_secret_refuses_to_start(database: Database, fake: FakeSlack) -> None:
    settings = slack_settings(
        database, fake, slack_bot_token=None, slack_client_id="1.2", journeybot_secret_key=KEY
    )
    app = await build(settings)
    try:
        with pytest.raises(ConfigurationError, match="SLACK_CLIENT_SECRET"):
            build_web_app(app)
    finally:
        await app.close()


def test_our_oauth_tables_are_the_ones_slack_sdk_defines() -> None:
    theirs = sa.MetaData()
    expected = {
        slack_installations: SQLAlchemyInstallationStore.build_installations_table(
            theirs, "slack_installations"
        ),
        slack_bots: SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots"),
        slack_oauth_states: SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states"),
    }

    def kind(column: sa.Column) -> str:  # credentials are wider: stored encrypted
        return "Text()" if column.name in TOKEN_COLUMNS else repr(column.type)

    for ours, sdk in expected.items():
        assert [(c.name, repr(c.type), c.nullable) for c in ours.columns] == [
            (c.name, kind(c), c.nullable) for c in sdk.columns
        ]
        assert {i.name: [c.name for c in i.columns] for i in ours.indexes} == {
            i.name: [c.name for c in i.columns] for i in sdk.indexes
        }


async def test_a_workspace_installs_through_oauth_and_is_then_served(oauth_client: Slack) -> None:
    slack, fake = oauth_client, oauth_client.fake
    install = await slack.client.get("/slack/install", allow_redirects=False)
    assert install.status == 200
    page = await install.text()
    state = re.search(r"state=([0-9a-f-]+)", page)
    assert state and "client_id=111.222" in page and "scope=chat:write," in page
    cookie = install.headers["Set-Cookie"].split(";")[0]

    done = await slack.client.get(
        f"/slack/oauth_redirect?code=abc123&state={state.group(1)}",
        headers={"Cookie": cookie},
        allow_redirects=False,
    )
    assert done.status == 200, await done.text()
    assert fake.called("oauth.v2.access")[0]["code"] == "abc123"
    async with slack.app.db.engine.connect() as connection:
        rows = (await connection.execute(sa.select(slack_bots.c.team_id, slack_bots.c.bot_token))).all()
    assert [team for team, _ in rows] == ["T9"]
    assert Secrets([KEY]).decrypt(rows[0][1]) == "xoxb-oauth"  # stored encrypted (test_slack_secrets.py)

    body = payload("message_im", team_id="T9", event_id="EvT9", event={"team": "T9"})
    body["authorizations"][0]["team_id"] = "T9"
    assert (await slack.event(body)).status == 200
    await fake.wait_for("chat.postMessage", 2)
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None
    assert await slack.app.store.address_of(row.id, "slack") == "T9:D024BE91L"  # the team finds the token


async def test_the_install_link_goes_to_the_configured_slack_host(oauth_client: Slack) -> None:
    page = await (await oauth_client.client.get("/slack/install", allow_redirects=False)).text()
    (link,) = re.findall(r'<a href="([^"]+)"', page)
    host = oauth_client.fake.api_url.removesuffix("/api/")
    assert link.startswith(f"{host}/oauth/v2/authorize?state=") and "client_id=111.222" in link
    assert authorization_url("https://slack.com/api/") is None  # Slack's own: Bolt's default URL
    assert authorization_url("https://slack-gov.com/api/") == "https://slack-gov.com/oauth/v2/authorize"


async def test_a_bad_oauth_state_is_refused(oauth_client: Slack) -> None:
    response = await oauth_client.client.get(
        "/slack/oauth_redirect?code=abc&state=forged", allow_redirects=False
    )
    assert response.status >= 400 and oauth_client.fake.called("oauth.v2.access") == []


async def test_an_oauth_state_is_good_for_one_install_only(oauth_client: Slack) -> None:
    """States live in our database and are consumed once (no signing secret is involved): a replayed
    callback, even with the browser's cookie, is refused before Slack is asked for a token."""
    slack = oauth_client
    page = await slack.client.get("/slack/install", allow_redirects=False)
    state = re.search(r"state=([0-9a-f-]+)", await page.text())
    assert state is not None
    callback = f"/slack/oauth_redirect?code=abc123&state={state.group(1)}"
    cookie = {"Cookie": page.headers["Set-Cookie"].split(";")[0]}

    first = await slack.client.get(callback, headers=cookie, allow_redirects=False)
    replayed = await slack.client.get(callback, headers=cookie, allow_redirects=False)

    assert first.status == 200 and replayed.status >= 400
    assert len(slack.fake.called("oauth.v2.access")) == 1


def test_the_manifest_asks_for_what_the_app_uses() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "adapters/slack/manifest.yaml").read_text())
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "message.im", "member_joined_channel", "app_uninstalled", "tokens_revoked",
    }  # fmt: skip
    assert manifest["features"]["slash_commands"][0]["command"] == "/journey"
    assert (
        manifest["features"]["app_home"]["home_tab_enabled"]
        and manifest["features"]["app_home"]["messages_tab_enabled"]
    )
    assert manifest["settings"]["interactivity"]["is_enabled"]


async def test_socket_mode_takes_events_over_the_websocket_it_opens(
    database: Database, fake: FakeSlack
) -> None:
    settings = slack_settings(database, fake, slack_app_token="xapp-1-A1-test")
    app = await build(settings, clock=lambda: NOW, rng=random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()  # on_startup connects Socket Mode
    try:
        await fake.wait_for("apps.connections.open")
        envelope = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False}
        await fake.push({**envelope, "payload": payload("message_im", event_id="EvSock")})
        (ack,) = await fake.wait_for("socket_ack")
        assert ack["envelope_id"] == "env-1"
        posted = await fake.wait_for("chat.postMessage", 2)
        assert posted[0]["channel"] == "D024BE91L"
    finally:
        await client.close()
        await app.close()
