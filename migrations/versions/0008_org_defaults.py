"""Organisation defaults for the window and the cap: ``people.own_settings`` says which a person chose.

Revision ID: 0008_org_defaults
Revises: 0007_onboarding_state
Create Date: 2026-12-06

Everyone starts owning nothing ("[]"), so an organisation default applies to them until they change a
setting themselves (bot/store/org.py). Downgrading drops the column: the values themselves stay in
the people rows as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_org_defaults'
down_revision: str | Sequence[str] | None = '0007_onboarding_state'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_settings', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('own_settings')
