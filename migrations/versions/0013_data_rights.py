"""People: when someone left the organisation (a full roster import no longer lists them).

Revision ID: 0013_data_rights
Revises: 0011_content_marketing
Create Date: 2026-12-06

``people.left_at`` is set by ``journeybot roster import FILE --full`` for everyone the file does not
list: from then on nobody plans or sends them anything, and the scheduler erases them once
``RETENTION_DAYS`` have passed (``bot/store/privacy.py``). A later roster that lists them again
clears it. NULL for everyone at this revision: nobody has left yet.

It also removes orphans: rows whose person (or offer) no longer exists. Up to this revision
PRIVACY.md suggested deleting a person with a raw ``DELETE FROM people …``; run in the ``sqlite3``
shell, where foreign keys are off unless asked for, that left their identities, activities, offers
and deliveries behind, and SQLite hands a deleted person's id to the next new person, who then
inherited them. The bot's own connections have always had foreign keys on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_data_rights'
down_revision: str | Sequence[str] | None = '0012_digests'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Tables whose rows belong to a person, and those whose rows belong to an offer, at this revision.
# (The per-platform digest channel tables went into digest_subscriptions in 0012, whose
# subscribed_by is SET NULL on delete: a subscription is the team's, not the manager's.)
PERSON_TABLES = ('identities', 'activities', 'offers', 'deliveries')
OFFER_TABLES = ('content_shares', 'content_clicks')


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_people_left_at'), ['left_at'], unique=False)
    for table in PERSON_TABLES:
        op.execute(f'DELETE FROM {table} WHERE person_id NOT IN (SELECT id FROM people)')
    for table in OFFER_TABLES:
        op.execute(f'DELETE FROM {table} WHERE offer_id NOT IN (SELECT id FROM offers)')


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_left_at'))
        batch_op.drop_column('left_at')
