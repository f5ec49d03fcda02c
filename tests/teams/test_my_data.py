"""A person's own data in a Teams personal chat, over HTTP: see it, export it, erase it (after a yes)."""

from __future__ import annotations

import json
import re

from sqlalchemy import func, select

from bot.store.models import PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press, texts
from tests.teams.test_journey import _onboard


def shown_json(activities: list[dict]) -> str:
    """The export's text as Teams shows it: the card's markdown escapes undone, blocks in order."""
    parts = []
    for activity in activities:
        for attachment in activity.get("attachments") or []:
            validate_card(attachment["content"])
            for item in attachment["content"]["body"]:
                if item.get("type") == "Container":
                    block = item["items"][-1]["text"]
                    parts.append(re.sub(r"\\(.)", r"\1", block))
    return "".join(parts)


async def people(teams: Teams) -> int:
    async with teams.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PersonRow)) or 0)


async def test_see_export_and_erase_my_data_in_teams(teams: Teams) -> None:
    await _onboard(teams)
    await teams.say("log replied to three comments on my persimmon post")

    overview = await teams.say("my data")
    assert "What I keep about you" in texts(overview) and "data.erase_ask" in texts(overview)

    exported = await teams.say("Export my data")
    data = json.loads(shown_json(exported))
    assert data["person"]["timezone"] == "Europe/Berlin"
    assert "persimmon" in data["activities"][0]["note"]
    assert {i["platform"] for i in data["identities"]} == {"teams"}

    question = await teams.say("DELETE MY DATA")
    assert "final" in texts(question) and await people(teams) == 1

    answer = await press(teams, "data.erase")
    assert "Deleted" in json.dumps(answer)  # the card turns into what was done: no second press
    assert (
        "gone" in texts([r.body for r in teams.connector.sent()])
        or "deleted" in texts([r.body for r in teams.connector.sent()]).lower()
    )
    assert await people(teams) == 0

    again = await press(teams, "data.erase")  # an old card pressed again: nothing to erase, nobody made
    assert again and await people(teams) == 0
