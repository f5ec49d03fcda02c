"""Slack credentials are stored encrypted: their columns become ``Text`` (a Fernet token is longer).

Revision ID: 0009_encrypted_tokens
Revises: 0008_org_defaults
Create Date: 2026-12-06

Schema only. Rows already stored in plain text stay readable as they are, and ``journeybot secrets
rotate`` encrypts them: encrypting needs ``JOURNEYBOT_SECRET_KEY``, and a migration must not depend on
a runtime secret (``db upgrade`` runs in deployment pipelines that have no business holding it, and
SQLite is migrated at every start, key or not). Downgrading needs plain values back in 200
characters: run it only on a database whose tokens are plain (none stored, or insecure dev).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_encrypted_tokens'
down_revision: str | Sequence[str] | None = '0008_org_defaults'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    'slack_bots': ('bot_token', 'bot_refresh_token'),
    'slack_installations': (
        'bot_token', 'bot_refresh_token', 'user_token', 'user_refresh_token', 'incoming_webhook_url'
    ),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=200), type_=sa.Text())


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=200))
