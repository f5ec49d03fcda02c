"""Slack credentials at rest: encrypted in the database, rotated to a new key, refreshed when Slack rotates them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.slack.installations import EncryptedInstallationStore
from adapters.slack.models import TOKEN_COLUMNS, slack_bots, slack_installations
from adapters.slack.sender import build_sender
from bot.main.build import build
from bot.main.server import build_web_app
from bot.secrets import SecretKeyError, Secrets, new_key
from bot.store.database import Database
from tests.slack.conftest import KEY, NOW, Slack, install, payload, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_sender import NUDGE
from tests.test_console import run as run_cli

OAUTH = {
    "slack_bot_token": None,
    "slack_client_id": "111.222",
    "slack_client_secret": "client-secret",
    "slack_allowed_teams": "T1, T9, E1",  # OAuth mode names its workspaces
}


async def raw_rows(database: Database) -> list[dict[str, Any]]:
    """Every row of both installation tables, as the database holds them (no decrypting store)."""
    async with database.engine.connect() as connection:
        return [
            dict(row._mapping)
            for table in (slack_bots, slack_installations)
            for row in await connection.execute(sa.select(table))
        ]


def stored_tokens(rows: list[dict[str, Any]]) -> list[str]:
    return [value for row in rows for name, value in row.items() if name in TOKEN_COLUMNS and value]


def plain_installation(token: str, team: str, refresh: str | None = None) -> Installation:
    return Installation(
        app_id="A1", team_id=team, user_id="U1", bot_token=token, bot_id="B2", bot_user_id="UBOT2",
        bot_refresh_token=refresh, user_token=f"xoxp-{team}",
    )  # fmt: skip


async def test_the_database_never_holds_a_token_in_clear(oauth_client: Slack) -> None:
    slack, fake = oauth_client, oauth_client.fake
    fake.rotation_seconds = 43200  # Slack's token rotation: a refresh token comes with the install
    await install(slack)

    rows = await raw_rows(slack.app.db)
    tokens = stored_tokens(rows)
    assert len(rows) == 2 and len(tokens) == 4  # bot and refresh token, in both tables
    assert all(token.startswith("fernet:") for token in tokens)
    everything = repr(rows)
    assert "xoxe" not in everything and "xoxb" not in everything
    # ... and the app reads them back: the DM gets its answer with the installed token.
    body = payload("message_im", team_id="T9", event_id="EvSecret", event={"team": "T9"})
    body["authorizations"][0]["team_id"] = "T9"
    assert (await slack.event(body)).status == 200
    await fake.wait_for("chat.postMessage")
    assert set(fake.tokens("chat.postMessage")) == {"xoxe.xoxb-first"}


async def test_a_wrong_key_fails_clearly_and_says_what_to_do(oauth_client: Slack) -> None:
    await install(oauth_client)
    other = EncryptedInstallationStore("111.222", oauth_client.app.db.engine, Secrets([new_key()]))

    with pytest.raises(SecretKeyError, match="does not decrypt with JOURNEYBOT_SECRET_KEY") as raised:
        await other.async_find_bot(enterprise_id=None, team_id="T9")

    assert "xoxb" not in str(raised.value) and KEY not in str(raised.value)
    with pytest.raises(SecretKeyError, match="encrypted but JOURNEYBOT_SECRET_KEY is not set"):
        await EncryptedInstallationStore("111.222", oauth_client.app.db.engine, Secrets([])).async_find_bot(
            enterprise_id=None, team_id="T9"
        )


def test_a_malformed_key_is_one_line_that_never_prints_the_key() -> None:
    with pytest.raises(SecretKeyError) as raised:
        Secrets([new_key(), "not-a-key-at-all"])
    assert str(raised.value).startswith("JOURNEYBOT_SECRET_KEY: key 2 is not a Fernet key")
    assert "not-a-key-at-all" not in str(raised.value)


async def test_without_a_key_oauth_refuses_to_start_unless_insecure_dev(
    database: Database, fake: FakeSlack
) -> None:
    app = await build(slack_settings(database, fake, **OAUTH))
    try:
        with pytest.raises(SecretKeyError, match="JOURNEYBOT_SECRET_KEY is not set") as raised:
            build_web_app(app)
        assert "\n" not in str(raised.value)
        with pytest.raises(SecretKeyError, match="platform tokens cannot be stored"):  # and the store refuses
            await EncryptedInstallationStore("111.222", app.db.engine, Secrets([])).async_save(
                plain_installation("xoxb-nokey", "T3")
            )
        assert await raw_rows(app.db) == []
    finally:
        await app.close()
    dev = await build(slack_settings(database, fake, journeybot_insecure_dev=True, **OAUTH))
    try:
        build_web_app(dev)  # starts
        store = EncryptedInstallationStore("111.222", dev.db.engine, Secrets.from_settings(dev.settings))
        await store.async_save(plain_installation("xoxb-dev", "T3"))
        assert "xoxb-dev" in stored_tokens(await raw_rows(dev.db))  # plain, as asked
    finally:
        await dev.close()


async def test_key_rotation_end_to_end_and_plain_rows_get_encrypted(
    oauth_client: Slack, database: Database, tmp_path: Path
) -> None:
    app, fake = oauth_client.app, oauth_client.fake
    await install(oauth_client)  # T9, under KEY
    legacy = AsyncSQLAlchemyInstallationStore(client_id="111.222", engine=app.db.engine)
    await legacy.async_save(plain_installation("xoxb-legacy", "T5", refresh="xoxe-legacy"))  # before 0007
    before = stored_tokens(await raw_rows(app.db))
    assert "xoxb-legacy" in before  # plain text, as slack_sdk's own store wrote it

    newer = new_key()
    rotated = run_cli(
        ["secrets", "rotate"], tmp_path, DATABASE_URL=database.url, JOURNEYBOT_SECRET_KEY=f"{newer},{KEY}"
    )

    assert rotated.returncode == 0, rotated.stderr
    assert (
        "Re-encrypted 7 stored token(s)" in rotated.stdout and "(5 of them were plain text)" in rotated.stdout
    )
    after = stored_tokens(await raw_rows(app.db))
    assert len(after) == 7 and all(t.startswith("fernet:") for t in after) and not set(after) & set(before)
    only_new = EncryptedInstallationStore("111.222", app.db.engine, Secrets([newer]))
    found = {
        team: await only_new.async_find_installation(enterprise_id=None, team_id=team)
        for team in ("T9", "T5")
    }
    assert found["T9"] is not None and found["T9"].bot_token == "xoxb-oauth"
    assert found["T5"] is not None and (found["T5"].bot_refresh_token, found["T5"].user_token) == (
        "xoxe-legacy",
        "xoxp-T5",
    )
    with pytest.raises(SecretKeyError):  # the old key alone no longer opens anything
        await EncryptedInstallationStore("111.222", app.db.engine, Secrets([KEY])).async_find_bot(
            enterprise_id=None, team_id="T9"
        )
    # The server with only the new key serves as before.
    settings = slack_settings(database, fake, journeybot_secret_key=newer, **OAUTH)
    served = await build(settings, clock=lambda: NOW, rng=random.Random(1))
    try:
        await build_sender(served.adapter_deps).send("T9:U999", NUDGE)
    finally:
        await served.close()
    assert fake.tokens("chat.postMessage") == ["xoxb-oauth"]

    wrong = run_cli(["secrets", "rotate"], tmp_path, DATABASE_URL=database.url, JOURNEYBOT_SECRET_KEY=KEY)
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert wrong.stderr.startswith(
        "error: a stored platform token does not decrypt with JOURNEYBOT_SECRET_KEY"
    )


async def test_rotating_slack_tokens_are_refreshed_by_bolt_and_by_the_sender(oauth_client: Slack) -> None:
    slack, fake = oauth_client, oauth_client.fake
    fake.rotation_seconds = 60  # expires within the two hours ahead: refreshed before every use
    await install(slack)

    body = payload("message_im", team_id="T9", event_id="EvRotate", event={"team": "T9"})
    body["authorizations"][0]["team_id"] = "T9"
    assert (await slack.event(body)).status == 200
    await fake.wait_for("chat.postMessage")

    refreshes = [c for c in fake.called("oauth.v2.access") if c.get("grant_type") == "refresh_token"]
    assert [c["refresh_token"] for c in refreshes] == ["xoxe-1-first"]
    assert set(fake.tokens("chat.postMessage")) == {"xoxe.xoxb-rotated-1"}
    # Delivery refreshes too, through the store.
    await build_sender(slack.app.adapter_deps).send("T9:U999", NUDGE)
    assert fake.tokens("chat.postMessage")[-1] == "xoxe.xoxb-rotated-2"
    store = EncryptedInstallationStore("111.222", slack.app.db.engine, Secrets([KEY]))
    bot = await store.async_find_bot(enterprise_id=None, team_id="T9")
    assert bot is not None and (bot.bot_token, bot.bot_refresh_token) == (
        "xoxe.xoxb-rotated-2",
        "xoxe-1-rotated-2",
    )
    assert not any("xoxe" in token for token in stored_tokens(await raw_rows(slack.app.db)))


async def test_a_refresh_slack_refuses_is_a_delivery_error_not_a_crash(oauth_client: Slack) -> None:
    from bot.ports import DeliveryError

    slack, fake = oauth_client, oauth_client.fake
    fake.rotation_seconds = 60
    await install(slack)
    fake.refresh_tokens.clear()  # revoked meanwhile: Slack answers invalid_refresh_token

    with pytest.raises(DeliveryError, match="could not be refreshed: invalid_refresh_token"):
        await build_sender(slack.app.adapter_deps).send("T9:U999", NUDGE)
