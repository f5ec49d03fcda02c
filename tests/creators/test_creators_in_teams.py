"""The copy-editing path in Teams, with real-shaped Bot Framework activities over HTTP: ``edit`` sends
the form as an Adaptive Card, a bad draft comes back with what to correct (nothing stored), the
editor gets the draft proactively and claims it, sends suggestions from a card, and the author
accepts them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, update

from adapters.teams.sender import TeamsSender
from adapters.teams.web import TEAMS_AGENT
from bot.creators.models import ACCEPTED, EditRequestRow
from bot.creators.service import Creators
from bot.delivery.deliver import Delivery
from bot.store.models import PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, app, connector, keys, teams, texts

__all__ = ["app", "connector", "keys", "teams"]

EVE = {
    "from": {
        "id": "29:eve-editor",
        "name": "Eve Editor",
        "aadObjectId": "0e0e0e0e-1d7a-4b59-9a0e-2f1d3c4b5a69",
    },
    "conversation": {
        "conversationType": "personal",
        "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "id": "a:eve-personal-chat",
    },
}


async def invoke(
    teams: Teams, data: dict[str, Any], who: dict[str, Any] | None = None, card_id: str = "card-1"
) -> dict[str, Any]:
    teams.connector.clear()
    activity = teams.activity("invoke_adaptive_card_action", replyToId=card_id, **(who or {}))
    activity["value"]["action"].update(verb=str(data.get("action") or data.get("form")), data=data)
    response = await teams.post(activity)
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def say(teams: Teams, text: str, who: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    teams.connector.clear()
    response = await teams.post("personal_message", text=text, **(who or {}))
    assert response.status == 202, await response.text()
    return [r.body for r in teams.connector.sent()]


def button(card: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(
        a["data"] for a in card["actions"] if str(a.get("data", {}).get("action", "")).startswith(prefix)
    )


async def test_a_draft_goes_from_a_creator_to_an_editor_and_back_in_teams(teams: Teams) -> None:
    sender = TeamsSender(teams.client.server.app[TEAMS_AGENT].adapter, teams.config)
    teams.app.senders["teams"] = sender
    teams.app.conversation.creators = Creators(teams.app.db, teams.app.clock, teams.app.senders)
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock)
    await say(teams, "hello")
    await say(teams, "hello", EVE)
    async with teams.app.db.sessions.begin() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.name == "Eve Editor").values(roles=["employee", "editor"])
        )

    (form,) = await say(teams, "edit")
    card = form["attachments"][0]["content"]
    validate_card(card)
    assert "keep your voice" in json.dumps(card) and card["actions"][0]["data"]["form"] == "creators.edit"

    refused = await invoke(teams, {"form": "creators.edit", "ref": "", "draft": " ", "title": "x" * 200})
    validate_card(refused["value"])
    assert "Please correct" in json.dumps(refused) and "x" * 200 in json.dumps(refused)
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(EditRequestRow)) == 0

    await invoke(
        teams, {"form": "creators.edit", "ref": "", "draft": "Their is a typo hear.", "title": "On typos"}
    )
    assert "on its way" in texts([r.body for r in teams.connector.sent()])

    teams.connector.clear()
    await delivery.drain()
    (ask,) = teams.connector.sent()
    assert "eve-personal-chat" in ask.path and ask.card is not None
    validate_card(ask.card)
    assert "Their is a typo hear." in json.dumps(ask.card)

    claimed = await invoke(teams, button(ask.card, "edit.claim"), EVE)
    assert "Yours to copy-edit" in json.dumps(claimed["value"])
    suggest = button(claimed["value"], "edit.suggest")
    await invoke(teams, suggest, EVE)
    (suggest_form,) = [
        r.card
        for r in teams.connector.sent()
        if r.card and r.card["actions"][0].get("verb") == "creators.suggest"
    ]
    assert suggest_form is not None
    validate_card(suggest_form)
    request_id = suggest_form["actions"][0]["data"]["ref"]
    await invoke(
        teams, {"form": "creators.suggest", "ref": request_id, "suggestions": "There is a typo here."}, EVE
    )
    assert "Sent" in texts([r.body for r in teams.connector.sent()])

    teams.connector.clear()
    await delivery.drain()  # Ada: an editor picked it up
    teams.app.clock.now = teams.app.clock.now.replace(minute=5)  # type: ignore[attr-defined]
    await Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock).drain()  # the suggestions
    back = next(
        r.card
        for r in teams.connector.sent()
        if r.card and "Suggestions for your draft" in json.dumps(r.card)
    )
    assert back is not None
    accepted = await invoke(teams, button(back, "edit.accept"))
    assert "Accepted" in json.dumps(accepted["value"])
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(EditRequestRow.status)) == ACCEPTED
