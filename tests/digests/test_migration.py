"""0012 moves Slack's and Teams' digest channels into the one neutral subscription table, data included."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from bot.store import migrate
from bot.store.urls import sync_url
from tests.conftest import BACKENDS, scratch_postgres_database


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with scratch_postgres_database(f"journeybot_digest_migration_{os.getpid()}") as url:
            yield url


async def test_0012_moves_both_platforms_digest_channels_and_back(empty_url: str) -> None:
    config = migrate.alembic_config(empty_url)
    command.upgrade(config, "0011_content_marketing")
    engine = create_engine(sync_url(empty_url))
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO people (email, name, timezone, timezone_explicit, team, roles, zone, networks, "
                    "topics, work_days, work_start, work_end, weekly_cap, own_settings, retired_kinds, opted_out, "
                    "milestones, created_at, updated_at) VALUES ('mo@example.com', 'Mo', 'Europe/Berlin', true, "
                    "'Sales', '[\"manager\"]', 1, '[]', '[]', '[]', '09:30', '16:30', 2, '[]', '[]', false, '[]', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO slack_digest_channels (team_id, channel_id, person_id, created_at) "
                    "VALUES ('T1', 'C0TEAM', 1, '2026-01-02 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO teams_digest_channels (tenant_id, channel_id, reference, person_id, created_at) "
                    "VALUES ('t1', '19:abc@thread.tacv2', '{\"ref\": 1}', 1, '2026-01-03 00:00:00')"
                )
            )
        command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT team, platform, tenant, channel, address, subscribed_by, weekday, at, timezone "
                    "FROM digest_subscriptions ORDER BY id"
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            ("Sales", "slack", "T1", "C0TEAM", "T1:C0TEAM", 1, 0, "09:30", "Europe/Berlin"),
            ("Sales", "teams", "t1", "19:abc@thread.tacv2", '{"ref": 1}', 1, 0, "09:30", "Europe/Berlin"),
        ]
        command.downgrade(config, "0011_content_marketing")
        with engine.connect() as connection:
            assert connection.execute(
                text("SELECT team_id, channel_id FROM slack_digest_channels")
            ).all() == [("T1", "C0TEAM")]
            assert connection.execute(text("SELECT reference FROM teams_digest_channels")).all() == [
                ('{"ref": 1}',)
            ]
    finally:
        engine.dispose()
