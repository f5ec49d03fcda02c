"""A person's own data in the console chat, and the admin's ``journeybot people export|erase``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.fixture(autouse=True)
def migrated(tmp_path: Path, sqlite_template: Path) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "bot.store")


def chat(tmp_path: Path, *lines: str, user: str = "ana@example.com") -> str:
    result = run(["chat", "--user", user], tmp_path, "\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_see_export_and_erase_in_the_console(tmp_path: Path) -> None:
    chat(tmp_path, "hello", "1", "cloud", "1", "2", "log wrote a post about persimmon trees")

    out = chat(tmp_path, "what do you have about me?", "export my data")
    assert "What I keep about you" in out and "Things you logged" in out
    (saved,) = tmp_path.glob("journeybot-my-data-*.json")
    assert saved.name in out
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["person"]["email"] == "ana@example.com"
    assert "persimmon" in data["activities"][0]["note"]

    out = chat(tmp_path, "delete my data", "2")  # [2] No, keep it
    assert "final" in out and "Nothing deleted" in out
    out = chat(tmp_path, "Please erase everything you know about me.", "1")  # [1] Yes, delete everything
    assert "can't be brought back" in out or "gone, for good" in out

    exported = run(["people", "export", "--email", "ana@example.com"], tmp_path)
    assert exported.returncode == 1 and "nobody with the email" in exported.stderr


def test_admins_export_and_erase_from_the_command_line(tmp_path: Path) -> None:
    chat(tmp_path, "hello", "1", "cloud", "1", "2", "log shared a persimmon article", user="bo@example.com")

    exported = run(["people", "export", "--email", "BO@example.com"], tmp_path)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["person"]["email"] == "bo@example.com" and data["activities"]

    refused = run(["people", "erase", "--email", "bo@example.com"], tmp_path)  # piped: no one to ask
    assert refused.returncode == 1 and "add --yes" in refused.stderr
    assert "bo@example.com" in run(["people"], tmp_path).stdout

    erased = run(["people", "erase", "--email", "bo@example.com", "--yes"], tmp_path)
    assert erased.returncode == 0, erased.stderr
    assert erased.stdout.startswith("Erased bo@example.com:")
    assert "bo@example.com" not in run(["people"], tmp_path).stdout
    trail = run(["audit"], tmp_path).stdout
    assert "person.erase" in trail and "bo@example.com" not in trail

    again = run(["people", "erase", "--email", "bo@example.com", "--yes"], tmp_path)
    assert again.returncode == 1 and "nobody with the email" in again.stderr


def test_a_full_roster_names_the_leavers_and_a_dry_run_changes_nothing(tmp_path: Path) -> None:
    header = "email,name,timezone,team,manager_email,roles\n"
    (tmp_path / "all.csv").write_text(
        header + "ana@example.com,Ana,Europe/Lisbon,,,\nbo@example.com,Bo,,,,\ncy@example.com,Cy,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "now.csv").write_text(header + "ana@example.com,Ana,Europe/Lisbon,,,\n", encoding="utf-8")
    assert run(["roster", "import", "all.csv"], tmp_path).returncode == 0

    dry = run(["roster", "import", "now.csv", "--full", "--dry-run"], tmp_path, RETENTION_DAYS="14")
    assert dry.returncode == 0, dry.stderr
    assert "Leaving: 2 not in the file would get no more nudges" in dry.stdout
    assert "(RETENTION_DAYS=14): bo@example.com, cy@example.com." in dry.stdout
    assert dry.stdout.rstrip().endswith("Dry run: nothing was changed.")

    done = run(["roster", "import", "now.csv", "--full"], tmp_path, RETENTION_DAYS="14")
    assert "Leaving: 2 not in the file get no more nudges from now on and are erased on" in done.stdout
    listed = run(["people"], tmp_path, RETENTION_DAYS="14").stdout
    assert "bo@example.com  Bo  left on " in listed and ", to be erased on " in listed
    again = run(["roster", "import", "now.csv", "--full"], tmp_path)
    assert "Nobody is leaving" in again.stdout and "2 who left earlier" in again.stdout

    later = run(["tick", "--at", "2099-01-01T12:00:00Z", "--plan-only"], tmp_path, RETENTION_DAYS="14")
    assert later.returncode == 0, later.stderr
    assert "2 leaver(s) erased" in later.stdout
    assert [line.split()[0] for line in run(["people"], tmp_path).stdout.splitlines()] == ["ana@example.com"]

    bad = run(["roster", "import", "now.csv", "--full"], tmp_path, RETENTION_DAYS="-1")
    assert bad.returncode == 1 and "RETENTION_DAYS" in bad.stderr and "Traceback" not in bad.stderr
