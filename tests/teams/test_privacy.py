"""PRIVACY.md (the Teams manifest's privacy link) is true: it names every table that holds a person's
rows, its defaults are the code's, and the commands it gives an admin export and erase a person."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import migrations.tables  # noqa: F401  (every table in metadata)
from bot.settings import Settings
from bot.store.models import metadata
from tests.cli_run import run

PRIVACY = Path(__file__).parents[2] / "PRIVACY.md"
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_every_table_with_a_persons_rows_is_named() -> None:
    text = PRIVACY.read_text(encoding="utf-8")
    personal = {
        table.name
        for table in metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name in ("people", "offers")
    } | {"people", "audit_events", "slack_installations", "org_settings"}
    missing = sorted(name for name in personal if f"`{name}`" not in text)
    assert missing == [], f"PRIVACY.md does not say what these tables hold: {missing}"
    assert f"`RETENTION_DAYS` (default {Settings.model_fields['retention_days'].default})" in text
    assert "DELETE FROM people WHERE" not in text  # the advice that broke SQLite is gone (a warning stays)


def test_the_documented_commands_export_and_erase_a_teams_person(
    tmp_path: Path, sqlite_template: Path
) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "bot.store")
    commands = re.findall(r"^(journeybot people \w+ --email \S+)", PRIVACY.read_text(encoding="utf-8"), re.M)
    assert [c.split()[2] for c in commands] == ["export", "erase"]
    email = commands[0].split()[-1]
    said = run(
        ["chat", "--user", email], tmp_path, "hello\n1\ncloud\n1\n2\nlog shared a post with my own line\n"
    )
    assert said.returncode == 0, said.stderr

    exported = run([*commands[0].split()[1:]], tmp_path)
    assert exported.returncode == 0 and json.loads(exported.stdout)["person"]["email"] == email
    erased = run([*commands[1].split()[1:], "--yes"], tmp_path)
    assert erased.returncode == 0, erased.stderr
    assert email not in run(["people"], tmp_path).stdout
