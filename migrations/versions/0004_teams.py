"""Teams: channels subscribed to the manager digest, with the channel's conversation reference.

Revision ID: 0004_teams
Revises: 0003_outbox
Create Date: 2026-11-22

Generated with ``alembic revision --autogenerate``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_teams'
down_revision: str | Sequence[str] | None = '0003_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('teams_digest_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('channel_id', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_teams_digest_channels_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams_digest_channels')),
    sa.UniqueConstraint('tenant_id', 'channel_id', name=op.f('uq_teams_digest_channels_tenant_id_channel_id'))
    )
    with op.batch_alter_table('teams_digest_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_digest_channels_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('teams_digest_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_digest_channels_person_id'))

    op.drop_table('teams_digest_channels')
