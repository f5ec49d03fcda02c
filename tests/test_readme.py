"""The README's examples and configuration table are checked against the code, so they cannot drift."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.content.tracking import Links
from bot.content.validate import Rules
from bot.importers.calendar import parse_calendar
from bot.importers.catalogue import load_catalogue
from bot.importers.content import parse_content
from bot.importers.roster import parse_roster
from bot.settings import Settings
from nudges.catalogue import BUILTIN

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_readme_has_the_examples_this_test_reads() -> None:
    assert len(blocks("yaml")) >= 3 and len(blocks("csv")) >= 1
    content = [yaml.safe_load(text) for text in blocks("yaml") if "texts" in text]
    assert {type(document) for document in content} == {list, dict}  # both forms are shown


@pytest.mark.parametrize("text", blocks("yaml"))
def test_every_yaml_example_loads_through_its_real_importer(tmp_path: Path, text: str) -> None:
    document = yaml.safe_load(text)
    if isinstance(document, dict) and set(document) <= {"disable", "templates"}:
        loaded = load_catalogue(write(tmp_path, "catalogue.yaml", text), BUILTIN)
        ids = {t.id for t in loaded}
        assert not set(document.get("disable", [])) & ids
        assert {t["id"] for t in document.get("templates", [])} <= ids
    elif isinstance(document, dict) and set(document) == {"holidays"}:
        days = parse_calendar(write(tmp_path, "holidays.yaml", text))
        assert len(days) >= len(document["holidays"])
    else:
        rules = Rules(Links(b"readme", "https://journeybot.example.com"))
        items = parse_content(write(tmp_path, "content.yaml", text), datetime(2026, 1, 1, tzinfo=UTC), rules)
        assert len(items) == len(document["items"] if isinstance(document, dict) else document)


@pytest.mark.parametrize("text", blocks("csv"))
def test_every_csv_example_loads_through_the_roster_importer(tmp_path: Path, text: str) -> None:
    entries = parse_roster(write(tmp_path, "roster.csv", text))
    assert len(entries) == len(text.strip().splitlines()) - 1


def configuration_table() -> dict[str, str]:
    """Variable name -> the default the README gives, from the table under "## Configuration"."""
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z0-9_]+)`", cells[0])
        defaults = re.findall(r"`([^`]*)`", cells[1])
        for i, name in enumerate(names):
            table[name] = defaults[i] if len(defaults) == len(names) else cells[1]
    return table


def test_the_configuration_table_lists_every_setting_with_its_default() -> None:
    table = configuration_table()
    for name, field in Settings.model_fields.items():
        variable = name.upper()
        assert variable in table, f"README's configuration table misses {variable}"
        default = field.default
        if default is None:
            assert table[variable] == "—", variable
        elif isinstance(default, bool):
            assert table[variable] == str(default).lower(), variable
        elif isinstance(default, int | float | str):
            assert table[variable] in (
                str(default),
                f"{default:g}" if not isinstance(default, str) else default,
            )
