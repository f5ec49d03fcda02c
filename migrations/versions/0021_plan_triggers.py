"""An inserted offer leaves a person's planning summary alone when the summary already holds it.

Revision ID: 0021_plan_triggers
Revises: 0020_inbox_heads
Create Date: 2026-12-06

The planner writes each nudged person's summary with the new offer in it, then inserts the offer.
Under 0016's triggers that insert emptied the summary it had just written and the planner wrote it
again: three rewrites of the person's row (with a year of history, a row of a few kilobytes) where
one does. Now the insert trigger empties a summary only if it lacks the offer: the summary's text
holds each offer as a JSON list that starts with its id and key (``bot/store/summary.py``), and ids
are unique, so an offer found there is one the summary was written with. Anything else inserted
(a turn's offer, an operator's) still empties it; updates and deletes are unchanged.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021_plan_triggers"
down_revision: str | Sequence[str] | None = "0020_inbox_heads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# How an offer starts inside a summary's text: ["<id>","<key>", (ids and keys are plain ASCII; one
# that JSON would escape is simply not found, and the summary is emptied as before).
_HELD_SQLITE = "instr(plan_summary, '[\"' || NEW.id || '\",\"' || NEW.\"key\" || '\",') > 0"
_HELD_POSTGRES = "strpos(p.plan_summary, '[\"' || c.id || '\",\"' || c.key || '\",') > 0"

_SQLITE_BEFORE = (
    "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id = NEW.person_id AND plan_summary IS NOT NULL; END"
)
_SQLITE_AFTER = (
    "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers BEGIN "
    "UPDATE people SET plan_summary = NULL WHERE id = NEW.person_id AND plan_summary IS NOT NULL "
    f"AND NOT {_HELD_SQLITE}; END"
)
_POSTGRES_FUNCTION = (
    "CREATE FUNCTION offers_plan_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE people AS p SET plan_summary = NULL FROM changed AS c WHERE p.id = c.person_id "
    f"AND p.plan_summary IS NOT NULL AND NOT {_HELD_POSTGRES}; RETURN NULL; END $$"
)


def _postgres_insert_trigger(function: str) -> str:
    return (
        "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER offers_plan_insert")
        op.execute(_SQLITE_AFTER)
        return
    op.execute(_POSTGRES_FUNCTION)
    op.execute("DROP TRIGGER offers_plan_insert ON offers")
    op.execute(_postgres_insert_trigger("offers_plan_added"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER offers_plan_insert")
        op.execute(_SQLITE_BEFORE)
        return
    op.execute("DROP TRIGGER offers_plan_insert ON offers")
    op.execute(_postgres_insert_trigger("offers_plan_inserted"))  # 0016's, still used for deletes
    op.execute("DROP FUNCTION offers_plan_added()")
