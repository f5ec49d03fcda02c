"""The insert trigger of 0021 also finds an offer in a planning summary of the third format.

Revision ID: 0022_summary_v3
Revises: 0021_plan_triggers
Create Date: 2026-12-06

Summaries are now written as JSON objects (``bot/store/summary.py``, version 3: decoded straight into
the engine's dataclasses), so an offer inside one starts ``{"id":"<id>","key":"<key>",`` rather than
``["<id>","<key>",``. The trigger that leaves a summary alone when it already holds the inserted
offer looks for either: summaries of the list format stay in rows until their person is next
planned, and a replica still running the previous release writes them during a rolling upgrade.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022_summary_v3"
down_revision: str | Sequence[str] | None = "0021_plan_triggers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIST_SQLITE = "instr(plan_summary, '[\"' || NEW.id || '\",\"' || NEW.\"key\" || '\",') > 0"
_OBJECT_SQLITE = "instr(plan_summary, '{\"id\":\"' || NEW.id || '\",\"key\":\"' || NEW.\"key\" || '\",') > 0"
_LIST_POSTGRES = "strpos(p.plan_summary, '[\"' || c.id || '\",\"' || c.key || '\",') > 0"
_OBJECT_POSTGRES = "strpos(p.plan_summary, '{\"id\":\"' || c.id || '\",\"key\":\"' || c.key || '\",') > 0"


def _sqlite_trigger(held: str) -> str:
    return (
        "CREATE TRIGGER offers_plan_insert AFTER INSERT ON offers BEGIN "
        "UPDATE people SET plan_summary = NULL WHERE id = NEW.person_id AND plan_summary IS NOT NULL "
        f"AND NOT ({held}); END"
    )


def _postgres_function(held: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION offers_plan_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE people AS p SET plan_summary = NULL FROM changed AS c WHERE p.id = c.person_id "
        f"AND p.plan_summary IS NOT NULL AND NOT ({held}); RETURN NULL; END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER offers_plan_insert")
        op.execute(_sqlite_trigger(f"{_OBJECT_SQLITE} OR {_LIST_SQLITE}"))
    else:
        op.execute(_postgres_function(f"{_OBJECT_POSTGRES} OR {_LIST_POSTGRES}"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER offers_plan_insert")
        op.execute(_sqlite_trigger(_LIST_SQLITE))
    else:
        op.execute(_postgres_function(_LIST_POSTGRES))
