"""In a Teams personal chat, over HTTP: "leave me alone" is asked about with card buttons that pause
(the card answered in place), and a sentence not understood gets one line and buttons."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

from sqlalchemy import select

from bot.store.models import PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import MONDAY_10_BERLIN, Teams, press, texts
from tests.teams.test_journey import _onboard


def card_actions(activity: dict) -> list[dict]:
    card = activity["attachments"][0]["content"]
    validate_card(card)
    return list(card.get("actions") or [])


async def person(teams: Teams) -> PersonRow:
    async with teams.app.db.sessions() as session:
        return (await session.scalars(select(PersonRow))).one()


async def test_leave_me_alone_is_asked_about_and_a_button_pauses_two_weeks(teams: Teams) -> None:
    await _onboard(teams)
    (asked,) = await teams.say("please stop")
    actions = card_actions(asked)
    assert [a["title"] for a in actions] == ["Pause a week", "Pause two weeks", "Stop nudges"]
    assert (await person(teams)).paused_until is None  # asked, not done

    two = actions[1]
    answered = await press(teams, two["verb"], two["data"]["value"], card_id="the-question")
    assert answered["type"] == "application/vnd.microsoft.card.adaptive"
    validate_card(answered["value"])
    assert "actions" not in answered["value"] and "2 weeks" in json.dumps(answered["value"])
    (update,) = teams.connector.updates()  # the stored card too: no live buttons on reload
    assert update.path.endswith("/activities/the-question")
    assert "Enjoy the break" in texts([r.body for r in teams.connector.sent()])
    row = await person(teams)
    assert row.paused_until is not None and not row.opted_out
    assert row.paused_until.replace(tzinfo=UTC) == MONDAY_10_BERLIN + timedelta(days=14)

    stop = actions[2]
    await press(teams, stop["verb"], stop["data"]["value"], card_id="the-question")
    assert (await person(teams)).opted_out


async def test_not_understood_gets_one_line_and_buttons_never_the_same_twice(teams: Teams) -> None:
    await _onboard(teams)
    (first,) = await teams.say("purple monkey dishwasher")
    (second,) = await teams.say("purple monkey dishwasher")
    assert [a["title"] for a in card_actions(first)] == [
        "Give me a step",
        "My journey",
        "What you understand",
    ]
    assert first["attachments"][0]["content"]["body"] != second["attachments"][0]["content"]["body"]
    journey = next(a for a in card_actions(second) if a["title"] == "My journey")
    await press(teams, journey["verb"], journey["data"].get("value", ""))
    assert "Your journey" in texts([r.body for r in teams.connector.sent()])


async def test_hi_thanks_and_why_get_fitting_answers(teams: Teams) -> None:
    await _onboard(teams)
    assert "Ada" in texts(await teams.say("hi"))
    thanked = texts(await teams.say("thx!"))
    assert any(w in thanked for w in ("welcome", "Any time", "pleasure", "Glad", "Happy"))
    assert "What you get" in texts(await teams.say("why should I do this?"))
