"""Teams fixtures: key pairs, a fake connector, the bot's aiohttp route, recorded payloads.

The bot runs for real (SDK, our handlers, the store on each database backend); only Microsoft's
side is faked, on 127.0.0.1. Tokens are signed with the test's own RSA key, which the fake OpenID
endpoint publishes; a forged token is signed with another key.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.teams.config import TeamsConfig
from adapters.teams.web import TEAMS_INTAKE, mount
from bot.conversation.service import Conversation
from bot.main.build import App
from bot.settings import Settings
from bot.store.database import Database
from bot.store.store import Store
from nudges.catalogue import BUILTIN
from tests.clock import Clock
from tests.teams.fake_connector import ISSUER, FakeConnector

PAYLOADS = Path(__file__).parent / "payloads"
APP_ID = "00000000-0000-0000-0000-0000000b0701"
TRUSTED_KID = "trusted-key"
MONDAY_10_BERLIN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Json = dict[str, Any]
ACTIVITY_IDS = itertools.count(1)


@dataclass(frozen=True)
class Keys:
    trusted: rsa.RSAPrivateKey
    forged: rsa.RSAPrivateKey

    def jwks(self) -> list[Json]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.trusted.public_key(), as_dict=True)
        return [{**public, "kid": TRUSTED_KID, "use": "sig", "endorsements": ["msteams"]}]


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys(
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


@pytest.fixture
async def connector(keys: Keys) -> AsyncIterator[FakeConnector]:
    fake = FakeConnector(keys.jwks())
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
def app(database: Database) -> App:
    clock = Clock(MONDAY_10_BERLIN)
    settings = Settings(_env_file=None, database_url=database.url)  # type: ignore[call-arg]
    store = Store(database)
    rng = random.Random(7)
    return App(settings, database, store, BUILTIN, Conversation(store, BUILTIN, clock, rng), clock, rng)


def teams_config(connector: FakeConnector, *, anonymous: bool = False) -> TeamsConfig:
    return TeamsConfig(
        app_id=None if anonymous else APP_ID,
        app_password=None if anonymous else "app-password",
        tenant_id=None,
        allow_anonymous=anonymous,
        metadata_urls=(f"{connector.url}openid",),
        issuers=(ISSUER,),
        token_url=f"{connector.url}token",
    )


@dataclass
class Teams:
    """The running bot (``client``) and Microsoft's side (``connector``)."""

    client: TestClient
    connector: FakeConnector
    app: App
    config: TeamsConfig
    keys: Keys

    def activity(self, payload_name: str, **changes: Any) -> Json:
        payload = json.loads((PAYLOADS / f"{payload_name}.json").read_text())
        payload["serviceUrl"] = self.connector.url
        payload["id"] = f"{payload.get('id', 'activity')}-{next(ACTIVITY_IDS)}"  # Teams: one id each
        payload.update(copy.deepcopy(changes))
        return payload

    def token(self, key: rsa.RSAPrivateKey | None = None, kid: str = TRUSTED_KID, **claims: Any) -> str:
        """A token the channel service would send; a claim given as None is left out."""
        now = int(time.time())
        body = {"iss": ISSUER, "aud": APP_ID, "serviceurl": self.connector.url, "nbf": now, "exp": now + 3600}
        body = {name: value for name, value in {**body, **claims}.items() if value is not None}
        return jwt.encode(body, key or self.keys.trusted, algorithm="RS256", headers={"kid": kid})

    async def post(self, activity: Json | str, token: str | None = "valid", **changes: Any) -> ClientResponse:
        """Post an activity and wait until its turn is done (a message's runs after the ack)."""
        response = await self.send(activity, token, **changes)
        await self.handled()
        return response

    async def send(self, activity: Json | str, token: str | None = "valid", **changes: Any) -> ClientResponse:
        """Post an activity; the acknowledgement, without waiting for the turn."""
        body = self.activity(activity, **changes) if isinstance(activity, str) else activity
        headers = {}
        if token == "valid" and self.config.authenticated:
            token = self.token()
        if token and token != "valid":
            headers["Authorization"] = f"Bearer {token}"
        return await self.client.post("/api/messages", json=body, headers=headers)

    async def handled(self) -> None:
        """Wait until every activity taken in has had its turn."""
        if TEAMS_INTAKE in self.client.app:
            await self.client.app[TEAMS_INTAKE].inbox.idle()

    async def say(self, text: str) -> list[Json]:
        """Send a personal message; the activities the bot posted in reply."""
        self.connector.clear()
        response = await self.post("personal_message", text=text)
        assert response.status == 202, await response.text()
        return [r.body for r in self.connector.sent()]


async def serving(
    app: App, connector: FakeConnector, keys: Keys, config: TeamsConfig
) -> AsyncIterator[Teams]:
    web_app = web.Application()
    mount(web_app, app.adapter_deps, config)
    client = TestClient(TestServer(web_app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield Teams(client, connector, app, config, keys)
    finally:
        await client.close()


@pytest.fixture
async def teams(app: App, connector: FakeConnector, keys: Keys) -> AsyncIterator[Teams]:
    async for running in serving(app, connector, keys, teams_config(connector)):
        yield running


@pytest.fixture
async def anonymous_teams(app: App, connector: FakeConnector, keys: Keys) -> AsyncIterator[Teams]:
    async for running in serving(app, connector, keys, teams_config(connector, anonymous=True)):
        yield running


async def press(teams: Teams, action: str, value: str = "", card_id: str = "card-1") -> Json:
    """Press a card button the Universal Actions way; the invoke response body."""
    teams.connector.clear()
    invoke = teams.activity("invoke_adaptive_card_action", replyToId=card_id)
    invoke["value"]["action"].update(verb=action, data={"action": action, "value": value})
    response = await teams.post(invoke)
    assert response.status == 200, await response.text()
    return await response.json()


async def submit(teams: Teams, value: Json, card_id: str = "card-1") -> None:
    """Press a card button the way clients without Universal Actions do (Action.Submit)."""
    teams.connector.clear()
    response = await teams.post("card_submit", value=value, replyToId=card_id)
    assert response.status == 202, await response.text()


def texts(activities: list[Json]) -> str:
    """Everything the bot said, as one searchable string (message text and card text blocks)."""
    out = []
    for activity in activities:
        out.append(activity.get("text") or "")
        for attachment in activity.get("attachments") or []:
            out.append(json.dumps(attachment["content"], ensure_ascii=False))
    return "\n".join(out)
