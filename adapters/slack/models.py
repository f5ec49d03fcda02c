"""Slack's tables: seen event ids and the OAuth installation and state stores.

The last three replicate, column for column, the tables that slack_sdk's SQLAlchemy stores
(``AsyncSQLAlchemyInstallationStore``, ``AsyncSQLAlchemyOAuthStateStore``) define for themselves, so
those stores run on our database while Alembic, not ``create_tables()``, owns the schema. A test in
``tests/slack`` compares them with slack_sdk's own definitions; the SDK is not imported here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, metadata, utcnow


class SlackSeenEventRow(Base):
    """One Events API ``event_id`` already taken in: the primary key makes a retry a no-op on every replica."""

    __tablename__ = "slack_seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# Credentials: stored encrypted (adapters/slack/installations.py), hence Text where slack_sdk has
# String(200): a Fernet token is about twice as long as what it encrypts.
TOKEN_COLUMNS = frozenset(
    {"bot_token", "bot_refresh_token", "user_token", "user_refresh_token", "incoming_webhook_url"}
)


def _bot_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("bot_token", sa.Text),
        sa.Column("bot_id", String(32)),
        sa.Column("bot_user_id", String(32)),
        sa.Column("bot_scopes", String(1000)),
        sa.Column("bot_refresh_token", sa.Text),
        sa.Column("bot_token_expires_at", sa.DateTime),
    ]


slack_installations = sa.Table(
    "slack_installations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", String(32), nullable=False),
    sa.Column("app_id", String(32), nullable=False),
    sa.Column("enterprise_id", String(32)),
    sa.Column("enterprise_name", String(200)),
    sa.Column("enterprise_url", String(200)),
    sa.Column("team_id", String(32)),
    sa.Column("team_name", String(200)),
    *_bot_columns(),
    sa.Column("user_id", String(32), nullable=False),
    sa.Column("user_token", sa.Text),
    sa.Column("user_scopes", String(1000)),
    sa.Column("user_refresh_token", sa.Text),
    sa.Column("user_token_expires_at", sa.DateTime),
    sa.Column("incoming_webhook_url", sa.Text),
    sa.Column("incoming_webhook_channel", String(200)),
    sa.Column("incoming_webhook_channel_id", String(200)),
    sa.Column("incoming_webhook_configuration_url", String(200)),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("token_type", String(32)),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index("slack_installations_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = sa.Table(
    "slack_bots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", String(32), nullable=False),
    sa.Column("app_id", String(32), nullable=False),
    sa.Column("enterprise_id", String(32)),
    sa.Column("enterprise_name", String(200)),
    sa.Column("team_id", String(32)),
    sa.Column("team_name", String(200)),
    *_bot_columns(),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = sa.Table(
    "slack_oauth_states",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("state", String(200), nullable=False),
    sa.Column("expire_at", sa.DateTime, nullable=False),
)
