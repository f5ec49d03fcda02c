"""Suggested shares that reach the right people: summary, teams, start, variants, follow, withdrawal;
the shares and link clicks the report counts.

Revision ID: 0011_content_marketing
Revises: 0010_audit
Create Date: 2026-12-06

Generated with ``alembic revision --autogenerate``, then reviewed: the new NOT NULL columns get a
server default so existing items stay valid (no summary, every team, no variants, nothing to follow).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011_content_marketing'
down_revision: str | Sequence[str] | None = '0010_audit'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('content_clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('network', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_content_clicks_offer_id_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_clicks'))
    )
    with op.batch_alter_table('content_clicks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_clicks_item_id_at'), ['item_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_clicks_offer_id'), ['offer_id'], unique=False)

    op.create_table('content_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.String(), nullable=False),
    sa.Column('item_id', sa.String(), nullable=False),
    sa.Column('network', sa.String(), nullable=True),
    sa.Column('with_own_line', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_content_shares_offer_id_offers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_shares'))
    )
    with op.batch_alter_table('content_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_shares_item_id_at'), ['item_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_shares_offer_id'), ['offer_id'], unique=False)

    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=False, server_default=sa.text("''")))
        batch_op.add_column(sa.Column('teams', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('variants', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('follow', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('content_items', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('follow')
        batch_op.drop_column('variants')
        batch_op.drop_column('starts_at')
        batch_op.drop_column('teams')
        batch_op.drop_column('summary')

    with op.batch_alter_table('content_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_shares_offer_id'))
        batch_op.drop_index(batch_op.f('ix_content_shares_item_id_at'))

    op.drop_table('content_shares')
    with op.batch_alter_table('content_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_clicks_offer_id'))
        batch_op.drop_index(batch_op.f('ix_content_clicks_item_id_at'))

    op.drop_table('content_clicks')
