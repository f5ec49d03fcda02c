"""The report counts offers, shares by network and clicks, by team and zone, never people; counts of
one or two are "a few". On SQLite and PostgreSQL, and through ``journeybot content report``."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from bot.content.report import content_report, report_message
from bot.main.cli import cli
from bot.store.database import Database
from bot.store.models import ContentClickRow, PersonRow
from bot.store.store import Store
from nudges.dialogue import Share
from nudges.events import PersonRef
from nudges.library import Category, ContentItem
from nudges.person import Offer
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
ITEM = ContentItem("launch", "Our launch", "https://example.com/launch", (), {"x": "Launched!"})
OTHER = ContentItem("other", "Another one", "https://example.com/other", (), {"x": "Another!"})


async def seed(database: Database) -> None:
    """Five Platform people (Sharers) and one Sales person (a Creator) are offered the launch; three
    Platform people share it (two on X, one on LinkedIn), one clicks twice; Sales shares once."""
    store = Store(database)
    await store.upsert_content([ITEM, OTHER])
    for n in range(6):
        email = f"p{n}@example.com"
        person_id = await store.ensure_person(
            PersonRef("console", email, email=email, name=f"P{n}"), None, NOW
        )
        person, _ = await store.load_all(person_id)
        person = person.evolve(zone=Zone.CREATOR if n == 5 else Zone.SHARER)
        offer = Offer(f"offer{n}", "content:launch", "share", Category.SHARE, NOW - timedelta(days=n))
        await store.save(person_id, person, offers=[offer])
        team = "Sales" if n == 5 else "Platform"
        async with database.sessions.begin() as session:
            await session.execute(update(PersonRow).where(PersonRow.id == person_id).values(team=team))
        if n in (0, 1, 2, 5):
            network = {0: "x", 1: "x", 2: "linkedin", 5: "x"}[n]
            await store.save(
                person_id, person, answers=[], shares=[Share(f"offer{n}", "launch", network)], now=NOW
            )
    async with database.sessions.begin() as session:
        session.add_all(
            ContentClickRow(offer_id="offer0", item_id="launch", network="x", at=NOW) for _ in range(2)
        )


async def test_counts_by_network_team_and_zone_with_a_few(database: Database) -> None:
    await seed(database)
    launch, other = await content_report(database, None, None)
    assert (launch.id, other.id) == ("launch", "other")
    report = launch.as_json()
    assert (report["offered"], report["shared"], report["clicks"]) == (6, 4, "a few")
    assert report["shared_by_network"] == {"linkedin": "a few", "x": 3}
    assert report["clicks_by_network"] == {"x": "a few"}
    assert report["by_team"] == {
        "Platform": {"offered": 5, "shared": 3, "clicks": "a few"},
        "Sales": {"offered": "a few", "shared": "a few", "clicks": 0},
    }
    assert report["by_zone"] == {
        "Content Sharer": {"offered": 5, "shared": 3, "clicks": "a few"},
        "Content Creator": {"offered": "a few", "shared": "a few", "clicks": 0},
    }
    assert "p0" not in json.dumps(report) and "@" not in json.dumps(report)  # counts, never people
    assert other.as_json()["offered"] == 0

    (recent,) = await content_report(database, "launch", NOW - timedelta(days=2, hours=1))
    assert recent.total.offered == 3  # offers of the last two days (and the shares and clicks since)
    assert "a few" in str(report_message([launch], None).blocks)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    database = tmp_path / "journeybot.db"
    shutil.copyfile(sqlite_template, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    return database


def test_the_command_line_report_expire_and_withdraw(env: Path) -> None:
    async def prepare() -> None:
        database = Database(f"sqlite:///{env}")
        await seed(database)
        await database.dispose()

    asyncio.run(prepare())
    runner = CliRunner()
    result = runner.invoke(cli, ["content", "report", "launch", "--json"])
    assert result.exit_code == 0, result.output
    (launch,) = json.loads(result.output)
    assert (launch["id"], launch["shared"], launch["clicks"]) == ("launch", 4, "a few")
    text = runner.invoke(cli, ["content", "report"]).output
    assert "launch  Our launch" in text and "team Platform: offered 5, shared 3, clicks a few" in text
    assert runner.invoke(cli, ["content", "report", "nope"]).exit_code != 0

    expired = runner.invoke(cli, ["content", "expire", "launch"])
    assert expired.exit_code == 0 and "launch expired" in expired.output
    withdrawn = runner.invoke(cli, ["content", "withdraw", "other"])
    assert withdrawn.exit_code == 0 and "other withdrawn" in withdrawn.output
    listed = runner.invoke(cli, ["content", "list"]).output
    assert "not live" in listed and "withdrawn" in listed
    assert runner.invoke(cli, ["content", "expire", "nope"]).exit_code != 0
