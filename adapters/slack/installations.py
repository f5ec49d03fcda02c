"""Which installation's bot token reaches a person, from what their identity keeps: a team id, or none.

Bolt's installation store finds a bot by enterprise id *and* team id, but an identity knows only the
team (``identities.tenant``), so the installation is looked up by what that allows:

- a workspace-level install by its team, inside an Enterprise Grid org too (its enterprise id is set
  there, and unknown to the identity);
- an org-wide install (Enterprise Grid, ``is_enterprise_install``: no team of its own) for a team
  without an install of its own, when it is the only org-wide install (the only one that can hold it);
- for someone the roster linked by Slack user id alone (no team), the only installation, if there is
  exactly one. With several, nobody can tell which workspace they are in.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.models import slack_bots


class SlackInstallations:
    def __init__(self, client_id: str, engine: AsyncEngine) -> None:
        self.client_id = client_id
        self.engine = engine
        self.store = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)

    async def bot_for(self, team: str) -> Bot | None:
        """The bot serving workspace ``team`` ("" when the identity has none), or None."""
        c = slack_bots.c
        installed = sa.select(c.enterprise_id, c.team_id, c.is_enterprise_install).where(
            c.client_id == self.client_id, c.bot_token.is_not(None)
        )
        async with self.engine.connect() as connection:
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
        async with self.engine.connect() as connection:
            return {str(team) for team in (await connection.execute(query.distinct())).scalars()}

    async def count(self) -> int:
        c = slack_bots.c
        installed = (
            sa.select(c.enterprise_id, c.team_id)
            .where(c.client_id == self.client_id, c.bot_token.is_not(None))
            .distinct()
            .subquery()
        )
        async with self.engine.connect() as connection:
            return int((await connection.scalar(sa.select(sa.func.count()).select_from(installed))) or 0)


async def _only(connection: Any, query: sa.Select[Any]) -> sa.Row[Any] | None:
    """The one installation ``query`` finds (reinstalls of it count once), or None for none or several."""
    rows = (await connection.execute(query.distinct().limit(2))).all()
    return rows[0] if len(rows) == 1 else None
