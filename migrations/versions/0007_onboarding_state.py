"""People: onboarding as what it means (the pending question's name, when they finished), not a position.

Revision ID: 0007_onboarding_state
Revises: 0006_outbox_renders_at_send
Create Date: 2026-12-02

``people.onboarding_step`` was 0 before the questions, N while question N waited and 5 (one more
than the four questions) once done: a position whose meaning shifts as soon as a question is added.
It becomes ``pending_question`` (the question's stable name, NULL when none waits) and
``onboarded_at``. The old column never recorded when someone finished, so a finished person's
``onboarded_at`` is when they started the journey (``started_at``; their row's ``created_at`` if
that is missing): only "finished or not" was ever read. The question names are written out here, as
they were at this revision, rather than imported: a migration must mean the same thing forever.

Downgrade maps back: finished → 5, a pending question → its position then, otherwise 0.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_onboarding_state'
down_revision: str | Sequence[str] | None = '0006_outbox_renders_at_send'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The questions in the order they had at this revision (nudges/onboarding.py), and "done".
QUESTIONS = ('networks', 'topics', 'habits', 'time')
DONE = len(QUESTIONS) + 1


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_question', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('onboarded_at', sa.DateTime(timezone=True), nullable=True))
    people = sa.table(
        'people',
        sa.column('onboarding_step', sa.Integer()),
        sa.column('pending_question', sa.String()),
        sa.column('onboarded_at', sa.DateTime(timezone=True)),
        sa.column('started_at', sa.DateTime(timezone=True)),
        sa.column('created_at', sa.DateTime(timezone=True)),
    )
    op.execute(
        people.update()
        .where(people.c.onboarding_step >= DONE)
        .values(onboarded_at=sa.func.coalesce(people.c.started_at, people.c.created_at))
    )
    op.execute(
        people.update()
        .where(people.c.onboarding_step.between(1, len(QUESTIONS)))
        .values(
            pending_question=sa.case(
                {step: name for step, name in enumerate(QUESTIONS, start=1)}, value=people.c.onboarding_step
            )
        )
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('onboarding_step')


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('onboarding_step', sa.Integer(), server_default='0', nullable=False))
    people = sa.table(
        'people',
        sa.column('onboarding_step', sa.Integer()),
        sa.column('pending_question', sa.String()),
        sa.column('onboarded_at', sa.DateTime(timezone=True)),
    )
    op.execute(people.update().where(people.c.onboarded_at.is_not(None)).values(onboarding_step=DONE))
    op.execute(
        people.update()
        .where(people.c.onboarded_at.is_(None), people.c.pending_question.is_not(None))
        .values(
            onboarding_step=sa.case(
                {name: step for step, name in enumerate(QUESTIONS, start=1)},
                value=people.c.pending_question,
                else_=1,  # a name unknown then: the engine starts such a person at the first question
            )
        )
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('onboarding_step', existing_type=sa.Integer(), server_default=None)
        batch_op.drop_column('onboarded_at')
        batch_op.drop_column('pending_question')
