"""The digest's words from counts: kind, no ranking, no one singled out (nudges/digest.py, pure)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from nudges.digest import (
    TeamWeek,
    compose,
    last_slot,
    parse_time,
    parse_weekday,
    suggestion,
    without_cheered,
    zone_chart,
)
from nudges.messages import Fields

WEEK = TeamWeek(
    team="Sales",
    week_ending=date(2026, 3, 9),
    people=9,
    zones={1: 5, 2: 2, 3: 1, 4: 1},
    moved_up=1,
    milestones=2,
    cheered=(("Bea", "first_share"), ("Bea", "first_question")),
    signals={"questions": 4, "comments": 2, "amplified": 1, "copy_edits": 0, "steps": 3},
    content=(("Cloud costs", 5), ("Hiring", 1)),
    close_to_first_piece=2,
    consumers=5,
    creators=1,
    ambassadors=1,
)


def test_counts_under_three_are_a_few_and_never_a_number() -> None:
    text = compose(WEEK).fallback
    assert "4 questions asked or answered" in text and "3 small steps completed" in text
    assert "a few comments added" in text and "a few colleagues' pieces passed on" in text
    assert "copy-edit" not in text  # none: not mentioned at all
    assert "A few people moved" in text and "a few milestones" in text.lower()
    assert not re.search(r"\b[12]\b(?! March)", text.replace("9 March", "")), text


def test_the_zone_chart_has_a_bar_per_zone_and_hides_small_counts() -> None:
    chart = dict(zone_chart(WEEK.zones))
    assert chart["Content Consumer"] == "██████████ 5"
    assert chart["Content Sharer"] == chart["Content Creator"] == chart["Socially Engaged"] == "▏ a few"
    assert dict(zone_chart({1: 6, 2: 3}))["Content Sharer"] == "█████ 3"
    assert dict(zone_chart({1: 3}))["Socially Engaged"] == "·"
    (fields,) = [b for b in compose(WEEK).blocks if isinstance(b, Fields)]
    assert len(fields.pairs) == 4


def test_only_the_opted_in_are_named_each_once() -> None:
    text = compose(WEEK).fallback
    assert text.count("Bea") == 1 and "first share, first question asked" in text


def test_a_small_team_shows_no_breakdown_at_all() -> None:
    small = TeamWeek(team="Duo", week_ending=date(2026, 3, 9), people=2, zones={1: 1, 3: 1},
                     signals={"questions": 7}, content=(("X", 9),))  # fmt: skip
    text = compose(small).fallback
    assert "Where the team is" not in text and "7" not in text and "X" not in text
    assert "One idea for this week" in text


def test_the_suggestion_follows_seed_004_and_varies() -> None:
    assert "SME buddy" in suggestion(WEEK, 0) or "subject-matter" in suggestion(WEEK, 0)
    assert suggestion(WEEK, 0) != suggestion(WEEK, 1)
    ambassadors = TeamWeek(team="T", week_ending=date(2026, 3, 9), people=5, ambassadors=2)
    assert "ambassadors" in suggestion(ambassadors, 0) and "finance" in suggestion(ambassadors, 0)
    assert compose(WEEK, 0).blocks[1] != compose(WEEK, 1).blocks[1]  # the opening varies too


def test_the_latest_slot_is_local_time_and_a_late_tick_sees_one() -> None:
    monday = datetime(2026, 3, 9, 9, 30, tzinfo=UTC)  # 09:30 in London (GMT)
    assert last_slot(0, "09:30", "Europe/London", monday) == monday
    assert last_slot(0, "09:30", "Europe/London", monday - timedelta(seconds=1)) == monday - timedelta(days=7)
    assert last_slot(0, "09:30", "Europe/London", monday + timedelta(days=20)) == monday + timedelta(days=14)
    summer = datetime(2026, 4, 6, 8, 30, tzinfo=UTC)  # 09:30 BST
    assert last_slot(0, "09:30", "Europe/London", summer + timedelta(hours=1)) == summer
    assert last_slot(0, "09:30", "Not/AZone", monday) == monday  # an unknown zone reads as UTC


def test_weekday_and_time_words() -> None:
    assert parse_weekday("Mon") == 0 and parse_weekday("friday") == 4 and parse_weekday("t") is None
    assert parse_time("9:05") == "09:05" and parse_time("25:00") is None and parse_time("soon") is None


def test_without_cheered_takes_one_person_out_and_a_line_naming_nobody_goes() -> None:
    text = "Hi\n\n🎉 Cheer on: **Bea** (first share, first question asked), **Cy** (first share).\n\nMore"
    assert without_cheered(text, "Bea") == "Hi\n\n🎉 Cheer on: **Cy** (first share).\n\nMore"
    assert without_cheered(without_cheered(text, "Bea"), "Cy") == "Hi\n\nMore"
    plain_line = "🎉 Milestones to celebrate: Bea (first share)."
    assert without_cheered(plain_line, "Bea") == ""  # the fallback's plain form too
    assert (
        without_cheered("Bea (first share) is not a cheer line", "Bea")
        == "Bea (first share) is not a cheer line"
    )
    assert without_cheered(text, "Be") == text  # a whole name, never a part of one
