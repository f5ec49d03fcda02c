"""``choose_or_next_due`` reads a history once for the scheduler's two questions: it must answer
exactly what ``choose_nudge`` and ``next_due_at`` answer apart, in every state a person can be in."""

from __future__ import annotations

import random
from collections.abc import Iterator
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


def capped(seed: int) -> Iterator[tuple[Person, History, int, datetime]]:
    """People (without milestones) with nothing now and a next instant after ``NOW``, with the seed
    that planned them and that instant."""
    rng = random.Random(seed)
    for each in range(200):
        person = random_person(rng).evolve(milestones=frozenset())
        history = random_history(rng, 40, never_answers=False)
        nudge, due = choose_or_next_due(person, history, LIBRARY, NOW, random.Random(each))
        if nudge is None and due is not None and due > NOW:
            yield person, history, each, due


def test_a_capped_person_is_told_when_the_cap_frees() -> None:
    """Not only "nothing now": the instant matches next_due_at's, and it is in the future."""
    found = 0
    for person, history, _, due in capped(3):
        assert due == next_due_at(person, history, NOW)
        found += 1
    assert found > 20  # the generator does make capped people


def bounded(answer: tuple[object, datetime | None], until: datetime) -> tuple[object, datetime | None]:
    """``apart``'s answer (not an error) as it reads with a next look at ``until``: the earlier of
    the two."""
    nudge, due = answer
    return answer if nudge is not None else (None, until if due is None or due >= until else due)


@pytest.mark.parametrize("seed", range(300))
def test_a_bound_on_the_answer_changes_nothing_before_it(seed: int) -> None:
    """With ``until`` (the scheduler's next look anyway), the answer is the exact one when it comes
    earlier, and ``until`` otherwise, "never" included; nudges are the same."""
    rng = random.Random(seed)
    person = some_state(random_person(rng), rng)
    history = random_history(rng, rng.choice((0, 2, 5, 12, 40, 120)), never_answers=seed % 5 == 0)
    now = NOW + timedelta(minutes=rng.randrange(7 * 24 * 60))
    for until in (
        now,
        now + timedelta(hours=rng.randrange(1, 48)),
        now + timedelta(days=1),
        now + timedelta(days=9),
    ):
        exact = apart(person, history, now, seed)
        with_bound = outcome(
            choose_or_next_due, person, history, LIBRARY, now, random.Random(seed), until=until
        )
        if isinstance(exact, type):
            continue  # an overflowing back-off: a bound may spare working it out
        assert with_bound == bounded(exact, until)
        if exact[0] is None:  # type: ignore[index]
            assert next_due_at(person, history, now, until=until) == with_bound[1]  # type: ignore[index]


def test_a_bound_spares_the_capped_their_windows() -> None:
    """The point of ``until``: someone whose cap frees in days gets ``until`` back, where the exact
    answer is later (so this test fails if the bound is ignored)."""
    bound, spared = NOW + timedelta(days=1), 0
    for person, history, seed, due in capped(5):
        if due > bound:
            found = choose_or_next_due(person, history, LIBRARY, NOW, random.Random(seed), until=bound)
            assert found == (None, bound)
            spared += 1
    assert spared > 10
