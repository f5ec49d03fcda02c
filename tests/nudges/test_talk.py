"""Talking like a thoughtful colleague: onboarding that understands free answers and recaps them,
buttons bound to their question, breaks as people say them, and replies that do not repeat."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from nudges import noting, onboarding, places, views, when
from nudges.activities import Activity, ActivityKind
from nudges.events import Joined, Pressed, Said
from nudges.library import Category
from nudges.messages import Action, Answer
from nudges.person import History, Offer
from nudges.settings_form import SettingsError, apply_settings, parse_set_command
from nudges.zones import Zone
from tests.nudges.test_dialogue import NOW, Chat, onboarded_chat, text_of


def started() -> Chat:
    chat = Chat()
    chat.say("hello")
    assert chat.person.pending_question == "networks"
    return chat


# --- onboarding understands free answers -------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "networks"),
    [
        ("linkedin i guess", ("linkedin",)),
        ("LinkedIn, I guess", ("linkedin",)),
        ("mostly LinkedIn and a bit of X", ("linkedin", "x")),
        ("i'm mostly on linkedin, sometimes twitter", ("linkedin", "x")),
        ("probably mastodon", ("mastodon",)),
    ],
)
def test_networks_are_found_in_a_free_sentence(answer: str, networks: tuple[str, ...]) -> None:
    chat = started()
    chat.say(answer)
    assert chat.person.networks == networks and chat.person.pending_question == "topics"


@pytest.mark.parametrize("answer", ["2", "linkedin", "LinkedIn, X", "3."])
def test_a_stray_number_or_a_network_is_not_a_topic(answer: str) -> None:
    chat = started()
    chat.say("linkedin")
    said = chat.say(answer)
    assert chat.person.topics == () and chat.person.pending_question == "topics"
    assert "e.g." in said and ("network" in said or "number" in said)


def test_topics_keep_the_subjects_and_drop_hedges_numbers_and_networks() -> None:
    chat = started()
    chat.say("linkedin")
    chat.say("cloud i guess, hiring, linkedin, 2")
    assert chat.person.topics == ("cloud", "hiring")


def test_the_questions_end_with_a_recap_and_a_way_to_change_it() -> None:
    chat = started()
    for answer in ("linkedin i guess", "cloud, hiring", "2"):
        chat.say(answer)
    outcome = chat.send(Said("2"))
    assert chat.person.onboarded
    recap = text_of(outcome.replies[-1])
    assert "LinkedIn · cloud, hiring · about 30 minutes a week" in recap and "settings" in recap
    assert [b.action for b in outcome.replies[-1].buttons] == [Action.NEXT, Action.OPEN_SETTINGS]


# --- issue 16, item 4: an onboarding button answers its own question only ------------------------


def test_a_double_click_on_question_one_does_not_answer_question_two() -> None:
    chat = started()
    question = chat.send(Said("hi")).replies  # a greeting mid-questions, and the question again
    (linkedin_x,) = [b for m in question for b in m.buttons if b.label == "LinkedIn + X"]
    assert linkedin_x.value == "networks|linkedin, x"  # the value names its question
    first = chat.send(Pressed(linkedin_x.action, linkedin_x.value))
    assert chat.person.networks == ("linkedin", "x") and chat.person.pending_question == "topics"
    assert first.replace is not None and first.replace.buttons == ()  # answered in place
    assert "LinkedIn + X" in text_of(first.replace)

    second = chat.send(Pressed(linkedin_x.action, linkedin_x.value))  # the double-click
    assert chat.person.topics == () and chat.person.pending_question == "topics"
    assert second.replies == () and second.replace is not None and second.replace.buttons == ()


def test_an_old_questions_button_later_answers_nothing() -> None:
    chat = started()
    chat.say("linkedin")
    chat.say("cloud")
    habits = chat.person.pending_question
    outcome = chat.send(Pressed(Action.CHOOSE, "networks|none"))
    assert chat.person.networks == ("linkedin",) and chat.person.pending_question == habits
    assert outcome.replace is not None and outcome.replace.buttons == ()
    done = onboarded_chat()
    late = done.send(Pressed(Action.CHOOSE, "time|1"))
    assert done.person.weekly_cap == 2 and "behind us" in text_of(late.replies[0])


# --- everyday answers ---------------------------------------------------------------------------


def test_the_welcomes_what_is_this_explains_the_journey_not_the_commands() -> None:
    chat = Chat()
    welcome = chat.send(Joined()).replies[0]
    (what,) = [b for b in welcome.buttons if b.label == "What is this?"]
    said = text_of(chat.send(Pressed(what.action, what.value)).replies[0])
    assert said == views.ABOUT.replace("**", "").replace("_", "") or "What you get" in said
    assert "**next**" not in said and 3 <= len(said.splitlines()) <= 4
    assert not chat.person.mid_onboarding  # asked, not started


def test_the_pause_question_buttons_pause_or_stop_and_give_way_to_the_answer() -> None:
    chat = onboarded_chat()
    asked = chat.send(Said("leave me alone")).replies[0]
    _week, two, stop = asked.buttons
    outcome = chat.send(Pressed(two.action, two.value))
    assert chat.person.paused_until is not None and (chat.person.paused_until - NOW).days == 14
    assert (
        outcome.replace is not None
        and outcome.replace.buttons == ()
        and "2 weeks" in text_of(outcome.replace)
    )
    again = chat.send(Pressed(two.action, two.value))  # a double-click: answered once
    assert again.replies == () and again.replace is not None
    chat.send(Pressed(stop.action, stop.value))
    assert chat.person.opted_out


def test_not_now_answers_an_open_nudge_and_otherwise_asks_about_a_break() -> None:
    chat = onboarded_chat()
    chat.say("next")
    (_offer,) = chat.history.offers
    chat.say("not now")
    assert chat.history.offers[0].answer == Answer.LATER
    assert chat.send(Said("not now")).replies[0].buttons[0].action == Action.TAKE_BREAK


def test_how_am_i_doing_says_where_they_are_without_ranking() -> None:
    chat = onboarded_chat()
    chat.history = History(activities=(Activity(ActivityKind.SHARED, NOW, "x"),))
    said = chat.say("how am i doing?")
    assert "Content Consumer" in said and "1 step" in said
    assert not any(word in said.lower() for word in ("rank", "behind", "others", "top"))


# --- replies that do not repeat -----------------------------------------------------------------


def test_eight_weeks_of_done_rarely_say_the_same_thing() -> None:
    chat = onboarded_chat()
    notes = []
    for week in range(24):  # three answered nudges a week for eight weeks
        offer = Offer(f"o{week}", "c.follow", "follow-voices", Category.STEP, NOW)
        chat.history = History(offers=(offer,))
        outcome = chat.send(Pressed(Action.DONE, offer.id))
        assert outcome.replace is not None
        notes.append(text_of(outcome.replace).splitlines()[-1])
    assert all(a != b for a, b in itertools.pairwise(notes))
    assert len(set(notes)) >= 8 and max(notes.count(n) for n in notes) <= 4


def test_the_fallback_is_never_the_same_twice_in_a_row_and_offers_buttons() -> None:
    chat = onboarded_chat()
    lines = []
    for nonsense in ["banana", "asdf", "purple", "qwerty"] * 5:
        outcome = chat.send(Said(nonsense))
        (message,) = outcome.replies
        assert "fallback" in message.tags and len(message.buttons) == 3
        lines.append(text_of(message))
    assert all(a != b for a, b in itertools.pairwise(lines))


def test_a_declared_creators_first_logged_share_is_not_how_it_all_starts() -> None:
    chat = onboarded_chat()
    chat.say("I'm a creator")
    said = chat.say("log shared an article")
    assert "how it all starts" not in said and "first share" in said.lower()
    beginner = onboarded_chat()
    assert "how it all starts" in beginner.say("log shared an article")


# --- the words under it -------------------------------------------------------------------------


def test_time_zones_by_any_name_and_a_suggestion_when_unsure() -> None:
    assert places.timezone("utc") == "UTC"
    assert places.timezone("Europe/berlin") == "Europe/Berlin"
    assert places.timezone("new york") == "America/New_York"
    assert places.timezone("São Paulo") == "America/Sao_Paulo"
    assert places.timezone("TOKYO") == "Asia/Tokyo"
    assert places.timezone("Berlin, Germany") == "Europe/Berlin"
    with pytest.raises(places.UnknownTimezone) as unsure:
        places.timezone("new yrok")
    assert "America/New_York" in unsure.value.suggestions
    with pytest.raises(places.UnknownTimezone) as unknown:
        places.timezone("atlantis xyz")
    assert unknown.value.suggestions == ()


def test_an_unknown_time_zone_changes_nothing_and_says_what_works() -> None:
    person = onboarded_chat().person
    with pytest.raises(SettingsError, match="Did you mean"):
        apply_settings(person, {"timezone": "berln"})
    with pytest.raises(SettingsError, match="A city works"):
        apply_settings(person, {"timezone": "qqqqqqq"})


@pytest.mark.parametrize(
    ("words", "hours"),
    [("9-5", ("09:00", "17:00")), ("9:00–17:30", ("09:00", "17:30")), ("9am to 5pm", ("09:00", "17:00"))],
)
def test_working_hours_as_people_write_them(words: str, hours: tuple[str, str]) -> None:
    assert parse_set_command(f"hours {words}") == {"work_start": hours[0], "work_end": hours[1]}


def test_quiet_hours_may_wrap_midnight_and_are_never_shifted() -> None:
    assert parse_set_command("quiet 20:00-08:00") == {"quiet_start": "20:00", "quiet_end": "08:00"}
    assert parse_set_command("quiet 10pm to 7am") == {"quiet_start": "22:00", "quiet_end": "07:00"}


def test_a_day_named_is_the_start_of_that_day_on_the_persons_clock() -> None:
    monday = when.pause_end("until Monday", NOW, "America/New_York")
    assert monday == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # midnight in New York (summer time from 8 March)
    assert when.pause_end("till 4 January", NOW, "Europe/Berlin") == datetime(2027, 1, 3, 23, 0, tzinfo=UTC)
    assert when.pause_end("", NOW, "UTC") is None
    with pytest.raises(when.NotADuration):
        when.pause_end("whenever", NOW, "UTC")


def test_zone_in_person_is_kept_when_said_mid_questions() -> None:
    chat = started()
    chat.say("thanks!")  # thanks mid-questions: a warm word, then the question again
    assert chat.person.pending_question == "networks" and chat.person.zone == Zone.CONSUMER


def test_onboarding_choice_values_round_trip() -> None:
    question = onboarding.QUESTIONS[0]
    assert onboarding.parse_choice(onboarding.choice_value(question, "linkedin, x")) == (
        "networks",
        "linkedin, x",
    )
    assert onboarding.parse_choice("linkedin") == (None, "linkedin")


# --- a typed answer to the last question counts like its button -------------------------------


@pytest.mark.parametrize("yes", ["yes", "Yep!", "sure", "yes please", "ok"])
def test_a_typed_yes_notes_what_the_question_asked_about(yes: str) -> None:
    chat = onboarded_chat()
    chat.say("I shared an article on cloud costs")
    assert chat.history.activities == () and chat.person.awaiting is not None
    chat.say(yes)
    assert [a.kind for a in chat.history.activities] == [ActivityKind.SHARED]
    assert chat.history.activities[0].note == "i shared an article on cloud costs"
    assert chat.person.awaiting is None


@pytest.mark.parametrize("no", ["no", "nope", "no thanks", "Nah."])
def test_a_typed_no_notes_nothing(no: str) -> None:
    chat = onboarded_chat()
    chat.say("I wrote a blog post")
    said = chat.say(no)
    assert chat.history.activities == () and chat.person.awaiting is None
    assert said in noting.NOT_NOTED


def test_anything_else_moves_on_and_a_later_yes_answers_nothing() -> None:
    chat = onboarded_chat()
    chat.say("I shared an article")
    chat.say("how am I doing?")
    assert chat.person.awaiting is None
    chat.say("yes")
    assert chat.history.activities == ()


@pytest.mark.parametrize(("answer", "days"), [("yes", 7), ("a week", 7), ("two weeks", 14), ("2 weeks", 14)])
def test_a_typed_answer_to_the_pause_question_takes_that_break(answer: str, days: int) -> None:
    chat = onboarded_chat()
    assert "break" in chat.say("leave me alone") and chat.person.paused_until is None
    chat.say(answer)
    assert chat.person.paused_until is not None
    assert (chat.person.paused_until - NOW).days in (days - 1, days)  # to the start of that local day


def test_no_to_the_pause_question_changes_nothing() -> None:
    chat = onboarded_chat()
    chat.say("mute")
    assert "nothing changes" in chat.say("no")
    assert chat.person.paused_until is None and not chat.person.opted_out
