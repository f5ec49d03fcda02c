"""Planning reads one row per person: ``people.plan_summary``, kept current on write.

Revision ID: 0016_planning_summary
Revises: 0015_inbound_events
Create Date: 2026-12-06

The column holds a person's offers compacted for planning (``bot/store/summary.py``). The planner
writes it; triggers on ``offers`` empty it whenever anything else inserts, deletes or changes an
offer in a way planning reads (not the outbox's delivery columns), and the next tick builds it again
from that person's offers. The upgrade backfills it for everyone with offers, a thousand people per
statement; a downgrade drops the triggers and the column (nothing else depends on them).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0016_planning_summary"
down_revision: str | Sequence[str] | None = "0015_inbound_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The offer columns a summary is made of: a change to any of them empties the person's summary.
_READ = 'person_id, "key", kind, category, company, offered_at, answer, answered_at'

SQLITE_TRIGGERS = (
    "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id = NEW.person_id AND plan_summary IS NOT NULL; END",
    f"CREATE TRIGGER offers_plan_update AFTER UPDATE OF {_READ} ON offers BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id IN (OLD.person_id, NEW.person_id) "
    "AND plan_summary IS NOT NULL; END",
    "CREATE TRIGGER offers_plan_delete AFTER DELETE ON offers BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id = OLD.person_id AND plan_summary IS NOT NULL; END",
)
POSTGRES_TRIGGERS = (
    # Inserts and deletes: once per statement, over the rows it touched (the planner inserts a batch).
    "CREATE FUNCTION offers_plan_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id IN (SELECT person_id FROM changed) "
    "AND plan_summary IS NOT NULL; RETURN NULL; END $$",
    "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers REFERENCING NEW TABLE AS changed "
    "FOR EACH STATEMENT EXECUTE FUNCTION offers_plan_inserted()",
    "CREATE TRIGGER offers_plan_delete AFTER DELETE ON offers REFERENCING OLD TABLE AS changed "
    "FOR EACH STATEMENT EXECUTE FUNCTION offers_plan_inserted()",
    # Updates of the columns planning reads: per row (a column list cannot have transition tables).
    "CREATE FUNCTION offers_plan_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id IN (OLD.person_id, NEW.person_id) "
    "AND plan_summary IS NOT NULL; RETURN NULL; END $$",
    f"CREATE TRIGGER offers_plan_update AFTER UPDATE OF {_READ} ON offers "
    "FOR EACH ROW EXECUTE FUNCTION offers_plan_updated()",
)


def upgrade() -> None:
    op.add_column("people", sa.Column("plan_summary", sa.Text(), nullable=True))
    bind = op.get_bind()
    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)
    from bot.store.backfill import backfill  # the planner's own encoding, so they cannot differ

    backfill(bind, datetime.now(UTC))


def downgrade() -> None:
    for trigger in ("offers_plan_insert", "offers_plan_update", "offers_plan_delete"):
        op.execute(
            f"DROP TRIGGER {trigger}" if op.get_bind().dialect.name == "sqlite" else f"DROP TRIGGER {trigger} ON offers"
        )
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION offers_plan_inserted()")
        op.execute("DROP FUNCTION offers_plan_updated()")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("plan_summary")
