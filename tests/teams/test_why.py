""" "Why this?" on a nudge in Teams: an Adaptive Card action on every suggestion, answered in chat."""

from __future__ import annotations

from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press, texts
from tests.teams.test_journey import _onboard


async def test_why_this_explains_the_nudge_and_leaves_it_answerable(teams: Teams) -> None:
    await _onboard(teams)  # LinkedIn, topics "cloud, hiring", liking and sharing, 15 minutes a week
    nudge = (await teams.say("next"))[-1]
    card = nudge["attachments"][0]["content"]
    validate_card(card)
    why = next(a for a in card["actions"] if a["verb"] == "nudge.why")
    assert why["title"] == "Why this?"
    offer_id = why["data"]["value"]
    answered = await press(teams, "nudge.why", offer_id, card_id="the-nudge")
    assert answered["statusCode"] == 200
    said = texts([r.body for r in teams.connector.sent()])
    assert "Why this, why now" in said and "Content Sharer" in said and "LinkedIn" in said
    assert "15 minutes a week" in said and "set topics" in said
    for request in teams.connector.requests:
        if request.card is not None:
            validate_card(request.card)
    # The nudge itself is not replaced: it can still be answered.
    assert teams.connector.updates() == []
    done = await press(teams, "nudge.done", offer_id, card_id="the-nudge")
    assert "✅" in str(done["value"])  # one of the ways of saying "done, noted"
