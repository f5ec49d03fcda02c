"""A compacted history decides exactly as the whole one: the planner keeps ``Earlier`` per person
instead of every offer (``nudges.selection.compact``), so the plans must not move by one choice."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.plan import Standing, decide
from nudges.activities import Activity, ActivityKind
from nudges.catalogue import BUILTIN
from nudges.library import Category, ContentItem, Library
from nudges.messages import Answer
from nudges.person import NOTHING_EARLIER, History, Offer, Person, Schedule
from nudges.selection import (
    COMPACT_AFTER,
    choose_nudge,
    compact,
    done_evidence,
    fold,
    next_due_at,
    retired_kinds,
)
from nudges.zones import Zone

NOW = datetime(2026, 3, 10, 11, 7, tzinfo=UTC)  # a Tuesday, inside the default window
CONTENT = tuple(
    ContentItem(
        f"item-{n}",
        f"Item {n}",
        f"https://example.org/{n}",
        ("cloud",) if n % 2 else (),
        {"linkedin": f"Text {n}", "x": f"Post {n}"},
        company=n % 3 == 0,
    )
    for n in range(12)
)
LIBRARY = Library(BUILTIN, CONTENT)
STEPS = [t for t in BUILTIN if t.category in (Category.STEP, Category.PROMPT)]
ANSWERS = (None, None, Answer.DONE, Answer.LATER, Answer.NOT_FOR_ME)


def random_person(rng: random.Random) -> Person:
    return Person(
        key=f"p{rng.randrange(10**6)}@example.org",
        name="Someone",
        zone=Zone(rng.randint(1, 4)),
        networks=tuple(rng.sample(("linkedin", "x", "mastodon"), rng.randint(1, 3))),
        topics=("cloud",) if rng.random() < 0.7 else (),
        weekly_cap=rng.choice((1, 2, 3, 5)),
        onboarded_at=NOW - timedelta(days=400),
        schedule=Schedule(timezone=rng.choice(("UTC", "Europe/Berlin", "America/New_York"))),
        milestones=frozenset(rng.sample(("first-post", "ten-shares", "a-year"), rng.randint(0, 2))),
        retired_kinds=frozenset(rng.sample(("follow", "share", "caught_up"), rng.randint(0, 1))),
    )


def random_history(rng: random.Random, offers: int, never_answers: bool) -> History:
    """``offers`` offers over about a year (denser near now, as a busy person's), some activities."""
    made: list[Offer] = []
    follow_ups: list[int] = []
    for n in range(offers):
        at = NOW - timedelta(minutes=1 + int(rng.random() ** 2 * 365 * 24 * 60))
        roll = rng.random()
        if roll < 0.6:
            t = rng.choice(STEPS)
            key, kind, category, company = t.id, t.kind, t.category, False
        elif roll < 0.8:
            c = rng.choice(CONTENT)
            key, kind, category, company = f"content:{c.id}", "share", Category.SHARE, c.company
        elif roll < 0.88:
            key, kind, category, company = f"celebrate:{rng.choice(('first-post', 'ten-shares'))}", "celebration", Category.CELEBRATION, False  # fmt: skip
        elif roll < 0.94:
            follow_ups.append(n)  # made below, once there are offers to follow
            continue
        else:
            key, kind, category, company = f"caught_up:{at.date()}", "caught_up", Category.CAUGHT_UP, False
        answer = None if never_answers else rng.choice(ANSWERS)
        made.append(
            Offer(
                f"o{n}", key, kind, category, at, company, answer, at + timedelta(hours=1) if answer else None
            )
        )
    # A follow-up comes as the engine makes them: 2 to 10 days after the step it follows, which a
    # summary relies on (a compacted follow-up's key is not kept: nothing can ask for it again).
    steps = [o for o in made if o.category in (Category.STEP, Category.PROMPT)]
    for n in follow_ups:
        if not steps:
            break
        followed = rng.choice(steps)
        at = followed.offered_at + timedelta(minutes=rng.randint(2 * 24 * 60, 10 * 24 * 60))
        if at < NOW:
            answer = None if never_answers else rng.choice(ANSWERS)
            made.append(
                Offer(
                    f"o{n}", f"follow_up:{followed.id}", followed.kind, Category.FOLLOW_UP, at, False, answer,
                    at + timedelta(hours=1) if answer else None,
                )
            )  # fmt: skip
    made.sort(key=lambda o: (o.offered_at, o.id))
    activities = tuple(
        sorted(
            (Activity(rng.choice(list(ActivityKind)), NOW - timedelta(hours=rng.randrange(1, 240))) for _ in range(rng.randint(0, 4))),
            key=lambda a: a.at,
        )
    )  # fmt: skip
    return History(tuple(made), activities)


@pytest.mark.parametrize("seed", range(300))
def test_a_compacted_history_plans_the_same(seed: int) -> None:
    """(Never-answerers reach streaks whose back-off overflows a timedelta: the two must still agree,
    error for error.)"""
    rng = random.Random(seed)
    person = random_person(rng)
    whole = random_history(rng, rng.choice((0, 3, 30, 100, 150)), never_answers=seed % 7 == 0)
    # Compacted some time ago (the summary was written then), planned now and later; in some runs
    # part of the content has ended by then, and the compaction is told which is still there.
    written = NOW - timedelta(days=rng.choice((0, 0, 1, 5, 30)))
    library = LIBRARY if seed % 3 else Library(BUILTIN, tuple(c for c in CONTENT if rng.random() < 0.6))
    compacted = compact(whole, written - COMPACT_AFTER, library if seed % 2 else None)
    assert len(compacted.offers) <= len(whole.offers)
    standing = Standing(introduced=True, started=True, auto_enrolled=bool(seed % 2))
    for now in (NOW, NOW + timedelta(hours=rng.randrange(1, 200))):
        assert retired_kinds(person, compacted) == retired_kinds(person, whole)
        assert done_evidence(compacted, library) == done_evidence(whole, library)
        assert outcome(next_due_at, person, compacted, now) == outcome(next_due_at, person, whole, now)
        for on_demand in (False, True):
            a = outcome(choose_nudge, person, whole, library, now, random.Random(seed), on_demand=on_demand)
            b = outcome(
                choose_nudge, person, compacted, library, now, random.Random(seed), on_demand=on_demand
            )
            assert a == b
        assert outcome(decide, person, compacted, standing, library, now, random.Random(seed)) == outcome(
            decide, person, whole, standing, library, now, random.Random(seed)
        )


def outcome(function: Callable[..., object], *args: object, **kwargs: object) -> object:
    """What ``function`` returns, or the type of what it raises."""
    try:
        return function(*args, **kwargs)
    except Exception as error:
        return type(error)


@pytest.mark.parametrize("seed", range(50))
def test_folding_in_steps_is_folding_at_once(seed: int) -> None:
    rng = random.Random(seed)
    offers = random_history(rng, 80, never_answers=False).offers
    cut = rng.randrange(len(offers))
    assert fold(fold(NOTHING_EARLIER, offers[:cut]), offers[cut:]) == fold(NOTHING_EARLIER, offers)


def test_a_summary_does_not_grow_with_follow_ups() -> None:
    """A follow-up's key is asked for only while what it followed is at most ten days old, so once
    the follow-up itself is folded nothing needs it: a year of them leaves ``Earlier`` no bigger.
    Nor does their "Done" (only a template's is evidence), which the step they followed also holds.
    Summaries written before that still hold some; the next fold lets them go."""
    made = []
    for week in range(52):
        at, answered = NOW - timedelta(weeks=60 - week), NOW - timedelta(weeks=60 - week, days=-4)
        step = Offer(f"s{week}", STEPS[week % len(STEPS)].id, STEPS[0].kind, Category.STEP, at, False, Answer.DONE, answered)  # fmt: skip
        made += [step, Offer(f"f{week}", f"follow_up:{step.id}", step.kind, Category.FOLLOW_UP, step.offered_at + timedelta(days=3), False, Answer.DONE, answered)]  # fmt: skip
    folded = fold(NOTHING_EARLIER, made)
    assert not any(key.startswith("follow_up:") for key in folded.keys)
    assert {key for key, _ in folded.done_keys} == {step.key for step in made[::2]}
    assert sum(count for _, count in folded.done_keys) == 52
    assert folded.counting == 104  # still counted toward the cap and the streak like any offer
    older = replace(
        folded,
        keys=folded.keys | {"follow_up:s0", "content:item-1"},
        done_keys=(*folded.done_keys, ("follow_up:s0", 1), ("celebrate:first-post", 1)),
    )
    again = fold(older, made[-1:])
    assert again.keys == folded.keys | {"content:item-1"}
    assert again.done_keys == folded.done_keys  # (the last offer is a follow-up: no Done of its own)


def test_ended_content_goes_even_when_nothing_is_folded() -> None:
    """A turn compacts each time it writes, so its summaries rarely have an offer old enough to fold:
    what has ended since goes all the same, and a history with nothing to change stays as it is."""
    earlier = fold(NOTHING_EARLIER, [Offer(f"o{n}", f"content:{CONTENT[n].id}", "share", Category.SHARE, NOW - timedelta(days=40 - n)) for n in range(3)])  # fmt: skip
    recent = (Offer("r", STEPS[0].id, STEPS[0].kind, Category.STEP, NOW - timedelta(days=1)),)
    compacted = compact(History(recent, earlier=earlier), NOW - COMPACT_AFTER, Library(BUILTIN, CONTENT[1:]))
    assert compacted.earlier.keys == {"content:item-1", "content:item-2"} and compacted.offers == recent
    unchanged = History(recent, earlier=earlier)
    assert compact(unchanged, NOW - COMPACT_AFTER, LIBRARY) is unchanged


def test_a_summary_keeps_the_content_that_may_still_be_offered() -> None:
    """An ended item is never offered again: its key goes at the next compaction, a live one's stays."""
    at = NOW - timedelta(days=40)
    made = tuple(
        Offer(f"o{n}", f"content:{item.id}", "share", Category.SHARE, at + timedelta(hours=n))
        for n, item in enumerate(CONTENT[:4])
    )
    still_there = Library(BUILTIN, CONTENT[2:])
    earlier = compact(History(made), NOW - COMPACT_AFTER, still_there).earlier
    assert earlier.keys == {"content:item-2", "content:item-3"} and earlier.counting == 4
    assert compact(History(made), NOW - COMPACT_AFTER).earlier.keys == {
        o.key for o in made
    }  # no library: all
