"""With credentials, every request's JWT is verified: no valid token, 401 and nothing stored."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from bot.db.models import IdentityRow, PersonRow
from tests.teams.conftest import TRUSTED_KID, Teams


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
