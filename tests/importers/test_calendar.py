"""The organisation's holiday calendar: .ics and YAML in, all or nothing, and no nudges on those days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.importers.calendar import CalendarError, import_calendar, parse_calendar
from bot.main.cli import cli
from bot.store.database import Database
from bot.store.store import Store
from tests.delivery.fakes import add_person
from tests.scheduling.test_tick import MONDAY, local, travel

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example Corp//Holidays//EN
BEGIN:VEVENT
UID:xmas@example.org
SUMMARY:Christmas break
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261227
END:VEVENT
BEGIN:VEVENT
UID:nyd@example.org
SUMMARY:New Year's Day
DTSTART;VALUE=DATE:20270101
END:VEVENT
BEGIN:VEVENT
UID:offsite@example.org
SUMMARY:Company offsite
DTSTART;TZID=Europe/Berlin:20261126T090000
DTEND;TZID=Europe/Berlin:20261127T120000
END:VEVENT
END:VCALENDAR
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_ics_file_gives_every_day_of_its_events(tmp_path: Path) -> None:
    days = parse_calendar(write(tmp_path, "holidays.ics", ICS))
    assert days == [
        date(2026, 11, 26),
        date(2026, 11, 27),  # a timed event that ends at noon covers that day too
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),  # DTEND is exclusive: the 27th is a working day again
        date(2027, 1, 1),  # no DTEND: its start day
    ]


def test_a_yaml_list_of_dates_names_and_ranges(tmp_path: Path) -> None:
    text = """holidays:
  - 2026-12-24
  - {date: 2027-01-01, name: New Year's Day}
  - {from: 2026-12-30, to: 2026-12-31, name: Year-end}
"""
    days = parse_calendar(write(tmp_path, "holidays.yaml", text))
    assert days == [date(2026, 12, 24), date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("h.yaml", "- 2026-12-24\n- 24.12.2026\n", "h.yaml item 2: '24.12.2026' is not a date"),
        (
            "h.yaml",
            "- {from: 2026-12-31, to: 2026-12-24, name: Oops}\n",
            "item 1 ('Oops'): ends (2026-12-24)",
        ),
        ("h.yaml", "- {date: 2026-12-24, when: morning}\n", "item 1: unknown field(s) when"),
        ("h.yaml", "- {name: Christmas}\n", "item 1 ('Christmas'): needs 'date', or 'from' and 'to'"),
        ("h.yaml", "holidays: 2026-12-24\n", "expected a list of dates"),
        ("h.yaml", "- [unclosed\n", "not valid YAML at line"),
        ("h.yaml", "[]\n", "no days in it"),
        (
            "h.ics",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Lost\nEND:VEVENT\nEND:VCALENDAR\n",
            "event 1 ('Lost'): no DTSTART",
        ),
        ("h.ics", "this is not a calendar", "not a valid iCalendar file"),
        ("h.csv", "2026-12-24\n", "expected an .ics file or a YAML"),
    ],
)
def test_a_bad_file_is_refused_with_where_and_why(tmp_path: Path, name: str, text: str, problem: str) -> None:
    with pytest.raises(CalendarError) as raised:
        parse_calendar(write(tmp_path, name, text))
    assert problem in str(raised.value)


async def test_an_import_replaces_the_calendar_and_a_bad_one_changes_nothing(
    database: Database, tmp_path: Path
) -> None:
    store = Store(database)
    await import_calendar(store, write(tmp_path, "a.yaml", "- 2026-12-24\n- 2026-12-25\n"))
    await import_calendar(store, write(tmp_path, "b.yaml", "- 2027-01-01\n"))
    assert await store.holidays() == {date(2027, 1, 1)}
    with pytest.raises(CalendarError):
        await import_calendar(store, write(tmp_path, "c.yaml", "- 2027-01-06\n- not a day\n"))
    assert await store.holidays() == {date(2027, 1, 1)}


async def test_no_proactive_nudge_on_a_holiday_and_the_next_day_goes_on(database: Database) -> None:
    await add_person(database, "ana@example.com", weekly_cap=5)
    # Tuesday and Wednesday of the first week are holidays (on Ana's own calendar, Europe/Berlin).
    await Store(database).set_holidays([date(2026, 11, 24), date(2026, 11, 25)])
    _, sender = await travel(database, MONDAY, days=5)
    days = sorted({local(d, "Europe/Berlin").date() for d in sender.sent})
    assert days == [date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 27)]


def test_the_command_imports_and_shows_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path
) -> None:
    database = tmp_path / "journeybot.db"
    database.write_bytes(sqlite_template.read_bytes())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    imported = runner.invoke(cli, ["calendar", "import", str(write(tmp_path, "h.ics", ICS))])
    assert imported.exit_code == 0, imported.output
    assert "6 day(s), 2026-11-26 to 2027-01-01" in imported.output
    shown = runner.invoke(cli, ["calendar", "show"])
    assert "2026-12-24  Thursday" in shown.output
    refused = runner.invoke(cli, ["calendar", "import", str(write(tmp_path, "bad.yaml", "- soon\n"))])
    assert refused.exit_code != 0 and "bad.yaml item 1" in str(refused.exception)
    assert "2026-12-24" in runner.invoke(cli, ["calendar", "show"]).output  # unchanged
