"""The audit trail of role-gated actions (``journeybot audit``).

Revision ID: 0010_audit
Revises: 0009_encrypted_tokens
Create Date: 2026-12-06

Generated with ``alembic revision --autogenerate``, then reviewed (``at`` is ``UTCDateTime`` in the model,
``DateTime(timezone=True)`` here, as in 0001).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010_audit'
down_revision: str | Sequence[str] | None = '0009_encrypted_tokens'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
    op.drop_table('audit_events')
