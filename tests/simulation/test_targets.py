"""The journey's targets (issue 12), shown by the simulator on the real planner and conversation.

Each persona runs once for 26 weeks (module-scoped: every target reads the same run), in process, on
its own throwaway SQLite database, from a fixed Monday and seed, so a failure is reproduced with
``journeybot simulate --persona NAME --weeks 26 --start 2027-01-04 --seed 0``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.main.cli import cli
from bot.main.simulate import simulate
from bot.simulation.content import weekly_items
from bot.simulation.personas import PERSONAS, Persona, Reply
from bot.simulation.report import (
    company_share,
    first_week_in,
    max_silent_gap_weeks,
    repeats_within_60_days,
    summary,
    svg,
)
from bot.simulation.run import Journey, Seen
from bot.store.summary import decode, written_at
from nudges.library import Category
from nudges.zones import Zone

START = datetime(2027, 1, 4, 8, tzinfo=UTC)  # a Monday
WEEKS = 26


@pytest.fixture(scope="module")
def journeys(sqlite_template: Path) -> dict[str, Journey]:
    """Every persona's 26 weeks, side by side in one event loop (each on its own database and clock):
    the runs mostly wait on SQLite's thread, so together they take little longer than one."""

    async def all_of_them() -> list[Journey]:
        return list(
            await asyncio.gather(*(simulate(p, WEEKS, START, 0, sqlite_template) for p in PERSONAS.values()))
        )

    return {journey.persona.name: journey for journey in asyncio.run(all_of_them())}


def weekly(journey: Journey) -> list[int]:
    return [week["nudges"] for week in summary(journey)["weeks"]]


def test_eager_reaches_sharer_creator_and_engaged_in_time(journeys: dict[str, Journey]) -> None:
    eager = journeys["eager"]
    assert (sharer := first_week_in(eager, Zone.SHARER)) is not None and sharer <= 4
    assert (creator := first_week_in(eager, Zone.CREATOR)) is not None and creator <= 12
    assert (engaged := first_week_in(eager, Zone.ENGAGED)) is not None and engaged <= 26


def test_steady_reaches_sharer_and_creator_in_time(journeys: dict[str, Journey]) -> None:
    steady = journeys["steady"]
    assert (sharer := first_week_in(steady, Zone.SHARER)) is not None and sharer <= 8
    assert (creator := first_week_in(steady, Zone.CREATOR)) is not None and creator <= 20


def test_silent_hears_little_and_then_less(journeys: dict[str, Journey]) -> None:
    counts = weekly(journeys["silent"])
    assert 1 <= sum(counts[:8]) <= 6
    for month in range(8, WEEKS - 3):  # any four weeks after the first eight
        assert sum(counts[month : month + 4]) <= 1, (month, counts)


@pytest.mark.parametrize("name", list(PERSONAS))
def test_no_suggestion_twice_within_60_days_and_little_company_content(
    journeys: dict[str, Journey], name: str
) -> None:
    journey = journeys[name]
    assert repeats_within_60_days(journey) == 0
    assert company_share(journey) <= 1 / 3
    # The zone never goes down, whatever the persona does.
    zones = [journey.zone_by_week[w] for w in range(1, WEEKS + 1)]
    assert zones == sorted(zones)


@pytest.mark.parametrize("name", ["eager", "steady"])
def test_people_who_answer_never_wait_more_than_a_week(journeys: dict[str, Journey], name: str) -> None:
    assert max_silent_gap_weeks(journeys[name]) <= 1.0
    assert all(n >= 1 for n in weekly(journeys[name]))


def test_the_creator_keeps_the_zone_they_declared_and_gets_no_beginner_steps(
    journeys: dict[str, Journey],
) -> None:
    creator = journeys["creator"]
    assert creator.start_zone == Zone.CREATOR and first_week_in(creator, Zone.CREATOR) == 0
    offered = [s.key for s in creator.offers if s.category in (Category.STEP, Category.PROMPT)]
    assert offered and not any(key.startswith(("consumer.", "sharer.")) for key in offered)


def test_stretch_steps_carry_the_eager_person_up(journeys: dict[str, Journey]) -> None:
    """The eager person is offered steps from the zone above before reaching it (stretch steps), and
    nothing from below their zone once past it (they never asked for basics)."""
    eager = journeys["eager"]
    prefixes = {zone: zone.name.lower() + "." for zone in Zone}

    def zone_of(key: str) -> Zone | None:
        return next((zone for zone, prefix in prefixes.items() if key.startswith(prefix)), None)

    steps = [(s, z) for s in eager.offers if (z := zone_of(s.key)) is not None]
    stretch = [s.key for s, z in steps if z > eager.zone_by_week[s.week]]
    assert len(stretch) >= 5, stretch
    below = [s.key for s, z in steps if z < eager.zone_by_week[max(1, s.week - 1)]]
    assert below == []


# --- the figures themselves, on hand-made journeys (so the targets above can fail) ---------------------


def seen(day: float, key: str, company: bool = False, category: Category = Category.STEP) -> Seen:
    at = START + timedelta(days=day)
    return Seen((at - START) // timedelta(weeks=1) + 1, at, key, category, company, Reply.DONE)


def hand_made(*offers: Seen, weeks: int = 10) -> Journey:
    journey = Journey(PERSONAS["eager"], START, weeks, offers=list(offers))
    journey.zone_by_week = {w: Zone.CONSUMER for w in range(1, weeks + 1)}
    return journey


def test_the_figures_count_repeats_gaps_and_company_content() -> None:
    journey = hand_made(
        seen(0, "a"),
        seen(3, "content:x", company=True),
        seen(30, "a"),
        seen(95, "a"),
        seen(66, "b"),
        weeks=15,
    )
    journey.offers.sort(key=lambda s: s.at)
    assert repeats_within_60_days(journey) == 1  # day 30 after day 0; day 95 is 65 days after day 30
    assert max_silent_gap_weeks(journey) == round(36 / 7, 1)  # day 30 to day 66
    assert company_share(journey) == 0.2
    figures = summary(journey)
    assert set(figures) == {
        "persona",
        "weeks",
        "zone_changes",
        "repeats_within_60_days",
        "max_silent_gap_weeks",
        "company_share",
        "planning_summary_bytes",
    }
    assert figures["planning_summary_bytes"] is None  # a hand-made journey ran no planner
    assert set(figures["weeks"][0]) == {"week", "zone", "nudges", "offered"}
    assert figures["weeks"][0] == {"week": 1, "zone": "consumer", "nudges": 2, "offered": ["a", "content:x"]}


def test_the_command_prints_the_json_object_and_draws_the_plot(tmp_path: Path) -> None:
    plot = tmp_path / "journey.svg"
    args = [
        "simulate",
        "--persona",
        "Steady",
        "--weeks",
        "2",
        "--start",
        "2027-01-04",
        "--json",
        "--plot",
        str(plot),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["persona"] == "steady" and [w["week"] for w in figures["weeks"]] == [1, 2]
    assert sum(w["nudges"] for w in figures["weeks"]) >= 2
    assert plot.read_text().startswith("<svg") and "steady" in plot.read_text()
    table = CliRunner().invoke(
        cli, ["simulate", "--persona", "hesitant", "--weeks", "1", "--start", "2027-01-04"]
    )
    assert table.exit_code == 0 and "Content Consumer" in table.output and "week" in table.output
    assert "planning summary at the end: " in table.output
    assert figures["planning_summary_bytes"] is None or figures["planning_summary_bytes"] > 0


@pytest.mark.parametrize("name", list(PERSONAS))
def test_the_planning_summary_keeps_only_what_a_rule_can_still_read(
    journeys: dict[str, Journey], name: str
) -> None:
    """What every tick reads of the person does not pile up with the weeks: of content, only items
    ended lately (each lives three weeks; a summary is compacted again within weeks), no follow-up's
    key, and the "Done" of templates only (an answered follow-up's or celebration's is never read)."""
    text = journeys[name].planning_summary
    assert text is not None
    earlier = decode(text).earlier
    written = written_at(text)
    ended_long_ago = {
        f"content:{item.id}"
        for week in range(1, WEEKS + 1)
        for item in weekly_items(week, START)
        if item.expires_at is not None and item.expires_at < written - timedelta(weeks=8)
    }
    assert ended_long_ago  # the run is long enough for the check to mean something
    assert not earlier.keys & ended_long_ago
    assert not any(key.startswith("follow_up:") for key in earlier.keys)
    assert all(":" not in key for key, _ in earlier.done_keys), earlier.done_keys


def test_an_unknown_persona_or_start_is_a_clear_error() -> None:
    unknown = CliRunner().invoke(cli, ["simulate", "--persona", "bold"])
    assert unknown.exit_code != 0 and "eager, steady, hesitant, silent, creator" in str(unknown.exception)
    bad_start = CliRunner().invoke(cli, ["simulate", "--persona", "eager", "--start", "soon"])
    assert bad_start.exit_code != 0 and "ISO 8601" in str(bad_start.exception)


def test_every_persona_is_documented() -> None:
    assert set(PERSONAS) >= {"eager", "steady", "hesitant", "silent", "creator"}
    assert all(isinstance(p, Persona) and p.description for p in PERSONAS.values())
    assert svg(hand_made(seen(0, "a"))).startswith("<svg")
