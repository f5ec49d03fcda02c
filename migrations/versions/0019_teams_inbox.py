"""Teams activities taken in: durable deduplication of Teams' retries, now that turns run after the ack.

Revision ID: 0019_teams_inbox
Revises: 0018_awaiting
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_teams_inbox"
down_revision: str | Sequence[str] | None = "0018_awaiting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_seen_activities",
        sa.Column("activity_key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("activity_key", name=op.f("pk_teams_seen_activities")),
    )
    op.create_index(
        op.f("ix_teams_seen_activities_seen_at"), "teams_seen_activities", ["seen_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_teams_seen_activities_seen_at"), table_name="teams_seen_activities")
    op.drop_table("teams_seen_activities")
