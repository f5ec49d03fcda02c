"""The inbox's table: acknowledged inbound events waiting for their turn beyond what memory holds.

Revision ID: 0015_inbound_events
Revises: 0011_content_marketing
Create Date: 2026-12-06

Generated with ``alembic revision --autogenerate``. Empty when created; a downgrade drops events
still waiting in it, so downgrade a server that has drained (``bot/conversation/inbox.py``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_inbound_events"
down_revision: str | Sequence[str] | None = "0017_creators"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_events")),
    )


def downgrade() -> None:
    op.drop_table("inbound_events")
