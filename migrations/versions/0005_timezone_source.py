"""People: whether their time zone was chosen (roster, their own settings) or is a platform's guess.

Revision ID: 0005_timezone_source
Revises: 0004_teams
Create Date: 2026-12-01

Generated with ``alembic revision --autogenerate``, then reviewed: the column gets a server default
so existing rows can take the NOT NULL column, and existing rows are classified the way the bot
behaved before: any time zone other than UTC was never replaced by a platform's guess, so it counts
as chosen; UTC was replaced, so it does not.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_timezone_source'
down_revision: str | Sequence[str] | None = '0004_teams'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('timezone_explicit', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    people = sa.table('people', sa.column('timezone', sa.String()), sa.column('timezone_explicit', sa.Boolean()))
    op.execute(
        people.update()
        .where(people.c.timezone.not_in(('UTC', '')))
        .values(timezone_explicit=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('timezone_explicit')
