"""Digests: one neutral table of team channels subscribed to a team's weekly digest (Slack's and
Teams' own digest-channel tables move into it, data included); people may opt into public
celebration; an outbox row may carry a digest to a channel (no person).

Revision ID: 0012_digests
Revises: 0011_content_marketing
Create Date: 2026-12-06

A moved subscription's team is its subscriber's roster team, its time zone theirs, its slot the
default (Mondays at 09:30). A Slack address is ``team:channel`` as the Slack sender reads it; a
Teams address is the channel's stored conversation reference.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012_digests'
down_revision: str | Sequence[str] | None = '0011_content_marketing'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('digest_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(), nullable=False),
    sa.Column('platform', sa.String(), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('subscribed_by', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(), nullable=False),
    sa.Column('timezone', sa.String(), nullable=False),
    sa.Column('planned_for', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subscribed_by'], ['people.id'], name=op.f('fk_digest_subscriptions_subscribed_by_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_subscriptions')),
    sa.UniqueConstraint('platform', 'tenant', 'channel', name=op.f('uq_digest_subscriptions_platform_tenant_channel'))
    )
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_subscriptions_subscribed_by'), ['subscribed_by'], unique=False)

    # The data of the two per-platform tables, then the tables themselves.
    op.execute(
        "INSERT INTO digest_subscriptions (team, platform, tenant, channel, address, subscribed_by, weekday, at, timezone, created_at) "
        "SELECT COALESCE(p.team, ''), 'slack', d.team_id, d.channel_id, "
        "CASE WHEN d.team_id = '' THEN d.channel_id ELSE d.team_id || ':' || d.channel_id END, "
        "d.person_id, 0, '09:30', p.timezone, d.created_at "
        "FROM slack_digest_channels d JOIN people p ON p.id = d.person_id"
    )
    op.execute(
        "INSERT INTO digest_subscriptions (team, platform, tenant, channel, address, subscribed_by, weekday, at, timezone, created_at) "
        "SELECT COALESCE(p.team, ''), 'teams', d.tenant_id, d.channel_id, d.reference, "
        "d.person_id, 0, '09:30', p.timezone, d.created_at "
        "FROM teams_digest_channels d JOIN people p ON p.id = d.person_id"
    )
    with op.batch_alter_table('slack_digest_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slack_digest_channels_person_id'))
    op.drop_table('slack_digest_channels')
    with op.batch_alter_table('teams_digest_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_digest_channels_person_id'))
    op.drop_table('teams_digest_channels')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('celebrate_publicly', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE person_id IS NULL")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('celebrate_publicly')

    op.create_table('teams_digest_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('channel_id', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_teams_digest_channels_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams_digest_channels')),
    sa.UniqueConstraint('tenant_id', 'channel_id', name=op.f('uq_teams_digest_channels_tenant_id_channel_id'))
    )
    with op.batch_alter_table('teams_digest_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_digest_channels_person_id'), ['person_id'], unique=False)
    op.create_table('slack_digest_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_slack_digest_channels_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slack_digest_channels')),
    sa.UniqueConstraint('team_id', 'channel_id', name=op.f('uq_slack_digest_channels_team_id_channel_id'))
    )
    with op.batch_alter_table('slack_digest_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slack_digest_channels_person_id'), ['person_id'], unique=False)
    # Only subscriptions someone made in chat have a person to keep them under.
    op.execute(
        "INSERT INTO slack_digest_channels (team_id, channel_id, person_id, created_at) "
        "SELECT tenant, channel, subscribed_by, created_at FROM digest_subscriptions "
        "WHERE platform = 'slack' AND subscribed_by IS NOT NULL"
    )
    op.execute(
        "INSERT INTO teams_digest_channels (tenant_id, channel_id, reference, person_id, created_at) "
        "SELECT tenant, channel, address, subscribed_by, created_at FROM digest_subscriptions "
        "WHERE platform = 'teams' AND subscribed_by IS NOT NULL"
    )
    with op.batch_alter_table('digest_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_subscriptions_subscribed_by'))
    op.drop_table('digest_subscriptions')
