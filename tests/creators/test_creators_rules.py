"""The pure rules of creators' support (nudges/creators.py): who is asked, in which order, when a
reminder is due, what a form refuses; and that any Teams card data for these forms parses or is
refused, never crashes."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from adapters.teams.parse import card_event
from nudges import creators
from nudges.creators import Candidate, Form, Queued
from nudges.events import Submitted
from nudges.zones import Zone

WED = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_socially_engaged_authors_go_first_then_the_oldest() -> None:
    queue = [
        Queued("a", "Old sharer", Zone.SHARER, WED),
        Queued("b", "New ambassador", Zone.ENGAGED, WED.replace(hour=12)),
        Queued("c", "Old ambassador", Zone.ENGAGED, WED.replace(hour=11)),
        Queued("d", "Creator", Zone.CREATOR, WED.replace(hour=9)),
    ]
    assert [q.request_id for q in creators.queue_order(queue)] == ["c", "b", "d", "a"]


def test_a_reminder_is_due_a_working_day_later() -> None:
    assert creators.reminder_due(WED) == WED.replace(day=3)
    friday = WED.replace(day=4)
    assert creators.reminder_due(friday) == WED.replace(day=7)  # Monday
    assert creators.reminder_due(WED.replace(day=5)) == WED.replace(day=7)  # Saturday's: Monday


def test_who_is_asked() -> None:
    people = [
        Candidate(1, "author@x", Zone.ENGAGED, ("cloud",), frozenset({"employee", "editor"})),
        Candidate(2, "ed@x", Zone.CONSUMER, (), frozenset({"employee", "editor"})),
        Candidate(3, "gone@x", Zone.SHARER, ("cloud",), frozenset({"employee", "editor"}), opted_out=True),
        Candidate(4, "sharer@x", Zone.SHARER, ("cloud security",)),
        Candidate(5, "other@x", Zone.SHARER, ("hiring",)),
        Candidate(6, "amb@x", Zone.ENGAGED, ("security",)),
    ]
    assert [p.person_id for p in creators.editors(people, author_id=1)] == [2]  # never the author
    assert [p.person_id for p in creators.amplifiers(people, 1, ("security",))] == [4]
    assert [p.person_id for p in creators.amplifiers(people, 4, ())] == [5]  # no topics: every Sharer
    assert [p.person_id for p in creators.ambassadors(people, 2, ("cloud security",))] == [1, 6]
    assert creators.ambassadors(people, 2, ("gardening",)) == []


def test_forms_refuse_what_is_missing_too_long_or_not_a_link() -> None:
    assert creators.check(Form.EDIT, {"draft": "A draft."}) == {}
    assert set(creators.check(Form.EDIT, {"draft": " ", "note": "n" * 501})) == {"draft", "note"}
    assert "8,000" in creators.check(Form.EDIT, {"draft": "x" * 8001})["draft"]
    assert set(creators.check(Form.AMPLIFY, {"url": "acme.io/post", "title": "T"})) == {"url"}
    assert creators.check(Form.AMPLIFY, {"url": "https://acme.io/post", "title": "T"}) == {}
    assert set(creators.check(Form.TOPIC, {"why": "because"})) == {"topic"}


def test_every_word_says_edits_keep_the_authors_voice() -> None:
    for message in (creators.draft_received("T", 2), creators.how_to(Form.EDIT)):
        assert "voice" in message.fallback
    assert "voice" in creators.form_spec(Form.EDIT).intro


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(
    st.sampled_from([f.value for f in Form]),
    st.dictionaries(
        st.sampled_from(["draft", "title", "note", "ref", "url", "topic", "suggestions", "x"]), _json
    ),
)
def test_any_creators_card_data_is_a_submission_of_text_never_a_crash(form: str, data: dict) -> None:
    found = card_event({**data, "form": form})
    assert isinstance(found, Submitted) and found.form == form
    assert all(isinstance(v, str) for v in found.values.values())
    creators.check(Form(form), found.values)  # and checking it never crashes either
