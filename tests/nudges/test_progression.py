"""Progression: each documented threshold one below and at, and the milestones celebrated in chat."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from nudges import views
from nudges.activities import Activity, ActivityKind
from nudges.dialogue import Turn, respond
from nudges.events import Said
from nudges.library import Category, Library
from nudges.messages import Text, plain
from nudges.person import History, Person
from nudges.progression import (
    CONVERSATIONS_FOR_ENGAGED,
    ORIGINALS_FOR_CREATOR,
    ORIGINALS_FOR_ENGAGED,
    SHARES_FOR_ENGAGED,
    SHARES_FOR_SHARER,
    Milestone,
    evidence_zone,
    milestones_reached,
    progress,
    ready_for_stretch,
    steady_weeks,
    tally,
    to_next_zone,
)
from nudges.zones import Zone

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
SHARED, WITH_LINE = ActivityKind.SHARED, ActivityKind.SHARED_WITH_COMMENT
ORIGINAL, SHORT, REPLIED = ActivityKind.ORIGINAL_PIECE, ActivityKind.SHORT_POST, ActivityKind.REPLIED


def counts(**kinds: int) -> Counter[ActivityKind]:
    return Counter({ActivityKind(kind): n for kind, n in kinds.items()})


def engaged_minus(**fewer: int) -> Counter[ActivityKind]:
    """Exactly the Engaged thresholds, minus ``fewer`` of some kinds."""
    base = {
        "original_piece": ORIGINALS_FOR_ENGAGED,
        "shared": SHARES_FOR_ENGAGED,
        "replied": CONVERSATIONS_FOR_ENGAGED,
    }
    return counts(**{kind: n - fewer.get(kind, 0) for kind, n in base.items()})


def test_the_documented_thresholds() -> None:
    # The module docstring (and the README's promise of explicit thresholds) says these numbers.
    assert (SHARES_FOR_SHARER, ORIGINALS_FOR_CREATOR) == (3, 2)
    assert (ORIGINALS_FOR_ENGAGED, SHARES_FOR_ENGAGED, CONVERSATIONS_FOR_ENGAGED) == (5, 10, 10)


@pytest.mark.parametrize(
    ("evidence", "zone"),
    [
        (counts(), Zone.CONSUMER),
        (counts(shared=SHARES_FOR_SHARER - 1), Zone.CONSUMER),
        (counts(shared=SHARES_FOR_SHARER), Zone.SHARER),
        (counts(shared=1, shared_with_comment=SHARES_FOR_SHARER - 1), Zone.SHARER),  # both kinds count
        (counts(short_post=SHARES_FOR_SHARER - 1), Zone.CONSUMER),
        (counts(short_post=9), Zone.SHARER),  # short posts are sharing, not original pieces
        (counts(original_piece=ORIGINALS_FOR_CREATOR - 1), Zone.CONSUMER),
        (counts(original_piece=ORIGINALS_FOR_CREATOR), Zone.CREATOR),
        (counts(original_piece=ORIGINALS_FOR_CREATOR - 1, shared=SHARES_FOR_SHARER), Zone.SHARER),
        (engaged_minus(), Zone.ENGAGED),
        (engaged_minus(original_piece=1), Zone.CREATOR),
        (engaged_minus(shared=1), Zone.CREATOR),
        (engaged_minus(replied=1), Zone.CREATOR),
        (engaged_minus(shared=SHARES_FOR_ENGAGED), Zone.CREATOR),  # originals and talk, no shares
    ],
)
def test_evidence_zone_one_below_and_at_each_threshold(evidence: Counter[ActivityKind], zone: Zone) -> None:
    assert evidence_zone(evidence) == zone


def test_every_conversation_kind_counts_toward_engaged() -> None:
    kinds = ("replied", "asked", "answered", "feedback", "helped", "spoke_to_group", "group_chat")
    talk = counts(**{kind: 0 for kind in kinds})
    for i in range(CONVERSATIONS_FOR_ENGAGED):
        talk[ActivityKind(kinds[i % len(kinds)])] += 1
    assert evidence_zone(talk + engaged_minus(replied=CONVERSATIONS_FOR_ENGAGED)) == Zone.ENGAGED


@pytest.mark.parametrize(
    ("zone", "evidence", "gaps"),
    [
        (Zone.CONSUMER, counts(), ["3 more shares"]),
        (Zone.CONSUMER, counts(shared=SHARES_FOR_SHARER - 1), ["1 more share"]),
        (Zone.CONSUMER, counts(shared=SHARES_FOR_SHARER), []),  # said "consumer"; the evidence is there
        (Zone.SHARER, counts(shared=3), ["2 more original pieces"]),
        (Zone.SHARER, counts(original_piece=ORIGINALS_FOR_CREATOR - 1), ["1 more original piece"]),
        (Zone.SHARER, counts(original_piece=ORIGINALS_FOR_CREATOR), []),
        (Zone.CREATOR, engaged_minus(original_piece=1, shared=1, replied=1), [
            "1 more original piece", "1 more share", "1 more conversation"
        ]),
        (Zone.CREATOR, engaged_minus(replied=1), ["1 more conversation"]),
        (Zone.CREATOR, engaged_minus(), []),
        (Zone.ENGAGED, counts(), []),
    ],
)  # fmt: skip
def test_to_next_zone_one_below_and_at_each_threshold(
    zone: Zone, evidence: Counter[ActivityKind], gaps: list[str]
) -> None:
    assert to_next_zone(zone, evidence) == gaps


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (counts(), set()),
        (counts(shared=1), {Milestone.FIRST_SHARE}),
        (counts(shared_with_comment=1), {Milestone.FIRST_SHARE, Milestone.FIRST_OWN_COMMENT}),
        (counts(short_post=1), {Milestone.FIRST_OWN_POST}),
        (counts(original_piece=1), {Milestone.FIRST_OWN_POST}),
        (counts(asked=1), {Milestone.FIRST_CONVERSATION, Milestone.FIRST_QUESTION}),
        (counts(replied=4), {Milestone.FIRST_CONVERSATION}),
        (
            counts(replied=3, shared_with_comment=2),
            {
                Milestone.FIRST_CONVERSATION,
                Milestone.FIRST_SHARE,
                Milestone.FIRST_OWN_COMMENT,
                Milestone.FIVE_COMMENTS,
            },
        ),
        (counts(amplified=1), {Milestone.FIRST_SHARE, Milestone.AMPLIFIED_A_COLLEAGUE}),
        (counts(original_piece=4), {Milestone.FIRST_OWN_POST}),
        (counts(original_piece=5), {Milestone.FIRST_OWN_POST, Milestone.FIVE_ORIGINALS}),
        (counts(short_post=5, original_piece=4), {Milestone.FIRST_OWN_POST}),  # five *original* pieces
        (counts(prepared=3, checked_analytics=2), set()),  # groundwork is welcome, not a milestone
    ],
)
def test_activity_milestones(evidence: Counter[ActivityKind], expected: set[Milestone]) -> None:
    assert milestones_reached(evidence) == expected


def test_ten_steady_weeks_is_a_milestone_once_there_are_ten_distinct_weeks() -> None:
    monday = datetime(2027, 1, 4, 10, tzinfo=UTC)
    # Two steps in one week count once; nine weeks are not ten.
    nine = [
        Activity(ActivityKind.SHARED, monday + timedelta(weeks=w, days=d)) for w in range(9) for d in (0, 2)
    ]
    assert steady_weeks(nine) == 9
    assert Milestone.TEN_STEADY_WEEKS not in milestones_reached(tally(nine), steady_weeks(nine))
    ten = [*nine, Activity(ActivityKind.REPLIED, monday + timedelta(weeks=12))]
    assert Milestone.TEN_STEADY_WEEKS in milestones_reached(tally(ten), steady_weeks(ten))


def test_stretch_readiness_is_most_of_the_zones_core_steps() -> None:
    assert not ready_for_stretch(Zone.CONSUMER, counts(account=5))
    assert ready_for_stretch(Zone.CONSUMER, counts(account=1, followed=1))
    assert not ready_for_stretch(Zone.SHARER, counts(shared=9))
    assert ready_for_stretch(Zone.SHARER, counts(shared=1, checked_analytics=1))
    assert ready_for_stretch(Zone.CREATOR, counts(original_piece=1, feedback=1))
    assert not ready_for_stretch(Zone.ENGAGED, counts(**{k.value: 3 for k in ActivityKind}))  # no zone above


def test_progress_never_lowers_and_lifts_only_on_new_evidence() -> None:
    assert progress(Zone.CREATOR, counts(), counts(shared=3)) == Zone.CREATOR
    assert progress(Zone.CONSUMER, counts(shared=2), counts(shared=3)) == Zone.SHARER
    assert progress(Zone.CONSUMER, counts(shared=3), counts(shared=4)) == Zone.CONSUMER
    assert progress(
        Zone.CONSUMER, counts(shared=3, original_piece=1), counts(shared=3, original_piece=2)
    ) == (Zone.CREATOR)


# --- celebrated in chat ------------------------------------------------------------------------


def log(person: Person, earlier: Counter[ActivityKind], text: str) -> tuple[Person, list[str]]:
    """``person`` with ``earlier`` activities logs ``text``; their new state and what was celebrated."""
    history = History(activities=tuple(Activity(kind, NOW) for kind in earlier.elements()))
    turn = Turn(person, history, Library(()), NOW, random.Random(0))
    outcome = respond(turn, Said(f"log {text}"))  # logged at once (free words would ask first)
    celebrated = [
        o.key.removeprefix("celebrate:") for o in outcome.offers if o.category == Category.CELEBRATION
    ]
    shown = [plain(b.text) for m in outcome.replies for b in m.blocks if isinstance(b, Text)]
    for milestone in celebrated:  # each celebration is said in the moment, not only recorded
        cheer = plain(views.celebration(milestone, person).fallback)  # in words that fit their zone
        assert any(cheer.removeprefix("🎉 ") in line for line in shown)
    return outcome.person, celebrated


def someone(zone: Zone, *milestones: Milestone) -> Person:
    return Person("ana@example.com", "Ana", zone=zone, onboarded_at=NOW, milestones=frozenset(milestones))


def test_the_fifth_original_piece_is_celebrated_and_the_fourth_is_not() -> None:
    creator = someone(Zone.CREATOR, Milestone.FIRST_OWN_POST)
    _, fourth = log(creator, counts(original_piece=3), "I wrote an article about hiring")
    assert fourth == []
    after, fifth = log(creator, counts(original_piece=4), "I wrote an article about hiring")
    assert fifth == [Milestone.FIVE_ORIGINALS]
    assert Milestone.FIVE_ORIGINALS in after.milestones


@pytest.mark.parametrize("text", ["I wrote a short post", "I wrote a blog post about cloud costs"])
def test_a_first_own_post_is_celebrated_once(text: str) -> None:
    person, celebrated = log(someone(Zone.SHARER), counts(shared=3), text)
    assert Milestone.FIRST_OWN_POST in celebrated
    _, again = log(person, counts(shared=3, short_post=1), text)
    assert Milestone.FIRST_OWN_POST not in again


def test_reaching_creator_is_celebrated_at_the_second_original_piece() -> None:
    sharer = someone(Zone.SHARER, Milestone.FIRST_OWN_POST)
    person, celebrated = log(sharer, counts(), "I wrote an article about hiring")
    assert person.zone == Zone.SHARER and celebrated == []
    person, celebrated = log(sharer, counts(original_piece=1), "I wrote an article about hiring")
    assert person.zone == Zone.CREATOR and celebrated == [Milestone.REACHED_CREATOR]


def test_reaching_engaged_is_celebrated_at_the_tenth_conversation() -> None:
    done = (
        Milestone.FIRST_SHARE,
        Milestone.FIRST_OWN_POST,
        Milestone.FIRST_CONVERSATION,
        Milestone.FIVE_ORIGINALS,
        Milestone.FIVE_COMMENTS,
    )
    creator = someone(Zone.CREATOR, *done)
    person, celebrated = log(creator, engaged_minus(replied=2), "I replied to comments")
    assert person.zone == Zone.CREATOR and celebrated == []
    person, celebrated = log(creator, engaged_minus(replied=1), "I replied to comments")
    assert person.zone == Zone.ENGAGED and celebrated == [Milestone.REACHED_ENGAGED]
