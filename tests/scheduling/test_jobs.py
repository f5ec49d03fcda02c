"""The scheduler in the process, and the command line around ticks and the outbox."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, update
from typer.testing import CliRunner

import bot.scheduling.jobs
from bot.delivery.models import DeliveryRow
from bot.main.cli import cli
from bot.scheduling.jobs import JOB_ID, scheduled_tick, start_scheduler
from bot.store.database import Database
from tests.delivery.fakes import FakeClock, RecordingSender, add_person, make_app

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_one_interval_job_per_process_and_no_job_per_person(database: Database):
    for n in range(3):
        await add_person(database, f"p{n}@example.com")
    app = await make_app(database, FakeClock(AT))
    app.settings.tick_seconds = 45

    scheduler = start_scheduler(app.tick_job(), paused=True)
    try:
        [job] = scheduler.get_jobs()
        assert job.id == JOB_ID and job.trigger.interval == timedelta(seconds=45)
        assert (job.max_instances, job.coalesce) == (1, True)
    finally:
        scheduler.shutdown(wait=False)


async def test_the_job_plans_and_delivers(database: Database):
    await add_person(database, "p0@example.com")
    clock = FakeClock(AT)
    app = await make_app(database, clock)
    app.senders["slack"] = sender = RecordingSender(clock)

    report = await scheduled_tick(app.tick_job(app.delivery(sleep=clock.sleep)))

    assert report is not None and report.planned == 1 and len(sender.sent) == 1


async def test_a_failing_tick_is_logged_and_the_schedule_goes_on(
    database: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    app = await make_app(database, FakeClock(AT))

    async def broken(*_args, **_kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(bot.scheduling.jobs, "tick", broken)
    with caplog.at_level(logging.ERROR, logger="journeybot.scheduler"):
        assert await scheduled_tick(app.tick_job()) is None
    assert "failed" in caplog.text


def test_the_command_line_plans_delivers_and_shows_the_outbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "email,name,timezone,team,manager_email,roles\n"
        "ana@example.com,Ana Silva,Europe/Berlin,sales,,employee\n"
        "bo@example.com,Bo Li,Pacific/Honolulu,eng,,employee\n"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["roster", "import", str(roster)]).exit_code == 0

    morning = runner.invoke(cli, ["tick", "--at", "2026-11-23T06:00:00Z", "--plan-only"])
    assert "0 nudge(s) planned for 2 due" in morning.output  # nobody's window is open yet
    planned = runner.invoke(cli, ["tick", "--at", "2026-11-23T15:29:00Z", "--plan-only"])
    assert "1 nudge(s) planned" in planned.output and "Welcome" not in planned.output
    assert "pending 1 " in runner.invoke(cli, ["outbox"]).output

    sent = runner.invoke(cli, ["tick", "--at", "2026-11-23T15:29:00Z"])
    assert "Welcome to your journey" in sent.output and "sent 1" in sent.output  # the console prints it
    assert "pending 0  claimed 0  sending 0  sent 1" in runner.invoke(cli, ["outbox"]).output

    enrolled = runner.invoke(cli, ["auto-enrol", "sales", "eng"])
    assert "Auto-enrolled teams: eng, sales" in enrolled.output
    assert "eng" not in runner.invoke(cli, ["auto-enrol", "eng", "--off"]).output.split(":")[1]


def test_the_outbox_command_lists_the_rows_that_need_a_look(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "email,name,timezone,team,manager_email,roles\n"
        + "".join(f"p{n}@example.com,P {n},UTC,eng,,employee\n" for n in range(4))
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["roster", "import", str(roster)]).exit_code == 0
    assert (
        "4 nudge(s) planned"
        in runner.invoke(cli, ["tick", "--at", "2026-11-23T16:29:00Z", "--plan-only"]).output
    )
    engine = create_engine(url)
    with engine.begin() as connection:
        for row_id, status, attempts, error in [
            (1, "failed", 2, "TransientError: cannot reach Slack"),
            (2, "dead", 5, "refused: invalid_blocks"),
            (3, "uncertain", 0, "the send may have happened; not resent"),
        ]:
            connection.execute(
                update(DeliveryRow)
                .where(DeliveryRow.id == row_id)
                .values(status=status, attempts=attempts, last_error=error)
            )
        keys = dict(connection.execute(select(DeliveryRow.id, DeliveryRow.key)).all())
    engine.dispose()

    lines = runner.invoke(cli, ["outbox"]).output.splitlines()

    assert lines[0].startswith("pending 1  claimed 0  sending 0  sent 0  failed 1  dead 1  uncertain 1")
    assert lines[1:] == [  # newest first; the pending row is no problem and is not listed
        f"#3 uncertain {keys[3]} after 0 attempt(s): the send may have happened; not resent",
        f"#2 dead {keys[2]} after 5 attempt(s): refused: invalid_blocks",
        f"#1 failed {keys[1]} after 2 attempt(s): TransientError: cannot reach Slack",
    ]
