""" "Why this?" on a nudge in Slack: a button on every proactive suggestion, answered in the DM."""

from __future__ import annotations

import json

from tests.slack.conftest import Slack
from tests.slack.test_slack_dm import action_ids, onboard, press_on


def block_texts(message: dict) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


async def test_why_this_explains_zone_topics_time_and_how_to_change_it(slack: Slack) -> None:
    await onboard(slack)  # LinkedIn, topics "cloud, hiring", liking and sharing, 15 minutes a week
    (nudge,) = await slack.say("next", "EvWhyNext")
    assert any(i.split("#")[0] == "nudge.why" for i in action_ids(nudge))
    why = next(e for b in nudge["blocks"] if b["type"] == "actions" for e in b["elements"]
               if e["action_id"].split("#")[0] == "nudge.why")  # fmt: skip
    assert why["text"]["text"] == "Why this?"
    before = len(slack.fake.called("chat.postMessage"))
    assert (await slack.interaction(press_on(nudge, why))).status == 200
    (answer,) = (await slack.fake.wait_for("chat.postMessage", before + 1))[before:]
    text = block_texts(answer)
    assert "Why this, why now" in text
    assert "Content Sharer" in text  # the zone they chose
    assert "LinkedIn" in text  # the network it fits
    assert "15 minutes a week" in text and "at most 1 nudge a week" in text
    assert "set topics" in text and "pause 14" in text  # how to change it
    # Asking why answers nothing: the nudge keeps its buttons, nothing was updated in place.
    assert slack.fake.called("chat.update") == []


async def test_typing_why_explains_the_latest_suggestion(slack: Slack) -> None:
    await onboard(slack)
    (first,) = await slack.say("why", "EvWhyNone")
    assert "haven't suggested anything yet" in block_texts(first)
    await slack.say("next", "EvWhyNext2")
    (answer,) = await slack.say("why", "EvWhyTyped")
    assert "Why this, why now" in block_texts(answer) and "Your time" in block_texts(answer)
