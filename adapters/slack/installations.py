"""Which installation's bot token reaches a person, from what their identity keeps: a team id, or none.

Bolt's installation store finds a bot by enterprise id *and* team id, but an identity knows only the
team (``identities.tenant``), so the installation is looked up by what that allows:

- a workspace-level install by its team, inside an Enterprise Grid org too (its enterprise id is set
  there, and unknown to the identity);
- an org-wide install (Enterprise Grid, ``is_enterprise_install``: no team of its own) for a team
  without an install of its own, when it is the only org-wide install (the only one that can hold it);
- for someone the roster linked by Slack user id alone (no team), the only installation, if there is
  exactly one. With several, nobody can tell which workspace they are in.

Tokens are encrypted at rest (``bot.secrets``): ``EncryptedInstallationStore`` is slack_sdk's own
SQLAlchemy store with the token columns typed to encrypt on write and decrypt on read, so Bolt's
OAuth flow, its token rotation and its uninstall listeners all go through it unchanged. With token
rotation switched on for the app, a bot token expires after 12 hours; the sender refreshes it as
Bolt's authorize step does, through the same store.
"""

from __future__ import annotations

from typing import TypeVarTuple

import sqlalchemy as sa
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.slack.client import web_client
from adapters.slack.models import TOKEN_COLUMNS, slack_bots, slack_installations
from bot.ports import DeliveryError
from bot.secrets import Secrets, is_encrypted
from bot.settings import Settings

Columns = TypeVarTuple("Columns")

# Refresh a rotating token this long before it expires (Bolt's default, and what authorize uses).
ROTATE_MINUTES_BEFORE = 120


class Encrypted(sa.TypeDecorator[str]):
    """A text column whose values are encrypted by ``secrets`` on the way in, decrypted on the way out."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, secrets: Secrets) -> None:
        super().__init__()
        self.secrets = secrets

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return self.secrets.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return self.secrets.decrypt(value)


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's store, unchanged but for the token columns of its two tables (see the module doc)."""

    def __init__(self, client_id: str, engine: AsyncEngine, secrets: Secrets) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self.secrets = secrets
        for table in (self.bots, self.installations):
            for column in table.c:
                if column.name in TOKEN_COLUMNS:
                    column.type = Encrypted(secrets)

    async def async_save(self, installation: Installation) -> None:
        self.secrets.check_can_store()
        await super().async_save(installation)

    async def async_save_bot(self, bot: Bot) -> None:
        self.secrets.check_can_store()
        await super().async_save_bot(bot)


def token_rotator(settings: Settings) -> AsyncTokenRotator:
    """Refreshes rotating tokens at the configured Web API (Bolt's own default is slack.com)."""
    assert settings.slack_client_id and settings.slack_client_secret, (
        "rotation needs the client id and secret"
    )
    return AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=web_client(settings, with_bot_token=False),
    )


def installations_for(settings: Settings, engine: AsyncEngine) -> SlackInstallations:
    assert settings.slack_client_id, "installations exist with OAuth only"
    rotator = token_rotator(settings) if settings.slack_client_secret else None
    return SlackInstallations(settings.slack_client_id, engine, Secrets.from_settings(settings), rotator)


class SlackInstallations:
    def __init__(
        self, client_id: str, engine: AsyncEngine, secrets: Secrets, rotator: AsyncTokenRotator | None = None
    ) -> None:
        self.client_id = client_id
        self.engine = engine
        self.store = EncryptedInstallationStore(client_id, engine, secrets)
        self.rotator = rotator

    async def fresh_bot_for(self, team: str) -> Bot | None:
        """``bot_for``, with its token refreshed first when it rotates and expires soon."""
        bot = await self.bot_for(team)
        if bot is None or not bot.bot_refresh_token or self.rotator is None:
            return bot
        try:
            refreshed = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE
            )
        except SlackTokenRotationError as error:
            reason = error.api_error.response.get("error", "no reason given")
            raise DeliveryError(f"the workspace's bot token could not be refreshed: {reason}") from None
        if refreshed is None:
            return bot
        await self.store.async_save_bot(refreshed)
        return refreshed

    async def bot_for(self, team: str) -> Bot | None:
        """The bot serving workspace ``team`` ("" when the identity has none), or None."""
        c = slack_bots.c
        installed = sa.select(c.enterprise_id, c.team_id, c.is_enterprise_install).where(
            c.client_id == self.client_id, c.bot_token.is_not(None)
        )
        # COMMIT, not ROLLBACK: a rollback drops the connection's prepared statements (psycopg).
        async with self.engine.begin() as connection:
            if team:
                own = installed.where(c.team_id == team).order_by(c.installed_at.desc()).limit(1)
                found = (await connection.execute(own)).first()
                if found is None:
                    found = await _only(connection, installed.where(c.is_enterprise_install.is_(True)))
            else:
                found = await _only(connection, installed)
        if found is None:
            return None
        enterprise_id, team_id, org_wide = found
        return await self.store.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide
        )

    async def teams(self) -> set[str]:
        """The workspaces with a bot installed of their own (org-wide installs name no team)."""
        c = slack_bots.c
        query = sa.select(c.team_id).where(
            c.client_id == self.client_id, c.bot_token.is_not(None), c.team_id.is_not(None)
        )
        # COMMIT, not ROLLBACK: a rollback drops the connection's prepared statements (psycopg).
        async with self.engine.begin() as connection:
            return {str(team) for team in (await connection.execute(query.distinct())).scalars()}

    async def count(self) -> int:
        c = slack_bots.c
        installed = (
            sa.select(c.enterprise_id, c.team_id)
            .where(c.client_id == self.client_id, c.bot_token.is_not(None))
            .distinct()
            .subquery()
        )
        # COMMIT, not ROLLBACK: a rollback drops the connection's prepared statements (psycopg).
        async with self.engine.begin() as connection:
            return int((await connection.scalar(sa.select(sa.func.count()).select_from(installed))) or 0)


async def _only(connection: AsyncConnection, query: sa.Select[*Columns]) -> sa.Row[*Columns] | None:
    """The one installation ``query`` finds (reinstalls of it count once), or None for none or several."""
    rows = (await connection.execute(query.distinct().limit(2))).all()
    return rows[0] if len(rows) == 1 else None


async def reencrypt_tokens(engine: AsyncEngine, secrets: Secrets) -> tuple[int, int]:
    """Every stored credential re-encrypted with the newest key, in one transaction; (values, of
    which were plain text). Reads the tables as they are stored, without the decrypting store."""
    values = plain = 0
    async with engine.begin() as connection:
        for table in (slack_bots, slack_installations):
            columns = [column for column in table.c if column.name in TOKEN_COLUMNS]
            rows = (await connection.execute(sa.select(table.c.id, *columns))).all()
            for row in rows:
                stored = dict(zip((c.name for c in columns), row[1:], strict=True))
                changed = {
                    name: secrets.reencrypt(value) for name, value in stored.items() if value is not None
                }
                if not changed:
                    continue
                values += len(changed)
                plain += sum(1 for value in stored.values() if value is not None and not is_encrypted(value))
                await connection.execute(sa.update(table).where(table.c.id == row[0]).values(**changed))
    return values, plain
