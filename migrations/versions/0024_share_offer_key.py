"""An index on the offers of suggested shares by key (partial: ``category = 'share'``), so that
ending an item (updating its sent cards), bringing one back (``Store.upsert_content``) and a report on
one item find its offers without reading every offer: with a year of history, 10 million offers
took 1.2–4.3 s to scan on PostgreSQL for one item.

On PostgreSQL the build reads the offers once and blocks writes to them meanwhile (seconds for
millions of offers); the migration runs before the bot starts (``journeybot db upgrade``).

Revision ID: 0024_share_offer_key
Revises: 0023_summary_lz4
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_share_offer_key"
down_revision: str | Sequence[str] | None = "0023_summary_lz4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As ``bot.store.models.SHARE_OFFERS`` (a migration keeps its own copy: it must not change with the code).
SHARE_OFFERS = "category = 'share'"


def upgrade() -> None:
    op.create_index(
        "ix_offers_share_key",
        "offers",
        ["key"],
        unique=False,
        postgresql_where=sa.text(SHARE_OFFERS),
        sqlite_where=sa.text(SHARE_OFFERS),
    )


def downgrade() -> None:
    op.drop_index("ix_offers_share_key", table_name="offers")
