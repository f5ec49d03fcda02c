"""Done when, in Teams: a manager subscribes a channel with ``@journeybot DIGEST HERE``; a simulated
week produces one digest there (an Adaptive Card with the zones as a FactSet of bars), sent by the
outbox through the Teams Sender to the channel's conversation, naming only who opted in."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.delivery.deliver import Delivery
from bot.digests.subscriptions import Subscriptions
from bot.scheduling.tick import tick
from tests.digests.week import DIGEST_DUE, assert_names_only_the_opted_in, simulate_week, team
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, app, connector, keys, teams
from tests.teams.test_sender import _installed

__all__ = ["app", "connector", "keys", "teams"]  # the running Teams app and the fake connector
CHANNEL = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"


def channel_posts(teams: Teams) -> list[dict[str, object]]:
    return [r.body for r in teams.connector.sent() if f"/v3/conversations/{CHANNEL}/activities" in r.path]


async def test_a_manager_subscribes_in_teams_and_the_week_becomes_one_digest(teams: Teams) -> None:
    ids = await team(teams.app.db)
    sender_id = teams.activity("channel_mention_digest")["from"]["id"]
    teams.connector.members[sender_id] = {"id": sender_id, "email": "ada@example.com"}
    response = await teams.post("channel_mention_digest", text="<at>journeybot</at> DIGEST HERE")
    assert response.status == 202
    (subscription,) = await Subscriptions(teams.app.db).all()
    assert (subscription.platform, subscription.team, subscription.channel) == ("teams", "Sales", CHANNEL)
    assert subscription.subscribed_by == ids["Ada"]

    sender, _ = await _installed(teams)  # someone installed the app: the Sender the scheduler uses
    await simulate_week(teams.app.db, ids)
    teams.connector.clear()
    clock = teams.app.clock
    clock.now = DIGEST_DUE + timedelta(minutes=2)  # type: ignore[attr-defined]
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=clock)
    await tick(teams.app.planning, clock(), delivery=delivery)
    (digest,) = channel_posts(teams)
    (attachment,) = digest["attachments"]  # type: ignore[index]
    card = attachment["content"]
    validate_card(card)
    shown = json.dumps(card, ensure_ascii=False)
    assert '"FactSet"' in shown and "Content Consumer" in shown and "█" in shown
    assert "One idea for this week" in shown
    assert_names_only_the_opted_in(shown)

    clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
    await tick(teams.app.planning, clock(), delivery=delivery)
    assert len(channel_posts(teams)) == 1  # sent once
