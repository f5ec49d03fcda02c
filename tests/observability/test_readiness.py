"""``/healthz`` says the process is alive; ``/readyz`` says whether it can work, and if not, why.

The server runs for real against the fake Slack and the fake Bot Connector; what they answer (a
refused token, an expired client secret, signing keys that fail to load once) is what ``/readyz``
must explain, while the server keeps serving.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from alembic import command

from adapters.teams.auth import OpenIdKeys
from bot.main.build import App, build
from bot.main.server import build_web_app
from bot.settings import Settings
from bot.store.database import Database
from bot.store.migrate import SchemaNotReady, alembic_config
from tests.conftest import TEST_DATABASE_URL, scratch_postgres_database
from tests.slack.conftest import NOW, SECRET
from tests.slack.conftest import fake as fake
from tests.slack.fake_slack import FakeSlack
from tests.teams.conftest import APP_ID, TRUSTED_KID, Keys, Teams
from tests.teams.conftest import connector as connector
from tests.teams.conftest import keys as keys
from tests.teams.fake_connector import ISSUER, FakeConnector

Json = dict[str, Any]


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    """Background work (auth.test, a token, key fetches with backoff) finishes soon, not at once."""
    for _ in range(int(seconds / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


class Running:
    def __init__(self, client: TestClient, app: App) -> None:
        self.client, self.app = client, app

    async def ready(self) -> tuple[int, Json]:
        response = await self.client.get("/readyz")
        return response.status, await response.json()

    async def problems(self) -> Json:
        status, body = await self.ready()
        return body.get("problems", {}) if status == 503 else {}


def settings_for(database: Database, **values: Any) -> Settings:
    return Settings(_env_file=None, database_url=database.url, **values)  # type: ignore[call-arg]


@pytest.fixture
def teams_endpoints(connector: FakeConnector, monkeypatch: pytest.MonkeyPatch) -> FakeConnector:
    monkeypatch.setenv("TEAMS_OPENID_METADATA_URLS", f"{connector.url}openid")
    monkeypatch.setenv("TEAMS_TOKEN_ISSUERS", ISSUER)
    monkeypatch.setenv("TEAMS_TOKEN_URL", f"{connector.url}token")
    return connector


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[Running]:
    app = await build(settings, clock=lambda: NOW, rng=random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield Running(client, app)
    finally:
        await client.close()
        await app.close()


def slack_values(fake: FakeSlack) -> dict[str, Any]:
    return {"slack_bot_token": "xoxb-ready", "slack_signing_secret": SECRET, "slack_api_url": fake.api_url}


async def test_healthz_is_alive_and_readyz_is_ready_once_the_bot_token_is_verified(
    database: Database, fake: FakeSlack
) -> None:
    async with serving(settings_for(database, **slack_values(fake))) as server:
        health = await server.client.get("/healthz")
        assert health.status == 200 and await health.json() == {"status": "ok"}
        assert health.headers["X-Request-Id"]
        await eventually(lambda: _is(server, 200))
        _, body = await server.ready()
        assert body == {"status": "ready", "checked": ["database", "slack: bot token"]}
        assert fake.called("auth.test")


async def _is(server: Running, status: int) -> bool:
    return (await server.ready())[0] == status


async def test_a_refused_bot_token_is_a_503_that_names_it_and_the_server_keeps_serving(
    database: Database, fake: FakeSlack
) -> None:
    fake.fail("auth.test", 200, "invalid_auth", times=100)
    async with serving(settings_for(database, **slack_values(fake))) as server:
        await eventually(lambda: _problem_says(server, "slack: bot token", "invalid_auth"))
        problems = await server.problems()
        assert "SLACK_BOT_TOKEN" in problems["slack: bot token"]
        assert "xoxb-ready" not in str(problems)
        assert (await server.client.get("/healthz")).status == 200
        fake.failures.clear()  # the operator fixes the token: the next try (with backoff) succeeds
        await eventually(lambda: _is(server, 200), seconds=15)


async def test_a_refused_socket_mode_app_token_is_named_and_http_keeps_serving(
    database: Database, fake: FakeSlack
) -> None:
    fake.fail("apps.connections.open", 200, "invalid_auth", times=100)
    settings = settings_for(database, **slack_values(fake), slack_app_token="xapp-1-A1-refused")
    async with serving(settings) as server:
        await eventually(lambda: _problem_says(server, "slack: socket mode", "invalid_auth"))
        problem = (await server.problems())["slack: socket mode"]
        assert (
            problem.startswith("Slack refused SLACK_APP_TOKEN (invalid_auth)")
            and "connections:write" in problem
        )
        assert "xapp-1-A1-refused" not in problem
        assert (await server.client.get("/healthz")).status == 200
        fake.failures.clear()  # a new app token: the next try connects, and Socket Mode is ready
        await eventually(lambda: _is(server, 200), seconds=15)


async def _problem_says(server: Running, name: str, words: str) -> bool:
    return words in (await server.problems()).get(name, "")


async def test_an_expired_teams_secret_is_a_503_on_readyz_and_on_its_route_never_a_500(
    database: Database, teams_endpoints: FakeConnector, keys: Keys
) -> None:
    connector = teams_endpoints
    connector.token_refusal = (401, {"error": "invalid_client", "error_description": "AADSTS7000222"})
    settings = settings_for(database, teams_app_id=APP_ID, teams_app_password="expired-secret")
    async with serving(settings) as server:
        await eventually(lambda: _problem_says(server, "teams: bot connector token", "invalid_client"))
        problem = (await server.problems())["teams: bot connector token"]
        assert "TEAMS_APP_PASSWORD" in problem and "expired-secret" not in problem
        teams = Teams(server.client, connector, None, _config(settings), keys)  # type: ignore[arg-type]
        refused = await teams.post("personal_message", text="hello")
        assert refused.status == 503 and "readyz" in (await refused.json())["error"]
        connector.token_refusal = None  # a new secret is in place (the provider asks again)
        await eventually(lambda: _is(server, 200), seconds=15)
        assert (await teams.post("personal_message", text="hello")).status == 202


def _config(settings: Settings) -> Any:
    from adapters.teams.config import TeamsConfig

    return TeamsConfig.from_settings(settings)


async def test_one_failed_signing_key_fetch_at_start_is_retried_within_seconds(
    database: Database, teams_endpoints: FakeConnector, keys: Keys
) -> None:
    connector = teams_endpoints
    connector.openid_failures = 1
    settings = settings_for(database, teams_app_id=APP_ID, teams_app_password="a-good-secret")
    async with serving(settings) as server:
        await eventually(lambda: _is(server, 200), seconds=5)  # not UNKNOWN_KID_REFETCH (5 min) later
        assert connector.openid_requests == 2
        teams = Teams(server.client, connector, None, _config(settings), keys)  # type: ignore[arg-type]
        assert (await teams.post("personal_message", text="hello")).status == 202


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_signing_keys_back_off_after_failures_and_keep_old_keys_on_a_failed_refresh(keys: Keys) -> None:
    time, fetched, down = FakeTime(), [], [True]

    async def fetch(url: str) -> Mapping[str, Any]:
        fetched.append(url)
        if down[0]:
            raise TimeoutError(url)
        return {"jwks_uri": "https://login.example/keys"} if url.endswith("openid") else {"keys": keys.jwks()}

    signing = OpenIdKeys(("https://login.example/openid",), fetch, monotonic=time)
    assert await signing.key(TRUSTED_KID) is None and len(fetched) == 1
    assert await signing.key(TRUSTED_KID) is None and len(fetched) == 1  # within the 1 s backoff
    time.now += 1.5
    assert await signing.key(TRUSTED_KID) is None and len(fetched) == 2  # tried again; 2 s next
    assert "no signing keys" in (signing.problem or "")
    down[0] = False
    time.now += 2.5
    assert await signing.key(TRUSTED_KID) is not None and signing.problem is None
    # With keys in hand, an unknown kid refetches at most every 5 minutes, even when that fails.
    down[0] = True
    time.now += 301
    assert await signing.key("unknown") is None
    attempts = len(fetched)
    time.now += 10
    assert await signing.key("unknown") is None and len(fetched) == attempts
    assert await signing.key(TRUSTED_KID) is not None and signing.problem is None


async def test_a_schema_behind_the_code_makes_readyz_say_run_db_upgrade(
    database: Database, fake: FakeSlack
) -> None:
    async with serving(settings_for(database, **slack_values(fake))) as server:
        await eventually(lambda: _is(server, 200))
        await asyncio.to_thread(command.downgrade, alembic_config(database.url), "-1")
        try:
            problems = await server.problems()
            assert "run `journeybot db upgrade`" in problems["database"]
        finally:  # PostgreSQL's test database is shared by the whole session
            await asyncio.to_thread(command.upgrade, alembic_config(database.url), "head")
        await eventually(lambda: _is(server, 200))


async def test_an_unreachable_database_is_a_503_not_a_500(tmp_path: Path, fake: FakeSlack) -> None:
    path = tmp_path / "bot.db"
    settings = Settings(_env_file=None, database_url=f"sqlite:///{path}", **slack_values(fake))  # type: ignore[call-arg]
    async with serving(settings) as server:
        await eventually(lambda: _is(server, 200))
        await server.app.db.engine.dispose()  # no pooled connection to the old file is left
        path.unlink()
        path.mkdir()  # the file is gone and cannot be opened again
        problems = await server.problems()
        assert problems["database"].startswith("unreachable (OperationalError: unable to open")
        assert (await server.client.get("/healthz")).status == 200
        assert (await server.client.get("/metrics")).status == 200


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")
async def test_postgresql_without_a_schema_refuses_to_start_with_how_to_fix_it() -> None:
    with scratch_postgres_database("journeybot_no_schema") as url:
        with pytest.raises(SchemaNotReady, match=r"no journeybot schema yet: run `journeybot db upgrade`"):
            await build(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
        await asyncio.to_thread(command.downgrade, alembic_config(url), "-1")
        with pytest.raises(SchemaNotReady, match=r"schema is behind .*run `journeybot db upgrade`"):
            await build(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
        app = await build(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
        await app.close()
