"""Over signed HTTP: a sentence is noted only after the person's *Yes*; a negation is never noted."""

from __future__ import annotations

from sqlalchemy import select

from bot.store.models import ActivityRow, OfferRow
from nudges import noting
from tests.slack.conftest import Slack
from tests.slack.test_slack_dm import action_ids, onboard, press_on


async def activities(slack: Slack) -> list[str]:
    async with slack.app.db.sessions() as session:
        return [a.kind for a in (await session.scalars(select(ActivityRow))).all()]


async def celebrations(slack: Slack) -> list[str]:
    async with slack.app.db.sessions() as session:
        return [o.key for o in (await session.scalars(select(OfferRow))).all() if o.category == "celebration"]


async def test_a_negation_logs_nothing_and_a_yes_press_logs_it(slack: Slack) -> None:
    await onboard(slack)
    (answer,) = await slack.say("no, I didn't share it", "EvNo")
    assert "nothing" in answer["text"].lower() and action_ids(answer) == []
    assert await activities(slack) == []

    (question,) = await slack.say("I shared an article", "EvYes")
    assert "note it" in question["text"] and await activities(slack) == []
    yes, no = (e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert (yes["text"]["text"], no["text"]["text"]) == ("Yes, note it", "No")
    assert yes["action_id"].split("#")[0] == "log.confirm"

    posted = len(slack.fake.called("chat.postMessage"))
    response = await slack.interaction(press_on(question, yes))
    assert response.status == 200
    (update,) = await slack.fake.wait_for("chat.update")
    assert update["ts"] == question["answered_ts"] and action_ids(update) == []  # can't be pressed twice
    logged, cheer = (await slack.fake.wait_for("chat.postMessage", posted + 2))[posted:]
    assert "you liked or shared something" in logged["text"].lower() and "first share" in cheer["text"]
    assert await activities(slack) == ["shared"]
    assert await celebrations(slack) == ["celebrate:first_share"]

    (undone,) = await slack.say("undo", "EvUndo")
    assert "removed" in undone["text"] and "milestone" in undone["text"]
    assert await activities(slack) == []
    assert await celebrations(slack) == []  # the milestone goes with it, in the same unit of work


async def test_a_typed_yes_answers_the_question_like_its_button_and_a_late_press_notes_nothing_more(
    slack: Slack,
) -> None:
    await onboard(slack)
    (question,) = await slack.say("I shared an article", "EvAsk")
    assert "note it" in question["text"] and await activities(slack) == []

    replies = await slack.say("yes", "EvTypedYes", replies=2)
    assert "you liked or shared something" in replies[0]["text"].lower()
    assert await activities(slack) == ["shared"]

    yes = next(e for b in question["blocks"] if b["type"] == "actions" for e in b["elements"])
    posted = len(slack.fake.called("chat.postMessage"))
    await slack.interaction(press_on(question, yes))  # the old question's button, pressed afterwards
    (late,) = (await slack.fake.wait_for("chat.postMessage", posted + 1))[posted:]
    assert "already noted" in late["text"].lower()
    assert await activities(slack) == ["shared"]


async def test_a_typed_no_notes_nothing_and_yes_later_is_not_taken_for_an_old_question(slack: Slack) -> None:
    await onboard(slack)
    await slack.say("I wrote a blog post", "EvAsk")
    (declined,) = await slack.say("nope", "EvNope")
    assert await activities(slack) == [] and declined["text"] in noting.NOT_NOTED

    await slack.say("I shared an article", "EvAsk2")
    await slack.say("what's next?", "EvNext")  # moved on: the question waits no more
    await slack.say("yes", "EvLateYes")
    assert await activities(slack) == []
