"""Organisation defaults for the working window and the weekly cap: everyone follows them until they
choose their own, and a person's own choice always wins."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.importers.roster import import_roster
from bot.main.cli import cli
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.org import OrgDefaults, OrgSettingsError, parse_defaults, read_org_defaults, set_org_defaults
from bot.store.store import Store
from nudges.events import PersonRef

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


async def someone(store: Store, user: str) -> int:
    return await store.ensure_person(
        PersonRef("slack", user, email=f"{user.lower()}@example.com"), "D" + user, NOW
    )


async def row(database: Database, person_id: int) -> PersonRow:
    async with database.sessions.begin() as session:
        found = await session.get(PersonRow, person_id)
        assert found is not None
        return found


async def test_defaults_apply_to_everyone_but_what_a_person_chose(database: Database) -> None:
    store = Store(database)
    follows, chooses = await someone(store, "U1"), await someone(store, "U2")
    person, _ = await store.load_all(chooses)
    await store.save(chooses, person.evolve(weekly_cap=1))  # "set cap 1", the time question, the form
    assert (await row(database, chooses)).own_settings == ["cap"]

    defaults = parse_defaults(OrgDefaults(), hours="08:00-16:00", days="mon-thu", cap=3)
    assert await set_org_defaults(database, defaults) == 2
    mine, theirs = await row(database, follows), await row(database, chooses)
    assert (mine.work_start, mine.work_end, mine.work_days, mine.weekly_cap) == (
        "08:00",
        "16:00",
        [0, 1, 2, 3],
        3,
    )
    assert (theirs.work_start, theirs.work_days, theirs.weekly_cap) == (
        "08:00",
        [0, 1, 2, 3],
        1,
    )  # the cap is theirs
    assert mine.next_due_at is None  # planned afresh with the new window
    loaded, _ = await store.load_all(follows)
    assert loaded.schedule.work_start == time(8) and loaded.weekly_cap == 3
    # Saving a turn that changes nothing else does not make the defaults their own.
    await store.save(follows, loaded.evolve(topics=("cloud",)))
    assert (await row(database, follows)).own_settings == []

    # Someone new, met in Slack or imported from the roster, starts with the organisation's defaults.
    newcomer = await row(database, await someone(store, "U3"))
    assert (newcomer.work_start, newcomer.weekly_cap) == ("08:00", 3)
    assert await read_org_defaults(database) == defaults


async def test_roster_people_start_with_the_defaults(database: Database, tmp_path: Path) -> None:
    await set_org_defaults(database, parse_defaults(OrgDefaults(), cap=1, days="sun-thu"))
    roster = tmp_path / "roster.csv"
    header = "email,name,timezone,team,manager_email,roles,slack_user_id,teams_aad_object_id"
    roster.write_text(f"{header}\nana@example.com,Ana,,,,,,\n", encoding="utf-8")
    await import_roster(Store(database), roster)
    async with database.sessions.begin() as session:
        ana = (await session.scalars(select(PersonRow))).one()
    assert (ana.weekly_cap, ana.work_days, ana.work_start) == (1, [0, 1, 2, 3, 6], "09:30")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"hours": "17:00-09:00"}, "start before they end"),
        ({"hours": "nine to five"}, "give a start and an end"),
        ({"cap": 9}, "a number from 1 to 7"),
        ({"days": "weekdays"}, "use day names"),
    ],
)
def test_bad_defaults_are_refused(options: dict, problem: str) -> None:
    with pytest.raises(OrgSettingsError) as raised:
        parse_defaults(OrgDefaults(), **options)
    assert problem in str(raised.value)


def test_org_set_and_show_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> None:
    database = tmp_path / "journeybot.db"
    database.write_bytes(sqlite_template.read_bytes())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "at most 2 (built in)" in runner.invoke(cli, ["org", "show"]).output
    done = runner.invoke(cli, ["org", "set", "--hours", "08:30-16:00", "--cap", "1"])
    assert done.exit_code == 0, done.output
    assert "Applied to 0 people" in done.output
    shown = runner.invoke(cli, ["org", "show"]).output
    assert "working hours: 08:30-16:00" in shown and "at most 1" in shown and "Mon-Fri (built in)" in shown
    refused = runner.invoke(cli, ["org", "set", "--cap", "12"])
    assert refused.exit_code != 0 and "1 to 7" in str(refused.exception)
    assert "at most 1" in runner.invoke(cli, ["org", "show"]).output  # unchanged
