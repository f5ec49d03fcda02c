"""The pure conversation, turn by turn, with a fixed clock and seeded randomness."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from nudges.activities import Activity, ActivityKind
from nudges.dialogue import Outcome, Turn, respond
from nudges.events import Joined, Pressed, Said, Submitted
from nudges.library import Category, ContentItem, Library, Template
from nudges.messages import Action, Answer, Buttons, Fields, Message, Text, plain
from nudges.person import History, Person
from nudges.settings_form import pause_value
from nudges.zones import Zone

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)  # a Tuesday

LIBRARY = Library(
    templates=(
        Template(
            "c.follow",
            Zone.CONSUMER,
            Category.STEP,
            "follow-voices",
            "Follow three voices",
            "Follow three people who write about {topic}.",
            5,
            ActivityKind.FOLLOWED,
            follow_up="Did you find three voices?",
        ),
        Template(
            "c.ask",
            Zone.CONSUMER,
            Category.PROMPT,
            "ask-a-question",
            "Ask one question",
            "Ask one honest question about {topic} on {network}.",
            10,
            ActivityKind.ASKED,
        ),
        Template(
            "s.line",
            Zone.SHARER,
            Category.STEP,
            "comment-on-share",
            "Add one line",
            "Share something with one line of your own.",
            5,
            ActivityKind.SHARED_WITH_COMMENT,
        ),
    ),
    content=(
        ContentItem("c1", "Cloud report", "https://example.com/r", ("cloud",), {"linkedin": "Worth a read."}),
    ),
)


class Chat:
    """Plays turns against the pure engine, folding each outcome into the state like the shell does."""

    def __init__(self, person: Person | None = None) -> None:
        self.person = person or Person("ana@example.com", "Ana Lima")
        self.history = History()
        self.rng = random.Random(7)
        self.now = NOW

    def send(self, event: object) -> Outcome:
        outcome = respond(Turn(self.person, self.history, LIBRARY, self.now, self.rng), event)  # type: ignore[arg-type]
        answered = {offer_id: (answer, at) for offer_id, answer, at in outcome.answers}
        offers = tuple(
            replace(o, answer=answered[o.id][0], answered_at=answered[o.id][1]) if o.id in answered else o
            for o in self.history.offers
        )
        activities = self.history.activities
        if outcome.removed is not None:  # the store deletes the newest activity and its celebrations
            activities = activities[:-1]
            offers = tuple(o for o in offers if o.id not in outcome.removed.offer_ids)
        self.history = History(offers + outcome.offers, activities + outcome.activities)
        self.person = outcome.person
        return outcome

    def say(self, text: str) -> str:
        return "\n".join(text_of(m) for m in self.send(Said(text)).replies)


def text_of(message: Message) -> str:
    return "\n".join(plain(b.text) for b in message.blocks if isinstance(b, Text))


def onboarded_chat() -> Chat:
    chat = Chat()
    for line in ("hello", "linkedin", "cloud, hiring", "1", "2"):
        chat.say(line)
    assert chat.person.onboarded
    return chat


def test_first_words_start_onboarding_with_a_greeting_and_the_first_question() -> None:
    chat = Chat()
    outcome = chat.send(Said("hi"))
    assert outcome.started
    assert "Ana" in text_of(outcome.replies[0])
    assert [b.label for b in outcome.replies[1].buttons] == ["LinkedIn", "LinkedIn + X", "None yet"]
    assert chat.person.pending_question == "networks"


def test_onboarding_places_the_person_from_their_answers() -> None:
    chat = Chat()
    chat.say("hello")
    chat.send(Pressed(Action.CHOOSE, "linkedin, x"))
    chat.say("Cloud security, Hiring")
    chat.say("Liking and sharing")
    reply = chat.say("4")
    assert chat.person.onboarded and chat.person.pending_question is None
    assert chat.person.networks == ("linkedin", "x")
    assert chat.person.topics == ("cloud security", "hiring")
    assert chat.person.zone == Zone.SHARER
    assert chat.person.weekly_cap == 4
    assert "Content Sharer" in reply


def test_a_misunderstood_answer_changes_nothing_and_repeats_the_question() -> None:
    chat = Chat()
    chat.say("hello")
    reply = chat.say("myspace")
    assert "I know these networks" in reply
    assert chat.person.pending_question == "networks"
    assert chat.person.networks == ()


def test_help_and_journey_work_in_the_middle_of_onboarding() -> None:
    chat = Chat()
    chat.say("hello")
    assert "next" in chat.say("help")
    journey = chat.send(Said("journey")).replies[0]
    assert "Content Consumer" in "\n".join(text_of(journey).splitlines())
    assert chat.person.pending_question == "networks"


def test_next_offers_one_nudge_and_done_logs_its_evidence_and_updates_the_message() -> None:
    chat = onboarded_chat()
    chat.rng = random.Random(3)
    outcome = chat.send(Said("next"))
    (offer,) = outcome.offers
    message = outcome.replies[0]
    assert message.offer_id == offer.id
    done = next(b for b in message.buttons if b.action == Action.DONE or b.action == Action.SHARED_IT)
    pressed = chat.send(Pressed(done.action, done.value))
    assert pressed.answers[0][:2] == (offer.id, Answer.DONE)
    assert len(pressed.activities) == 1
    assert pressed.replace is not None and not any(isinstance(b, Buttons) for b in pressed.replace.blocks)
    # Pressing the old button again is harmless: nothing is logged twice.
    again = chat.send(Pressed(done.action, done.value))
    assert again.activities == () and again.answers == ()


def test_not_for_me_retires_the_kind() -> None:
    chat = onboarded_chat()
    outcome = chat.send(Said("next"))
    (offer,) = outcome.offers
    chat.send(Pressed(Action.NOT_FOR_ME, offer.id))
    assert offer.kind in chat.person.retired_kinds


def yes_to(chat: Chat, text: str) -> Outcome:
    """Say ``text`` and press *Yes, note it* on the confirmation it brings."""
    asked = chat.send(Said(text))
    assert asked.activities == ()
    (yes,) = [b for m in asked.replies for b in m.buttons if b.action == Action.NOTE_IT]
    return chat.send(Pressed(yes.action, yes.value))


def test_logging_in_free_text_moves_the_zone_and_celebrates_once() -> None:
    chat = onboarded_chat()
    assert chat.person.zone == Zone.CONSUMER
    first = yes_to(chat, "I shared an article")
    assert first.activities[0].kind == ActivityKind.SHARED
    assert any("first share" in text_of(m).lower() for m in first.replies)
    chat.say("log shared a post with my own comment")
    third = yes_to(chat, "I shared a video")
    assert chat.person.zone == Zone.SHARER
    assert any("Content Sharer" in text_of(m) for m in third.replies)
    celebrated = [o.key for o in chat.history.offers if o.category == Category.CELEBRATION]
    assert len(celebrated) == len(set(celebrated)) == 3


def test_a_person_can_say_where_they_are() -> None:
    chat = onboarded_chat()
    chat.say("I'm a creator")
    assert chat.person.zone == Zone.CREATOR


def test_pause_and_resume() -> None:
    chat = onboarded_chat()
    chat.say("pause 14")
    assert chat.person.paused_until == NOW + timedelta(days=14)
    assert "How long a break" in chat.say("pause forever")
    chat.say("resume")
    assert chat.person.paused_until is None


def test_settings_form_applies_all_or_nothing() -> None:
    chat = onboarded_chat()
    bad = chat.send(Submitted("settings", {"timezone": "Mars/Base", "topics": "space"}))
    assert "Mars/Base" in text_of(bad.replies[0])
    assert chat.person.topics == ("cloud", "hiring")
    chat.send(
        Submitted("settings", {"timezone": "Europe/Berlin", "work_start": "08:00", "work_end": "12:00"})
    )
    assert chat.person.schedule.timezone == "Europe/Berlin"
    assert chat.person.schedule.work_end.hour == 12


def test_the_settings_form_pauses_for_days_keeps_a_pause_and_ends_it() -> None:
    chat = onboarded_chat()
    chat.send(Submitted("settings", {"pause": "7"}))
    assert chat.person.paused_until == NOW + timedelta(days=7)
    assert pause_value(chat.person, NOW) == (NOW + timedelta(days=7)).isoformat()
    chat.send(Submitted("settings", {"topics": "design", "pause": pause_value(chat.person, NOW)}))
    assert chat.person.paused_until == NOW + timedelta(days=7) and chat.person.topics == ("design",)
    refused = chat.send(Submitted("settings", {"topics": "space", "pause": "forever"}))
    assert "How long a pause?" in text_of(refused.replies[0]) and chat.person.topics == ("design",)
    chat.send(Submitted("settings", {"pause": "off"}))
    assert chat.person.paused_until is None and pause_value(chat.person, NOW) == "off"


def test_set_commands_in_chat() -> None:
    chat = onboarded_chat()
    chat.say("set quiet 20:00-08:00")
    assert chat.person.schedule.quiet_start is not None
    assert "range" in chat.say("set hours 9")
    chat.say("set networks mastodon, bluesky")
    assert chat.person.networks == ("mastodon", "bluesky")


def test_stop_opts_out_and_start_comes_back() -> None:
    chat = onboarded_chat()
    chat.say("stop")
    assert chat.person.opted_out
    chat.say("start")
    assert not chat.person.opted_out


def test_joined_shows_one_welcome() -> None:
    outcome = Chat().send(Joined())
    assert outcome.introduced
    assert any(b.action == Action.START for b in outcome.replies[0].buttons)


@pytest.mark.parametrize("text", ["done", "later", "not for me"])
def test_answer_words_with_nothing_open_say_so_gently(text: str) -> None:
    chat = onboarded_chat()
    assert "nothing open" in chat.say(text)


def test_unknown_text_points_to_help_without_logging() -> None:
    chat = onboarded_chat()
    outcome = chat.send(Said("what a lovely day"))
    assert outcome.activities == ()
    assert "help" in text_of(outcome.replies[0])


def test_history_of_activities_counts_toward_progress() -> None:
    chat = onboarded_chat()
    chat.history = History(activities=tuple(Activity(ActivityKind.ORIGINAL_PIECE, NOW) for _ in range(1)))
    chat.say("log I wrote a blog post about cloud costs")
    assert chat.person.zone == Zone.CREATOR


def test_offer_ids_stay_unique_when_a_restart_replays_the_same_seed() -> None:
    # Two processes started with the same RANDOM_SEED replay the same random numbers; the ids they
    # hand out must still differ, or the second offer would collide with the first in the store.
    first, second = onboarded_chat(), onboarded_chat()
    second.now = NOW + timedelta(minutes=3)
    ids = [chat.send(Said("next")).offers[0].id for chat in (first, second)]
    assert ids[0] != ids[1]
    assert first.send(Said("next")).offers[0].id != ids[0]  # and within one process, too


def test_a_declared_zone_stands_until_new_evidence_crosses_a_threshold() -> None:
    chat = onboarded_chat()
    for _ in range(3):
        chat.say("log I shared an article")
    assert chat.person.zone == Zone.SHARER
    chat.say("I'm a consumer")
    assert chat.person.zone == Zone.CONSUMER
    chat.say("log I replied to comments")
    chat.say("log I shared a video")  # a fourth share: the sharer threshold was crossed long ago
    assert chat.person.zone == Zone.CONSUMER
    fields = chat.send(Said("journey")).replies[0].blocks
    toward = next(b for b in fields if isinstance(b, Fields)).pairs[1]
    assert toward == ("Toward Content Sharer", "you're there already: say _I'm a sharer_ when it feels right")
    chat.say("log I wrote a blog post")
    lifted = yes_to(chat, "I wrote an article about hiring")  # the second original: a creator now
    assert chat.person.zone == Zone.CREATOR
    assert any("Content Creator" in text_of(m) for m in lifted.replies)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("I'm a sharer", Zone.SHARER),
        ("I’m a Sharer!", Zone.SHARER),
        ("i am now a content creator", Zone.CREATOR),
        ("I'm more of a reader", Zone.CONSUMER),
        ("I'm socially engaged", Zone.ENGAGED),
        ("im an ambassador now", Zone.ENGAGED),
        ("zone 3", Zone.CREATOR),
        ("my zone is sharer", Zone.SHARER),
        ("I'm not a creator", Zone.CONSUMER),
        ("I'm engaged in a thread", Zone.CONSUMER),
        ("I'm sharing this with my team", Zone.CONSUMER),
        ("I'm creating a post", Zone.CONSUMER),
        ("zone 5", Zone.CONSUMER),
    ],
)
def test_only_a_whole_declaration_moves_the_zone(text: str, zone: Zone) -> None:
    chat = onboarded_chat()
    chat.say(text)
    assert chat.person.zone == zone


# --- commands at any moment, onboarding included ------------------------------------------------


def questions_in(outcome: Outcome) -> list[str]:
    return [m.fallback for m in outcome.replies if m.fallback.startswith("Question ")]


def test_saying_where_you_are_before_onboarding_starts_it_without_the_habits_question() -> None:
    chat = Chat()
    outcome = chat.send(Said("I'm a sharer"))
    assert chat.person.zone == Zone.SHARER and outcome.started
    assert questions_in(outcome) == [
        "Question 1 of 4: Which networks do you use, or would like to use? Picking just one is perfect."
    ]
    chat.say("linkedin")
    reply = chat.send(Said("cloud"))
    assert [q[:13] for q in questions_in(reply)] == ["Question 4 of"]  # "how do you use it?" was answered
    chat.say("2")
    assert chat.person.onboarded and chat.person.zone == Zone.SHARER
    assert chat.person.topics == ("cloud",)


@pytest.mark.parametrize(
    ("step", "asked"),
    [(2, "Question 2 of"), (3, "Question 4 of"), (4, "Question 4 of")],  # habits (3) is never asked
)
def test_saying_where_you_are_during_onboarding_moves_you_and_carries_on(step: int, asked: str) -> None:
    chat = Chat()
    for line in ("hello", "linkedin", "cloud", "1")[:step]:
        chat.say(line)
    assert chat.person.pending_question == ("networks", "topics", "habits", "time")[step - 1]
    outcome = chat.send(Said("I'm a creator"))
    assert chat.person.zone == Zone.CREATOR
    assert [q[:13] for q in questions_in(outcome)] == [asked]
    assert "i'm a creator" not in chat.person.topics
    chat.say("cloud")
    assert chat.person.pending_question == "time" or chat.person.onboarded


def test_a_declared_consumer_at_the_habits_question_is_not_asked_it_again() -> None:
    chat = Chat()
    for line in ("hello", "linkedin", "cloud"):
        chat.say(line)
    outcome = chat.send(Said("I'm a consumer"))
    assert [q[:13] for q in questions_in(outcome)] == ["Question 4 of"]


@pytest.mark.parametrize(
    "text", ["next", "log I shared an article", "help", "settings", "set cap 3", "pause 3", "resume"]
)
def test_commands_at_the_topics_question_are_commands_and_the_question_comes_back(text: str) -> None:
    chat = Chat()
    chat.say("hello")
    chat.say("linkedin")
    outcome = chat.send(Said(text))
    assert chat.person.topics == () and chat.person.pending_question == "topics"
    assert [q[:13] for q in questions_in(outcome)] == ["Question 2 of"]
    chat.say("cloud")
    assert chat.person.topics == ("cloud",)


def test_next_during_onboarding_says_the_first_step_follows_the_questions() -> None:
    chat = Chat()
    chat.say("hello")
    outcome = chat.send(Said("next"))
    assert outcome.offers == ()
    assert "as soon as we've finished these questions" in text_of(outcome.replies[0])


def test_a_log_during_onboarding_counts_and_is_celebrated() -> None:
    chat = Chat()
    chat.say("hello")
    outcome = chat.send(Said("log I shared an article"))
    assert [a.kind for a in outcome.activities] == [ActivityKind.SHARED]
    assert "first_share" in chat.person.milestones


@pytest.mark.parametrize("text", ["not for me", "done", "nope"])
def test_answer_words_during_onboarding_skip_the_question(text: str) -> None:
    chat = Chat()
    chat.say("hello")
    chat.say("linkedin")
    chat.say(text)
    assert chat.person.topics == () and chat.person.pending_question == "habits"


def test_the_journey_map_mid_onboarding_offers_to_continue_the_questions() -> None:
    chat = Chat()
    chat.say("hello")
    chat.say("linkedin")
    journey = chat.send(Said("journey")).replies[0]
    (button,) = journey.buttons
    assert (button.label, button.action) == ("Continue the questions", Action.START)
    assert "Question 2 of 4: Which topics do you care about at work?" in text_of(journey)
    again = chat.send(Pressed(button.action, button.value))
    assert questions_in(again)[0].startswith("Question 2 of 4") and chat.person.pending_question == "topics"
    # An old map's "Next step" button (or typing start) never lands in the answers either.
    chat.send(Pressed(Action.NEXT))
    chat.say("start")
    assert chat.person.topics == () and chat.person.pending_question == "topics"


def test_before_onboarding_the_map_offers_to_start() -> None:
    (button,) = Chat().send(Said("journey")).replies[0].buttons
    assert (button.label, button.action) == ("Let's start", Action.START)


def test_help_mid_onboarding_repeats_the_question_and_mentions_quit() -> None:
    chat = Chat()
    chat.say("hello")
    outcome = chat.send(Said("help"))
    assert "quit: end this chat" in text_of(outcome.replies[0])
    assert questions_in(outcome)[0].startswith("Question 1 of 4")


def test_one_hello_after_the_welcome() -> None:
    chat = Chat()
    chat.send(Joined())
    outcome = respond(Turn(chat.person, chat.history, LIBRARY, NOW, chat.rng, introduced=True), Said("hi"))
    assert "Hi Ana" not in text_of(outcome.replies[0])
    assert questions_in(outcome)[0].startswith("Question 1 of 4")
    assert "Hi Ana" in Chat().say("hi")  # without a welcome first, the hello is the introduction


# --- pauses, stop and the person's own clock ------------------------------------------------------


def test_next_while_paused_says_until_when_in_their_time_zone_and_how_to_resume() -> None:
    chat = onboarded_chat()
    chat.say("set timezone Pacific/Auckland")
    chat.now = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)  # Wednesday 09:00 in Auckland
    assert "until Saturday 7 March" in chat.say("pause 3")  # Friday 20:00 UTC is Saturday there
    reply = chat.say("next")
    assert "break until Saturday 7 March" in reply and "Say resume" in reply
    assert chat.history.offers == ()
    settings = chat.send(Said("settings")).replies[0]
    fields = dict(next(b for b in settings.blocks if isinstance(b, Fields)).pairs)
    assert fields["Paused until"] == "Saturday 7 March 2026, 09:00"


def test_start_after_stop_says_a_pause_still_holds() -> None:
    chat = onboarded_chat()
    chat.say("pause 14")
    chat.say("stop")
    assert "Nudges are off" in chat.say("next")
    reply = chat.say("start")
    assert not chat.person.opted_out and chat.person.paused_until is not None
    assert "Nudges are on" in reply and "until Tuesday 17 March" in reply and "Say resume" in reply


def test_edit_settings_in_plain_text_says_how_to_change_them() -> None:
    chat = onboarded_chat()
    outcome = chat.send(Pressed(Action.OPEN_SETTINGS))
    assert "set topics cloud security, hiring" in text_of(outcome.replies[0])
    assert not any(m.buttons for m in outcome.replies)


def test_milestones_are_listed_in_the_order_they_were_reached() -> None:
    chat = onboarded_chat()
    chat.say("log I wrote a short post")
    chat.say("log I replied to comments")
    chat.say("log I shared an article")
    fields = next(b for b in chat.send(Said("journey")).replies[0].blocks if isinstance(b, Fields))
    assert dict(fields.pairs)["Milestones"] == "First own post, First conversation, First share"


def test_a_sentence_is_noted_only_after_yes_and_only_once() -> None:
    chat = onboarded_chat()
    asked = chat.send(Said("I shared an article"))
    assert asked.activities == () and chat.history.activities == ()
    assert "shall i note it" in text_of(asked.replies[0]).lower()
    yes, no = asked.replies[0].buttons
    assert (yes.label, no.label) == ("Yes, note it", "No")
    declined = chat.send(Pressed(no.action, no.value))
    assert declined.activities == () and declined.offers == ()
    assert declined.replace is not None and not declined.replace.buttons
    noted = chat.send(Pressed(yes.action, yes.value))
    assert [a.kind for a in noted.activities] == [ActivityKind.SHARED]
    assert noted.activities[0].note == "i shared an article"
    assert noted.replace is not None and "noted" in text_of(noted.replace)
    again = chat.send(Pressed(yes.action, yes.value))  # a double click
    assert again.activities == () and "Already noted" in text_of(again.replies[0])


@pytest.mark.parametrize("value", ["", "shared", "nonsense|words", "|"])
def test_a_malformed_yes_button_notes_nothing(value: str) -> None:
    chat = onboarded_chat()
    outcome = chat.send(Pressed(Action.NOTE_IT, value))
    assert outcome.activities == ()
    assert "log" in text_of(outcome.replies[0])


@pytest.mark.parametrize("text", ["log didn't share it", "log will post tomorrow", "log should I share?"])
def test_even_an_explicit_log_of_something_not_done_notes_nothing(text: str) -> None:
    chat = onboarded_chat()
    assert chat.send(Said(text)).activities == ()


def test_undo_takes_back_the_activity_its_zone_move_and_its_celebrations() -> None:
    chat = onboarded_chat()
    chat.say("log shared an article")
    chat.say("log shared a video")
    before = (chat.person, chat.history)
    third = yes_to(chat, "I shared the report")
    assert chat.person.zone == Zone.SHARER
    assert any(o.category == Category.CELEBRATION for o in third.offers)
    undone = chat.send(Said("that's wrong"))
    said = text_of(undone.replies[0])
    assert "removed" in said and "Content Consumer" in said
    assert undone.removed is not None and undone.removed.activity == third.activities[0]
    assert set(undone.removed.offer_ids) == {o.id for o in third.offers}
    # What the person saw last (so replies vary) is remembered; everything else is as before.
    assert (replace(chat.person, recent_lines=()), chat.history) == (
        replace(before[0], recent_lines=()),
        before[1],
    )
    chat.say("undo")
    chat.say("undo")
    assert chat.history.activities == ()
    assert "nothing logged" in chat.say("undo")


def test_undo_of_a_first_share_takes_its_milestone_but_keeps_the_zone() -> None:
    chat = onboarded_chat()
    chat.say("log shared an article")
    assert chat.person.milestones
    outcome = chat.send(Pressed(Action.UNDO))
    assert "milestone" in text_of(outcome.replies[0])
    assert chat.person.milestones == frozenset() and chat.person.zone == Zone.CONSUMER


def test_every_five_original_pieces_are_recognised_once_whatever_the_results() -> None:
    chat = onboarded_chat()
    chat.history = History(activities=tuple(Activity(ActivityKind.ORIGINAL_PIECE, NOW) for _ in range(8)))
    chat.person = replace(chat.person, milestones=frozenset({"five_originals", "first_own_post"}))
    said = [chat.say("log I wrote a blog post about cloud costs") for _ in range(7)]  # pieces 9 to 15
    recognised = [n for n, text in enumerate(said, start=9) if "original pieces" in text]
    assert recognised == [10, 15]
    assert "10 original pieces" in said[1]
    keys = [o.key for o in chat.history.offers if o.category == Category.CELEBRATION]
    assert keys.count("celebrate:originals_10") == 1 and keys.count("celebrate:originals_15") == 1
    chat.say("undo")  # the fifteenth piece taken back: so is its recognition
    assert "originals_15" not in chat.person.milestones and "originals_10" in chat.person.milestones
