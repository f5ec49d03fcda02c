"""The outbox renders a message when it sends it: ``deliveries.message`` becomes optional.

Revision ID: 0006_outbox_renders_at_send
Revises: 0005_timezone_source
Create Date: 2026-12-01

Generated with ``alembic revision --autogenerate``, then reviewed. Rows already in the outbox keep
their rendered message and are sent as they are; new rows carry none (the delivery worker renders
the offer). The older code cannot render, so downgrading cancels the rows that have no message
yet (and gives them an empty one, for the NOT NULL): downgrade an outbox that has drained.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_outbox_renders_at_send'
down_revision: str | Sequence[str] | None = '0005_timezone_source'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('message', existing_type=sa.JSON(), nullable=True)


def downgrade() -> None:
    op.execute(
        "UPDATE deliveries SET status = 'cancelled', last_error = 'cancelled by a database downgrade' "
        "WHERE message IS NULL AND status IN ('pending', 'failed', 'claimed')"
    )
    op.execute("""UPDATE deliveries SET message = '{"blocks": [], "fallback": ""}' WHERE message IS NULL""")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('message', existing_type=sa.JSON(), nullable=False)
