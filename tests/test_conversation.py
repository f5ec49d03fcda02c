"""The conversation service on a real database: load, respond, save."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

from bot.conversation.service import Conversation
from bot.store.store import Store
from nudges.catalogue import BUILTIN
from nudges.events import Inbound, Joined, PersonRef, Pressed, Said, Submitted
from nudges.messages import Action

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
ANA = PersonRef(
    "slack", "U0ANA", tenant="T1", email="ana@example.com", name="Ana Lima", timezone="Europe/Lisbon"
)


def conversation(store: Store) -> Conversation:
    return Conversation(store, BUILTIN, lambda: NOW, random.Random(5))


async def test_one_welcome_however_often_a_person_joins(store: Store) -> None:
    talk = conversation(store)
    first = await talk.handle(Inbound(ANA, Joined(), address="D1"))
    second = await talk.handle(Inbound(ANA, Joined(), address="D1"))
    assert len(first.replies) == 1
    assert second.replies == ()


async def test_a_greeting_in_chat_counts_as_the_introduction(store: Store) -> None:
    talk = conversation(store)
    greeted = await talk.handle(Inbound(ANA, Said("hello"), address="D1"))
    assert "Question 1 of 4" in greeted.replies[1].fallback
    joined = await talk.handle(Inbound(ANA, Joined(), address="D1"))
    assert joined.replies == ()


async def test_state_survives_between_turns(store: Store) -> None:
    talk = conversation(store)
    for text in ("hi", "linkedin", "cloud", "2", "1", "log I shared an article with my own comment"):
        handled = await talk.handle(Inbound(ANA, Said(text), address="D1"))
    person, history = await store.load_all(handled.person_id)
    assert person.onboarded and person.networks == ("linkedin",) and person.weekly_cap == 1
    assert person.schedule.timezone == "Europe/Lisbon"
    assert [a.kind.value for a in history.activities] == ["shared_with_comment"]
    assert {"first_share", "first_own_comment"} <= person.milestones
    assert await store.address_of(handled.person_id, "slack") == "D1"


async def test_after_the_welcome_a_hello_is_not_answered_with_a_second_hello(store: Store) -> None:
    talk = conversation(store)
    (welcome,) = (await talk.handle(Inbound(ANA, Joined(), address="D1"))).replies
    assert "Hi Ana!" in welcome.fallback
    started = await talk.handle(Inbound(ANA, Said("hi"), address="D1"))
    assert not any("Hi Ana" in message.fallback for message in started.replies)
    assert "Question 1 of 4" in started.replies[1].fallback


async def test_a_time_zone_set_in_chat_is_not_replaced_by_the_platforms_guess(store: Store) -> None:
    talk = conversation(store)
    bo = PersonRef("slack", "U0BO", tenant="T1", email="bo@example.com", name="Bo")  # no tz from Slack yet
    for text in ("hi", "linkedin", "cloud", "2", "1", "set timezone UTC"):
        handled = await talk.handle(Inbound(bo, Said(text), address="D2"))
    await talk.handle(Inbound(replace(bo, timezone="Asia/Tokyo"), Said("journey"), address="D2"))
    person, _ = await store.load_all(handled.person_id)
    assert person.schedule.timezone == "UTC"


async def test_a_settings_form_saved_for_its_topics_does_not_pin_the_default_time_zone(store: Store) -> None:
    talk = conversation(store)
    bo = PersonRef("slack", "U0BO", tenant="T1", email="bo@example.com", name="Bo")
    await talk.handle(Inbound(bo, Said("hi"), address="D2"))
    form = {"topics": "cloud", "timezone": "UTC", "work_start": "09:30", "work_end": "16:30"}
    handled = await talk.handle(Inbound(bo, Submitted("settings", form), address="D2"))
    await talk.handle(Inbound(replace(bo, timezone="Asia/Tokyo"), Said("journey"), address="D2"))
    person, _ = await store.load_all(handled.person_id)
    assert person.schedule.timezone == "Asia/Tokyo" and person.topics == ("cloud",)
    form["timezone"] = "Europe/Paris"  # changed in the form: that is a choice
    await talk.handle(Inbound(bo, Submitted("settings", form), address="D2"))
    person, _ = await store.load_all(handled.person_id)
    assert person.schedule.timezone == "Europe/Paris"


async def test_a_confirmed_sentence_is_saved_and_undo_deletes_it_with_its_celebrations(store: Store) -> None:
    talk = conversation(store)
    for text in ("hi", "linkedin", "cloud", "1", "2", "log shared a post", "log shared a video"):
        handled = await talk.handle(Inbound(ANA, Said(text), address="D1"))
    person_id = handled.person_id
    asked = await talk.handle(Inbound(ANA, Said("I reposted the launch news"), address="D1"))
    (yes,) = [b for m in asked.replies for b in m.buttons if b.action == Action.NOTE_IT]
    assert len((await store.load_all(person_id))[1].activities) == 2  # nothing yet: only asked
    await talk.handle(Inbound(ANA, Pressed(yes.action, yes.value), address="D1"))
    person, history = await store.load_all(person_id)
    assert len(history.activities) == 3 and "reached_sharer" in person.milestones
    celebrated = {o.key for o in history.offers if o.key.startswith("celebrate:")}
    assert "celebrate:reached_sharer" in celebrated

    undone = await talk.handle(Inbound(ANA, Said("that's wrong"), address="D1"))
    assert "removed" in undone.replies[0].fallback
    person, history = await store.load_all(person_id)
    assert [a.note for a in history.activities] == ["shared a post", "shared a video"]
    assert "reached_sharer" not in person.milestones and person.zone.name == "CONSUMER"
    left = {o.key for o in history.offers if o.key.startswith("celebrate:")}
    assert left == {"celebrate:first_share"}
