"""The Teams route on the shared server: only it demands a token, misconfiguration says why, and a
failing turn never shows its exception text to the person."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from microsoft_agents.hosting.core import TurnContext, TurnState
from pydantic import SecretStr
from sqlalchemy import func, select, update

from adapters.teams import outgoing
from adapters.teams.agent import SORRY
from adapters.teams.web import TEAMS_AGENT, mount
from bot.main.build import App
from bot.main.server import build_web_app
from bot.store.models import PersonRow
from tests.teams.conftest import APP_ID, Teams, press, teams_config, texts
from tests.teams.fake_connector import Failure, FakeConnector


async def _client(web_app: web.Application) -> TestClient:
    client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await client.start_server()
    return client


async def test_only_the_teams_route_asks_for_a_token(
    app: App, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAMS_OPENID_METADATA_URLS", f"{connector.url}openid")
    monkeypatch.setenv("TEAMS_TOKEN_URL", f"{connector.url}token")
    app.settings = app.settings.model_copy(
        update={"teams_app_id": APP_ID, "teams_app_password": SecretStr("pw")}
    )
    client = await _client(build_web_app(app))
    try:
        assert (await client.post("/api/messages", json={"type": "message"})).status == 401
        assert (await client.get("/healthz")).status == 200  # the rest of the server is untouched
    finally:
        await client.close()


async def test_without_credentials_or_the_anonymous_flag_teams_is_off_and_the_log_says_why(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    client = await _client(build_web_app(app))
    try:
        assert (await client.post("/api/messages", json={})).status == 404
    finally:
        await client.close()
    assert "Teams is off" in caplog.text and "TEAMS_APP_ID" in caplog.text


async def test_an_app_id_without_its_password_refuses_with_503(
    app: App, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    web_app = web.Application()
    config = teams_config(connector)
    mount(web_app, app.adapter_deps, config.__class__(**{**config.__dict__, "app_password": None}))
    client = await _client(web_app)
    try:
        assert (await client.post("/api/messages", json={})).status == 503
    finally:
        await client.close()
    assert "TEAMS_APP_PASSWORD is not" in caplog.text


async def test_anonymous_mode_is_explicit_and_warned_about(
    app: App, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    app.settings = app.settings.model_copy(update={"teams_allow_anonymous": True})
    client = await _client(build_web_app(app))
    try:
        activity = Teams(client, connector, app, teams_config(connector, anonymous=True), None).activity(  # type: ignore[arg-type]
            "personal_message"
        )
        assert (await client.post("/api/messages", json=activity)).status == 202
    finally:
        await client.close()
    assert "WITHOUT authentication" in caplog.text
    assert connector.sent() and connector.sent()[0].authorization is None


async def test_a_failing_turn_says_sorry_without_the_exception(teams: Teams) -> None:
    teams.connector.failures.append(Failure(500))  # the first reply fails inside the turn
    response = await teams.post("personal_message", text="hello")
    assert response.status == 202
    said = texts([r.body for r in teams.connector.sent()])
    assert SORRY in said
    assert "500" not in said.replace(SORRY, "") and "Error" not in said


MALFORMED = [{"type": 5}, {"type": "message", "conversation": "x"}, {"type": "message", "from": []}]


@pytest.mark.parametrize("body", MALFORMED)
async def test_a_malformed_activity_gets_400_not_500_in_anonymous_mode(
    anonymous_teams: Teams, body: dict
) -> None:
    response = await anonymous_teams.client.post("/api/messages", json=body)
    assert response.status == 400
    assert anonymous_teams.connector.requests == []


@pytest.mark.parametrize("body", MALFORMED)
async def test_a_malformed_activity_with_a_valid_token_gets_400_not_500(teams: Teams, body: dict) -> None:
    activity = {**body, "channelId": "msteams", "serviceUrl": teams.connector.url}
    response = await teams.post(activity)
    assert response.status == 400
    assert teams.connector.requests == []


async def test_a_failure_in_our_own_code_says_sorry_and_only_the_log_has_the_details(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    await teams.say("hello")
    # A row our mapping cannot read: loading the person raises inside our code, mid-turn.
    async with teams.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(work_start="25:99"))
    caplog.clear()
    said = texts(await teams.say("help"))
    assert SORRY in said
    error = "hour must be in 0..23"  # the exception's own text
    assert error not in said and "ValueError" not in said and "Traceback" not in said
    answer = await press(teams, "journey.start")  # a button gets the same kind answer
    assert answer["value"] == SORRY
    assert "Teams turn failed (ValueError)" in caplog.text
    assert error in caplog.text and "mapping.py" in caplog.text  # the traceback is in the log


async def _nobody_stored(teams: Teams) -> bool:
    async with teams.app.db.sessions() as session:
        return await session.scalar(select(func.count()).select_from(PersonRow)) == 0


# Routes of equal rank run in the SDK's heap order, which is not the order they were added: only the
# catch-alls' explicit RouteRank.LAST makes sure a route added later with the default rank wins.
async def test_a_message_route_added_with_the_default_rank_wins_over_the_catch_all(teams: Teams) -> None:
    @teams.client.server.app[TEAMS_AGENT].application.message("ping")
    async def ping(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity("pong")

    assert [r["text"] for r in await teams.say("ping")] == ["pong"]
    assert await _nobody_stored(teams)  # the catch-all never saw it


async def test_an_invoke_route_added_with_the_default_rank_wins_over_the_catch_all(teams: Teams) -> None:
    @teams.client.server.app[TEAMS_AGENT].application.invoke("composeExtension/query")
    async def query(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(outgoing.invoke_response({"composeExtension": {"text": "found"}}))

    invoke = teams.activity("invoke_adaptive_card_action", name="composeExtension/query", value={})
    response = await teams.post(invoke)
    assert await response.json() == {"composeExtension": {"text": "found"}}
    assert await _nobody_stored(teams)
