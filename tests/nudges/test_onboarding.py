"""Onboarding state is what it means: the pending question's name, and when the person finished."""

from __future__ import annotations

from datetime import UTC, datetime

from nudges import onboarding
from nudges.person import Person
from nudges.zones import Zone

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_answers_move_from_name_to_name_and_the_last_one_records_when() -> None:
    person = onboarding.begin(Person("ana@example.com"), NOW)
    seen = []
    for text in ("linkedin", "cloud", "2", "1"):
        question = onboarding.current(person)
        assert question is not None and person.pending_question == question.name and not person.onboarded
        seen.append(question.name)
        person = onboarding.answer(person, text, NOW)
    assert seen == ["networks", "topics", "habits", "time"]
    assert person.onboarded_at == NOW and person.pending_question is None and not person.mid_onboarding


def test_a_name_no_question_has_any_more_starts_the_questions_over() -> None:
    person = Person("ana@example.com", pending_question="a-question-since-removed")
    assert person.mid_onboarding
    assert onboarding.current(person) == onboarding.QUESTIONS[0]
    assert onboarding.answer(person, "linkedin", NOW).pending_question == "topics"


def test_someone_placed_beyond_the_first_zone_skips_the_habits_question_by_name() -> None:
    person = Person("ana@example.com", zone=Zone.CREATOR, pending_question="topics")
    assert onboarding.answer(person, "cloud", NOW).pending_question == "time"
    assert onboarding.still_to_ask(person.evolve(pending_question="habits")) == onboarding.QUESTIONS[3]


def test_the_question_number_is_its_place_now() -> None:
    assert [onboarding.number(q) for q in onboarding.QUESTIONS] == [1, 2, 3, 4]
    assert onboarding.questions_left(Person("a", pending_question="time")) == 1
    assert onboarding.questions_left(Person("a", onboarded_at=NOW)) == 0
