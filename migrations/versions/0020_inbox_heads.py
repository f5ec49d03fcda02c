"""The inbox's head events: an index on (key, id), so a turn process finds the oldest event of each
person quickly when it claims only heads (turns in processes of their own, TURNS=worker).

Revision ID: 0020_inbox_heads
Revises: 0019_teams_inbox
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020_inbox_heads"
down_revision: str | Sequence[str] | None = "0019_teams_inbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_inbound_events_key_id", "inbound_events", ["key", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inbound_events_key_id", table_name="inbound_events")
