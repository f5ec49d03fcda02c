"""Hostile or mistaken input files: YAML bombs, huge values, files that are not what they should be."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.content.tracking import Links
from bot.content.validate import Rules
from bot.importers.catalogue import CatalogueError, load_catalogue
from bot.importers.content import ContentError, parse_content
from bot.importers.safe_yaml import SHOWN
from nudges.catalogue import BUILTIN

NOW = datetime(2026, 3, 2, tzinfo=UTC)
RULES = Rules(Links(b"secret", "https://bot.example.com"))
# The classic: nine levels of nine aliases, about a billion "lol"s once expanded (a few GB).
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("importer", ["content", "catalogue"])
def test_a_billion_laughs_fails_at_the_first_anchor_in_little_memory(tmp_path: Path, importer: str) -> None:
    path = write(tmp_path, f"{importer}.yaml", LAUGHS)
    tracemalloc.start()
    try:
        with pytest.raises((ContentError, CatalogueError)) as raised:
            if importer == "content":
                parse_content(path, NOW, RULES)
            else:
                load_catalogue(path, BUILTIN)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    message = str(raised.value)
    assert "anchors and aliases (& and *) are not accepted (line 1)" in message
    assert "\n" not in message and "lol" not in message
    assert peak < 5_000_000  # expanded, it would be gigabytes; refused, it is the parser's own few kB


def test_an_alias_alone_and_a_merge_key_are_refused_too(tmp_path: Path) -> None:
    text = (
        "- &base {id: a, title: A, url: 'https://example.com', texts: {linkedin: hi}}\n- <<: *base\n  id: b\n"
    )
    with pytest.raises(ContentError, match=r"content.yaml: YAML anchors and aliases .* \(line 1\)"):
        parse_content(write(tmp_path, "content.yaml", text), NOW, RULES)
    with pytest.raises(ContentError, match=r"\(line 2\)"):
        parse_content(write(tmp_path, "content.yaml", "- id: a\n- *a\n"), NOW, RULES)


def test_error_messages_show_a_short_piece_of_a_huge_value_not_the_value(tmp_path: Path) -> None:
    huge = "x" * 100_000
    content = (
        f"- id: a\n  title: A\n  url: https://example.com\n  texts: {{linkedin: hi}}\n  zones: [{huge}]\n"
    )
    with pytest.raises(ContentError) as raised:
        parse_content(write(tmp_path, "content.yaml", content), NOW, RULES)
    assert "unknown zone 'xxxx" in str(raised.value) and len(str(raised.value)) < 200

    catalogue = (
        "templates:\n  - id: acme.x\n    category: prompt\n    kind: demo\n    title: T\n    text: Say hi.\n"
        f"    minutes: 5\n    evidence: short_post\n    zone: {huge}\n"
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(write(tmp_path, "catalogue.yaml", catalogue), BUILTIN)
    assert "unknown zone 'xxx" in str(caught.value) and str(caught.value).count("x") < SHOWN + 20


@pytest.mark.parametrize(
    "first_line",
    [
        "DATABASE_PASSWORD=correct-horse-battery-staple",  # an .env file
        "database_password: correct-horse-battery-staple",  # YAML, but not a catalogue
        "[database] password = correct-horse-battery-staple",  # an .ini file
        '{"database_password": "correct-horse-battery-staple"',  # broken JSON
        "\tpassword:\tcorrect-horse-battery-staple",  # a tab where YAML allows none
    ],
)
def test_a_catalogue_file_pointing_at_another_file_names_the_path_never_its_contents(
    tmp_path: Path, first_line: str
) -> None:
    path = write(tmp_path, "settings.txt", first_line + "\nsecond line\n")

    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path, BUILTIN)

    message = str(raised.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert "correct-horse" not in message and "password" not in message.lower()


def test_a_misspelt_top_level_key_is_still_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="unknown key 'template' "):
        load_catalogue(write(tmp_path, "catalogue.yaml", "template: []\n"), BUILTIN)
