"""PostgreSQL compresses planning summaries with lz4 rather than its default pglz.

Revision ID: 0023_summary_lz4
Revises: 0022_summary_v3
Create Date: 2026-12-06

With a year of history a summary is a few kilobytes of JSON, so the server compresses it on every
write (each person the planner nudges) and decompresses it on every read (everyone due, each tick).
With pglz that was about a sixth of the server's CPU in a tick over 100,000 people (bench/RESULTS.md,
section 1d); lz4 does the same work several times faster, and the rows come out as small. Values
already stored stay as they are (both methods read back); each is rewritten in lz4 when its person
is next nudged. A server built without lz4 keeps pglz (the notice says so), as does SQLite, which
does not compress.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023_summary_lz4"
down_revision: str | Sequence[str] | None = "0022_summary_v3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _compression(method: str) -> str:
    # EXECUTE: a server too old for the clause (before 14) fails at run time, inside the handler.
    return (
        "DO $$ BEGIN "
        f"EXECUTE 'ALTER TABLE people ALTER COLUMN plan_summary SET COMPRESSION {method}'; "
        "EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN "
        "RAISE NOTICE 'people.plan_summary keeps the default compression: %', SQLERRM; "
        "END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_compression("lz4"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_compression("pglz"))
