"""Topic requests and amplifying in Teams, with real-shaped activities over HTTP: marketing's
``request`` opens the form (others are told kindly it is marketing's), the ambassador whose topics
match gets the ask proactively and takes it on; *Let colleagues amplify it* sends its form, a bad
link comes back with what to correct and nothing is stored."""

from __future__ import annotations

import json

from sqlalchemy import func, select, update

from adapters.teams.sender import TeamsSender
from adapters.teams.web import TEAMS_AGENT
from bot.creators.models import AmplifiedPieceRow, TopicTakerRow
from bot.creators.service import Creators
from bot.delivery.deliver import Delivery
from bot.store.models import PersonRow
from tests.creators.test_creators_in_teams import EVE, button, invoke, say
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, app, connector, keys, teams, texts

__all__ = ["app", "connector", "keys", "teams"]


async def test_marketing_asks_and_an_ambassador_takes_it_on_and_a_piece_is_announced(teams: Teams) -> None:
    sender = TeamsSender(teams.client.server.app[TEAMS_AGENT].adapter, teams.config)
    teams.app.senders["teams"] = sender
    teams.app.conversation.creators = Creators(teams.app.db, teams.app.clock, teams.app.senders)
    await say(teams, "hello")
    await say(teams, "hello", EVE)
    async with teams.app.db.sessions.begin() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.name == "Eve Editor").values(roles=["employee", "marketing"])
        )
        await session.execute(
            update(PersonRow)
            .where(PersonRow.name == "Ada Lovelace")
            .values(zone=4, topics=["cloud"], weekly_cap=3)
        )

    assert "marketing" in texts(await say(teams, "request"))  # Ada: not hers, said kindly
    (form,) = await say(teams, "request", EVE)
    card = form["attachments"][0]["content"]
    validate_card(card)
    assert card["actions"][0]["data"]["form"] == "creators.topic"
    await invoke(
        teams, {"form": "creators.topic", "ref": "", "topic": "Cloud costs", "why": "what customers ask"}, EVE
    )
    assert "Asked 1" in texts([r.body for r in teams.connector.sent()])

    teams.connector.clear()
    await Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock).drain()
    (ask,) = teams.connector.sent()
    assert ask.card is not None and "A topic you know" in json.dumps(ask.card)
    taken = await invoke(teams, button(ask.card, "topic.take"))
    assert "Wonderful" in json.dumps(taken["value"])
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TopicTakerRow)) == 1

    await invoke(teams, {"action": "amplify.ask", "value": ""})
    (amplify_form,) = [r.card for r in teams.connector.sent() if r.card]
    validate_card(amplify_form)
    refused = await invoke(
        teams, {"form": "creators.amplify", "ref": "", "url": "not a link", "title": "Mine"}
    )
    assert "Please correct" in json.dumps(refused) and "https://" in json.dumps(refused)
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AmplifiedPieceRow)) == 0
    await invoke(
        teams, {"form": "creators.amplify", "ref": "", "url": "https://ada.example.com/p", "title": "Mine"}
    )
    assert "Congratulations" in texts([r.body for r in teams.connector.sent()])
