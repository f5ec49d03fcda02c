"""An organisation's catalogue file: adds, overrides and disables, or refuses as a whole."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.importers.catalogue import CatalogueError, load_catalogue
from nudges.activities import ActivityKind
from nudges.catalogue import BUILTIN
from nudges.library import Category, Template
from nudges.zones import Zone

BASE = (
    Template(
        id="consumer.follow",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-voices",
        title="Follow three voices",
        text="Follow three people who write about {topic}.",
        minutes=5,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Did you get to follow them?",
    ),
    Template(
        id="sharer.add-one-line",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="comment-on-share",
        title="Add one line",
        text="Add one line of your own.",
        minutes=5,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
    ),
)

GOOD_ITEM = """
  - id: acme.demo-day
    zone: sharer
    category: prompt
    kind: demo-day
    title: Write about demo day
    text: Write a short post on {network} about one thing you saw at demo day.
    minutes: 10
    evidence: short_post
    follow_up: Did demo day make it into a post?
    networks: [linkedin]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_none_returns_the_builtin_catalogue() -> None:
    assert load_catalogue(None, BASE) is BASE


def test_a_good_file_adds_overrides_and_disables(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        textwrap.dedent(
            """
        disable: [consumer.follow]
        templates:
          - id: sharer.add-one-line
            zone: 2
            category: STEP
            kind: comment-on-share
            title: Add your own line
            text: When you share, add **one line** of your own.
            minutes: 3
            evidence: shared_with_comment
        """
        )
        + GOOD_ITEM,
    )
    result = load_catalogue(path, BASE)
    assert [t.id for t in result] == ["sharer.add-one-line", "acme.demo-day"]
    override, added = result
    assert override.title == "Add your own line" and override.minutes == 3 and override.follow_up == ""
    assert added == Template(
        id="acme.demo-day",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="demo-day",
        title="Write about demo day",
        text="Write a short post on {network} about one thing you saw at demo day.",
        minutes=10,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did demo day make it into a post?",
        networks=("linkedin",),
    )


def test_zone_names_numbers_and_network_aliases(tmp_path: Path) -> None:
    item = GOOD_ITEM.replace("zone: sharer", "zone: Socially Engaged").replace("[linkedin]", "[Twitter, x]")
    (added,) = load_catalogue(write(tmp_path, "templates:" + item), ())
    assert added.zone == Zone.ENGAGED and added.networks == ("x",)


def test_a_step_for_people_with_several_networks(tmp_path: Path) -> None:
    item = GOOD_ITEM.replace("networks: [linkedin]", "min_networks: 2")
    (added,) = load_catalogue(write(tmp_path, "templates:" + item), ())
    assert added.min_networks == 2 and added.networks == ()


def test_an_empty_file_changes_nothing(tmp_path: Path) -> None:
    assert load_catalogue(write(tmp_path, ""), BASE) == BASE


def test_the_real_builtin_catalogue_can_be_trimmed(tmp_path: Path) -> None:
    first = BUILTIN[0].id
    result = load_catalogue(write(tmp_path, f"disable: [{first}]\n"), BUILTIN)
    assert len(result) == len(BUILTIN) - 1 and first not in {t.id for t in result}


def item_with(**changes: str) -> str:
    """GOOD_ITEM with some fields replaced (value ``"DROP"``: the line removed)."""
    lines = []
    for line in GOOD_ITEM.strip("\n").splitlines():
        key = line.strip(" -").split(":")[0]
        if key in changes:
            if changes[key] == "DROP":
                continue
            line = line.split(":")[0] + ": " + changes[key]
        lines.append(line)
    return "\n".join(lines) + "\n"


ERRORS = {
    "unknown field": (
        "templates:" + GOOD_ITEM + item_with(id="acme.b") + "    colour: blue\n",
        "item 2",
        "'colour'",
    ),
    "missing field": ("templates:\n" + item_with(title="DROP"), "item 1", "'title'"),
    "empty field": ("templates:\n" + item_with(text="''"), "item 1", "'text'"),
    "unknown zone": ("templates:\n" + item_with(zone="wizard"), "item 1", "'zone'"),
    "zone out of range": ("templates:\n" + item_with(zone="5"), "item 1", "'zone'"),
    "unknown category": ("templates:\n" + item_with(category="share"), "item 1", "'category'"),
    "unknown evidence": ("templates:\n" + item_with(evidence="went_viral"), "item 1", "'evidence'"),
    "unknown network": ("templates:\n" + item_with(networks="[myspace]"), "item 1", "'networks'"),
    "networks not a list": ("templates:\n" + item_with(networks="linkedin"), "item 1", "'networks'"),
    "min_networks not a number": (
        "templates:\n" + item_with(networks="[]\n    min_networks: two"),
        "item 1",
        "'min_networks'",
    ),
    "too many minutes": ("templates:\n" + item_with(minutes="16"), "item 1", "'minutes'"),
    "prompt over 15": ("templates:\n" + item_with(minutes="45"), "item 1", "'minutes'"),
    "zero minutes": ("templates:\n" + item_with(minutes="0"), "item 1", "'minutes'"),
    "minutes not a number": ("templates:\n" + item_with(minutes="ten"), "item 1", "'minutes'"),
    "long title": ("templates:\n" + item_with(title="x" * 61), "item 1", "'title'"),
    "bad kind": ("templates:\n" + item_with(kind="Demo Day"), "item 1", "'kind'"),
    "unknown placeholder": ("templates:\n" + item_with(text="'About {name}.'"), "item 1", "'text'"),
    "placeholder with spec": ("templates:\n" + item_with(text="'About {topic!r}.'"), "item 1", "'text'"),
    "unbalanced brace": (
        "templates:\n" + item_with(follow_up="'Did you {get to it?'"),
        "item 1",
        "'follow_up'",
    ),
    "duplicate id": ("templates:" + GOOD_ITEM + item_with(title="Again"), "item 2", "'id'"),
    "item not a mapping": ("templates:\n  - just a string\n", "item 1", "mapping"),
    "templates not a list": ("templates: {id: x}\n", "'templates'", "list"),
    "disable unknown id": ("disable: [consumer.follow, consumer.nope]\n", "disable item 2", "consumer.nope"),
    "disable a mapping": ("disable: [{id: consumer.follow}]\n", "disable item 1", "not a built-in"),
    "disable not a list": ("disable: consumer.follow\n", "'disable'", "list"),
    "disable and override": (
        "disable: [sharer.add-one-line]\ntemplates:\n" + item_with(id="sharer.add-one-line"),
        "item 1",
        "also disabled",
    ),
    "unknown top-level key": ("template: []\n", "unknown key", "'template'"),
    "not a mapping": ("- a\n- b\n", "mapping", "catalogue.yaml"),
    "invalid yaml": ("templates: [unclosed\n", "not valid YAML at line", "expected"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_each_problem_is_named_with_file_item_and_field(tmp_path: Path, name: str) -> None:
    text, *expected = ERRORS[name]
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path, BASE)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "nope.yaml", BASE)


def test_an_error_anywhere_leaves_the_catalogue_unchanged(tmp_path: Path) -> None:
    """A valid add, override and disable, then one bad item: none of it takes effect."""
    path = write(
        tmp_path,
        "disable: [consumer.follow]\ntemplates:" + GOOD_ITEM + item_with(id="acme.b", zone="wizard"),
    )
    catalogue = BASE
    with pytest.raises(CatalogueError, match="templates item 2"):
        catalogue = load_catalogue(path, catalogue)
    assert catalogue is BASE
    assert [t.id for t in BASE] == ["consumer.follow", "sharer.add-one-line"]


def test_catalogue_error_is_a_value_error() -> None:
    assert issubclass(CatalogueError, ValueError)
