"""Activities indexed by person, instant and kind, in place of person and instant: a tick reads
the recent activities of everyone it plans for (a follow-up is skipped when its step was since
logged), and only their kinds, so with the kind in the index the read never visits the table. With
a year of history that was a few hundred thousand lookups into millions of activities per tick.

Built before the old index is dropped, so readers always have one. On PostgreSQL the build blocks
writes to activities meanwhile (seconds for millions); the migration runs before the bot starts
(``journeybot db upgrade``).

Revision ID: 0025_activity_kind_index
Revises: 0024_share_offer_key
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0025_activity_kind_index"
down_revision: str | Sequence[str] | None = "0024_share_offer_key"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_activities_person_id_at_kind", "activities", ["person_id", "at", "kind"])
    op.drop_index("ix_activities_person_id_at", table_name="activities")


def downgrade() -> None:
    op.create_index("ix_activities_person_id_at", "activities", ["person_id", "at"])
    op.drop_index("ix_activities_person_id_at_kind", table_name="activities")
