"""Over signed HTTP: onboarding buttons answer their own question only (issue 16, item 4), everyday
"leave me alone" is asked about with buttons, and a sentence not understood gets buttons, not a wall."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store.models import PersonRow
from tests.slack.conftest import NOW, Slack
from tests.slack.test_slack_dm import action_ids, onboard
from tests.slack.test_slack_dm import press_on as press_valued


def press_on(message: dict, button: dict) -> dict:
    """A press as Slack sends it (a button without a value has none in the payload either)."""
    return press_valued(message, {"value": "", **button})


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def person(slack: Slack) -> PersonRow:
    async with slack.app.db.sessions() as session:
        return (await session.scalars(select(PersonRow))).one()


async def test_a_double_click_on_a_question_one_button_does_not_answer_question_two(slack: Slack) -> None:
    _, question = await slack.say("hello", "Ev1", replies=2)
    (both,) = [b for b in buttons(question) if b["text"]["text"] == "LinkedIn + X"]

    first = await slack.interaction(press_on(question, both))
    assert first.status == 200
    (answered,) = await slack.fake.wait_for("chat.update", 1)
    assert answered["ts"] == question["answered_ts"] and action_ids(answered) == []  # replaced in place
    assert "LinkedIn + X" in str(answered["blocks"])
    await slack.fake.wait_for("chat.postMessage", 3)  # question 2 follows
    second = await slack.interaction(press_on(question, both))  # the double-click, a moment later
    assert second.status == 200
    await slack.fake.wait_for("chat.update", 2)

    row = await person(slack)
    assert row.networks == ["linkedin", "x"] and row.topics == [] and row.pending_question == "topics"
    assert len(slack.fake.called("chat.postMessage")) == 3  # nothing new asked or answered
    assert both["value"] == "networks|linkedin, x"  # the value names the question it answers

    (topics,) = await slack.say("cloud, hiring", "Ev2")  # question 2 is still open for its answer
    assert (await person(slack)).topics == ["cloud", "hiring"] and "Question 3" in str(topics["blocks"])


async def test_leave_me_alone_is_asked_about_with_buttons_that_pause(slack: Slack) -> None:
    await onboard(slack)
    (asked,) = await slack.say("leave me alone", "EvAlone")
    week, two, stop = buttons(asked)
    assert [b["text"]["text"] for b in (week, two, stop)] == [
        "Pause a week",
        "Pause two weeks",
        "Stop nudges",
    ]
    assert (await person(slack)).paused_until is None  # asked, not done

    updates = len(slack.fake.called("chat.update"))
    posted = len(slack.fake.called("chat.postMessage"))
    assert (await slack.interaction(press_on(asked, two))).status == 200
    update = (await slack.fake.wait_for("chat.update", updates + 1))[-1]
    assert update["ts"] == asked["answered_ts"] and action_ids(update) == [] and "2 weeks" in update["text"]
    (reply,) = (await slack.fake.wait_for("chat.postMessage", posted + 1))[posted:]
    assert "Enjoy the break" in reply["text"]
    row = await person(slack)
    assert row.paused_until is not None and row.paused_until.replace(tzinfo=NOW.tzinfo) == NOW + timedelta(
        days=14
    )
    assert not row.opted_out


async def test_not_understood_gets_a_line_and_buttons_never_the_same_twice_in_a_row(slack: Slack) -> None:
    await onboard(slack)
    (first,) = await slack.say("purple monkey dishwasher", "EvP1")
    (second,) = await slack.say("purple monkey dishwasher", "EvP2")
    assert first["text"] != second["text"]
    assert [b["text"]["text"] for b in buttons(first)] == [
        "Give me a step",
        "My journey",
        "What you understand",
    ]
    journey = next(b for b in buttons(second) if b["text"]["text"] == "My journey")
    posted = len(slack.fake.called("chat.postMessage"))
    assert (await slack.interaction(press_on(second, journey))).status == 200
    (shown,) = (await slack.fake.wait_for("chat.postMessage", posted + 1))[posted:]
    assert "Your journey" in str(shown["blocks"])


async def test_time_zone_by_city_and_pause_with_a_length_over_slack(slack: Slack) -> None:
    await onboard(slack)
    await slack.say("set timezone new york", "EvTz", replies=2)
    assert (await person(slack)).timezone == "America/New_York"
    (unsure,) = await slack.say("set timezone berln", "EvTz2")
    assert "Did you mean" in unsure["text"] and (await person(slack)).timezone == "America/New_York"
    (paused,) = await slack.say("pause 1 week", "EvWeek")
    row = await person(slack)
    assert row.paused_until is not None and row.paused_until.replace(tzinfo=NOW.tzinfo) == NOW + timedelta(
        days=7
    )
    assert "Enjoy the break" in paused["text"]
