"""People: the phrasings each person saw last, so the bot's replies do not repeat themselves.

Revision ID: 0014_talk
Revises: 0011_content_marketing
Create Date: 2026-12-06

``people.recent_lines`` holds the keys of the last few phrasings a person was shown (e.g.
"fallback.2", "ack.5"; see nudges/phrases.py), newest last. Existing people start with none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014_talk'
down_revision: str | Sequence[str] | None = '0013_data_rights'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recent_lines', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('recent_lines')
