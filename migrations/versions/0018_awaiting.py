"""People: what the bot's last question waits for, so a typed "yes" answers it like its button.

Revision ID: 0018_awaiting
Revises: 0016_planning_summary
Create Date: 2026-12-06

``people.awaiting`` is "note:<kind>|<words>" after "shall I note it?", "pause" after "a break, or
stop?", and NULL otherwise (nudges/person.py). Existing people wait for nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018_awaiting'
down_revision: str | Sequence[str] | None = '0016_planning_summary'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not batch mode: batch mode would rebuild ``people`` on SQLite, which the
# planning-summary triggers on ``offers`` (0016) name, and SQLite refuses that rename. Adding a
# nullable column and dropping it are native on both databases (SQLite 3.35 or newer).
def upgrade() -> None:
    op.add_column('people', sa.Column('awaiting', sa.String(length=400), nullable=True))


def downgrade() -> None:
    op.drop_column('people', 'awaiting')
