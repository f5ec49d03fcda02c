"""With credentials, every request's JWT is verified: no valid token, 401 and nothing stored."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from adapters.teams.config import TeamsConfig, TeamsEndpoints
from bot.main.build import App
from bot.settings import Settings
from bot.store.models import IdentityRow, PersonRow
from tests.teams.conftest import APP_ID, TRUSTED_KID, Keys, Teams, serving
from tests.teams.fake_connector import FakeConnector


async def _nothing_stored(teams: Teams) -> None:
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PersonRow)) == 0
        assert await session.scalar(select(func.count()).select_from(IdentityRow)) == 0
    assert teams.connector.sent() == []


async def test_a_request_without_a_token_is_refused(teams: Teams) -> None:
    response = await teams.post("personal_message", token=None)
    assert response.status == 401
    await _nothing_stored(teams)


@pytest.mark.parametrize("token", ["not-a-jwt", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a b"])
async def test_a_malformed_token_is_refused(teams: Teams, token: str) -> None:
    response = await teams.post("personal_message", token=token)
    assert response.status == 401
    await _nothing_stored(teams)


async def test_a_token_signed_by_a_key_we_do_not_trust_is_refused(teams: Teams) -> None:
    for forged in (teams.token(teams.keys.forged), teams.token(teams.keys.forged, kid="attacker-key")):
        response = await teams.post("personal_message", token=forged)
        assert response.status == 401
    await _nothing_stored(teams)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-bots-app-id"},
        {"iss": "https://evil.example.com"},
        {"exp": int(time.time()) - 3600},
        {"serviceurl": "https://evil.example.com/"},  # replies (with our token) must not go elsewhere
    ],
    ids=["audience", "issuer", "expired", "serviceurl"],
)
async def test_a_validly_signed_token_for_something_else_is_refused(teams: Teams, claims: dict) -> None:
    response = await teams.post("personal_message", token=teams.token(**claims))
    assert response.status == 401
    await _nothing_stored(teams)


async def test_a_key_not_endorsed_for_teams_is_refused(teams: Teams) -> None:
    response = await teams.post("personal_message", channelId="webchat")
    assert response.status == 401
    await _nothing_stored(teams)


async def test_a_valid_token_is_accepted_and_the_reply_carries_our_own_token(teams: Teams) -> None:
    response = await teams.post("personal_message", token=teams.token(kid=TRUSTED_KID))
    assert response.status == 202
    replies = teams.connector.sent()
    assert replies and all(
        r.authorization == "Bearer connector-token-from-the-fake-endpoint" for r in replies
    )
    token_request = teams.connector.token_requests[0]
    assert token_request["grant_type"] == "client_credentials"
    assert token_request["scope"] == "https://api.botframework.com/.default"


async def test_anonymous_mode_accepts_requests_and_replies_without_a_token(anonymous_teams: Teams) -> None:
    response = await anonymous_teams.post("personal_message", token=None)
    assert response.status == 202
    replies = anonymous_teams.connector.sent()
    assert replies and all(r.authorization is None for r in replies)
    assert anonymous_teams.connector.token_requests == []


TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _single_tenant(connector: FakeConnector) -> TeamsConfig:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, teams_app_id=APP_ID, teams_app_password=SecretStr("pw"), teams_tenant_id=TENANT
    )
    endpoints = TeamsEndpoints(  # type: ignore[call-arg]
        _env_file=None, openid_metadata_urls=f"{connector.url}openid", token_url=f"{connector.url}token"
    )
    return TeamsConfig.from_settings(settings, endpoints)


@pytest.mark.parametrize(
    "issuer", [f"https://sts.windows.net/{TENANT}/", f"https://login.microsoftonline.com/{TENANT}/v2.0"]
)
async def test_a_single_tenant_bot_refuses_entra_tokens_that_would_send_replies_elsewhere(
    app: App, connector: FakeConnector, keys: Keys, issuer: str
) -> None:
    """Any app in the tenant can get an Entra token for our app id: it must not choose where our
    replies (carrying our Bot Connector token) go."""
    attacker = FakeConnector(keys.jwks())
    await attacker.start()
    try:
        async for teams in serving(app, connector, keys, _single_tenant(connector)):
            entra = teams.token(iss=issuer, serviceurl=None, appid="another-app-in-the-tenant", tid=TENANT)
            activity = teams.activity("personal_message", serviceUrl=attacker.url)
            assert (await teams.post(activity, token=entra)).status == 401
            await _nothing_stored(teams)
            assert attacker.requests == []
            assert (await teams.post("personal_message")).status == 202  # the channel's own tokens work
    finally:
        await attacker.close()


async def test_a_channel_token_without_its_serviceurl_claim_is_refused(teams: Teams) -> None:
    response = await teams.post("personal_message", token=teams.token(serviceurl=None))
    assert response.status == 401
    await _nothing_stored(teams)


@pytest.mark.parametrize("body", [b"", b"garbage", b"[]", b'{"type": 5}', b"\xff\xfe"])
async def test_without_a_token_any_body_gets_401_before_it_is_read(teams: Teams, body: bytes) -> None:
    response = await teams.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 401
    await _nothing_stored(teams)


@pytest.mark.parametrize("body", [b"", b"garbage", b"[]", b"\xff\xfe"])
async def test_with_a_valid_token_a_body_that_is_not_json_gets_400(teams: Teams, body: bytes) -> None:
    response = await teams.client.post(
        "/api/messages",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {teams.token()}"},
    )
    assert response.status == 400
    await _nothing_stored(teams)
