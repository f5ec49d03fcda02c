"""``choose_or_next_due`` reads a history once for the scheduler's two questions: it must answer
exactly what ``choose_nudge`` and ``next_due_at`` answer apart, in every state a person can be in."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from nudges.person import History, Person
from nudges.selection import choose_nudge, choose_or_next_due, next_due_at
from tests.nudges.test_compact import LIBRARY, NOW, outcome, random_history, random_person


def some_state(person: Person, rng: random.Random) -> Person:
    """Someone paused, not onboarded, opted out or quite ordinary."""
    roll = rng.random()
    if roll < 0.1:
        return person.evolve(paused_until=NOW + timedelta(days=rng.randint(0, 20)))
    if roll < 0.15:
        return person.evolve(onboarded_at=None)
    if roll < 0.2:
        return person.evolve(opted_out=True)
    return person


def apart(person: Person, history: History, now: datetime, seed: int) -> object:
    """What the scheduler got asking the two questions one after the other (an error from either:
    never-answerers' back-off can overflow a timedelta, and must still do so)."""
    nudge = outcome(choose_nudge, person, history, LIBRARY, now, random.Random(seed))
    if nudge is not None:
        return nudge if isinstance(nudge, type) else (nudge, None)
    due = outcome(next_due_at, person, history, now)
    return due if isinstance(due, type) else (None, due)


@pytest.mark.parametrize("seed", range(400))
def test_one_look_answers_as_the_two_questions_apart(seed: int) -> None:
    rng = random.Random(seed)
    person = some_state(random_person(rng), rng)
    history = random_history(rng, rng.choice((0, 2, 5, 12, 40, 120)), never_answers=seed % 5 == 0)
    # Any hour of the week: inside and outside the window, on working days and weekends.
    for now in (
        NOW,
        NOW + timedelta(minutes=rng.randrange(7 * 24 * 60)),
        NOW + timedelta(days=rng.randrange(30)),
    ):
        together = outcome(choose_or_next_due, person, history, LIBRARY, now, random.Random(seed))
        assert together == apart(person, history, now, seed)


def test_a_capped_person_is_told_when_the_cap_frees() -> None:
    """Not only "nothing now": the instant matches next_due_at's, and it is in the future."""
    rng = random.Random(3)
    found = 0
    for seed in range(200):
        person = random_person(rng).evolve(milestones=frozenset())
        history = random_history(rng, 40, never_answers=False)
        nudge, due = choose_or_next_due(person, history, LIBRARY, NOW, random.Random(seed))
        if nudge is None and due is not None and due > NOW:
            assert due == next_due_at(person, history, NOW)
            found += 1
    assert found > 20  # the generator does make capped people
