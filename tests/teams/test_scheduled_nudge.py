"""A scheduled nudge reaches a Teams user proactively: tick plans it, delivery hands it to the Teams
Sender, the Sender continues the stored conversation at the fake connector."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from adapters.teams.sender import TeamsSender
from adapters.teams.web import TEAMS_AGENT
from bot.delivery import Delivery
from bot.tick import tick
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press
from tests.teams.fake_connector import CONNECTOR_TOKEN


async def test_a_planned_nudge_is_delivered_to_teams_proactively(teams: Teams) -> None:
    await teams.say("hello")
    await press(teams, "onboarding.choose", "linkedin")
    for answer in ("cloud", "2", "1"):
        await teams.say(answer)
    teams.connector.clear()
    sender = TeamsSender(teams.client.server.app[TEAMS_AGENT].adapter, teams.config)
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock)
    clock = teams.app.clock
    for _ in range(7 * 24):  # tick hourly for a week: the first nudge comes inside her working hours
        clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
        await tick(teams.app, clock.now, delivery=delivery)  # type: ignore[attr-defined]
        if teams.connector.sent():
            break
    (nudge,) = teams.connector.sent()
    assert nudge.path.endswith("/activities")  # a new message, not a reply to anything
    assert nudge.authorization == f"Bearer {CONNECTOR_TOKEN}"
    validate_card(nudge.card)  # type: ignore[arg-type]
    local = clock.now.astimezone(ZoneInfo("Europe/Berlin"))  # type: ignore[attr-defined]
    assert local.weekday() < 5 and 9 <= local.hour <= 16  # inside her working hours, in her zone
