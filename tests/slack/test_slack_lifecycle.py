"""The app removed from a workspace (or its tokens revoked), and installed there again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import sqlalchemy as sa

from adapters.slack.models import slack_bots, slack_installations
from bot.scheduling.tick import tick
from nudges.events import PersonRef
from tests.slack.conftest import NOW, Slack, install, payload

ADA = "ada@example.com"


async def eventually(check: Callable[[], Awaitable[bool]], tries: int = 250) -> None:
    """Events are handled after the ack: wait (up to 5 s) until their work shows in the database."""
    for _ in range(tries):
        if await check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the event's work never showed in the database")


async def unreachable(slack: Slack) -> dict[str, datetime | None]:
    return {reach.email: reach.unreachable_at for reach in await slack.app.store.reachability()}


async def workspaces(slack: Slack) -> tuple[list[str | None], list[tuple[str | None, str]]]:
    """(teams with a bot, (team, user) of each installation) in Bolt's installation store."""
    async with slack.app.db.engine.connect() as connection:
        bots = (await connection.execute(sa.select(slack_bots.c.team_id))).scalars().all()
        users = await connection.execute(
            sa.select(slack_installations.c.team_id, slack_installations.c.user_id)
        )
        return list(bots), [tuple(row) for row in users]  # type: ignore[misc]


async def ada_writes_from(slack: Slack, team: str) -> None:
    body = payload("message_im", team_id=team, event_id=f"Ev{team}", event={"team": team})
    body["authorizations"][0]["team_id"] = team
    before = len(slack.fake.called("chat.postMessage"))
    assert (await slack.event(body)).status == 200
    await slack.fake.wait_for("chat.postMessage", before + 2)


async def someone_elsewhere(slack: Slack) -> None:
    other = PersonRef("slack", "U5", tenant="T5", email="bo@example.com")
    await slack.app.store.ensure_person(other, "T5:D5", NOW)


async def test_an_uninstall_forgets_the_workspace_tokens_and_stops_planning_for_its_people(
    oauth_client: Slack,
) -> None:
    slack = oauth_client
    await install(slack)
    await ada_writes_from(slack, "T9")
    await someone_elsewhere(slack)
    assert await workspaces(slack) == (["T9"], [("T9", "U1")])

    response = await slack.event(payload("app_uninstalled", team_id="T9"))

    assert response.status == 200
    await eventually(lambda: _is_unreachable(slack, ADA))
    assert await workspaces(slack) == ([], [])
    assert (await unreachable(slack))["bo@example.com"] is None  # another workspace is untouched
    assert (await tick(slack.app.planning, NOW)).looked_at == 1  # only Bo is looked at

    await install(slack)  # the admin installs the app again

    assert await unreachable(slack) == {ADA: None, "bo@example.com": None}


async def test_a_revoked_user_token_only_drops_that_installation(oauth_client: Slack) -> None:
    slack = oauth_client
    await install(slack)
    await ada_writes_from(slack, "T9")
    revoked = payload("tokens_revoked", team_id="T9", event={"tokens": {"oauth": ["U1"]}})

    assert (await slack.event(revoked)).status == 200

    await eventually(lambda: _has_no_installations(slack))
    assert await workspaces(slack) == (["T9"], [])  # the bot still posts there
    assert (await unreachable(slack))[ADA] is None


async def test_a_revoked_bot_token_forgets_the_bot_and_stops_planning(oauth_client: Slack) -> None:
    slack = oauth_client
    await install(slack)
    await ada_writes_from(slack, "T9")

    assert (await slack.event(payload("tokens_revoked", team_id="T9"))).status == 200

    await eventually(lambda: _is_unreachable(slack, ADA))
    bots, _ = await workspaces(slack)
    assert bots == []


async def test_an_organisation_wide_uninstall_marks_nobody_it_cannot_place(oauth_client: Slack) -> None:
    slack = oauth_client
    roster = PersonRef("slack", "U777", email="cy@example.com")  # linked by Slack id, no team known
    await slack.app.store.ensure_person(roster, None, NOW)
    body = payload("app_uninstalled", team_id=None, enterprise_id="E1", is_enterprise_install=True)

    assert (await slack.event(body)).status == 200

    await asyncio.sleep(0.2)  # had anyone been marked, it would show now
    assert await unreachable(slack) == {"cy@example.com": None}


async def test_with_one_workspace_an_uninstall_marks_its_people_and_the_roster_ones(slack: Slack) -> None:
    await ada_writes_from(slack, "T1")
    roster = PersonRef("slack", "U777", email="cy@example.com")  # linked by Slack id, no team known
    await slack.app.store.ensure_person(roster, None, NOW)
    await someone_elsewhere(slack)

    assert (await slack.event(payload("app_uninstalled", team_id="T1"))).status == 200

    await eventually(lambda: _is_unreachable(slack, "cy@example.com"))
    assert await unreachable(slack) == {ADA: NOW, "bo@example.com": None, "cy@example.com": NOW}


async def _is_unreachable(slack: Slack, email: str) -> bool:
    return (await unreachable(slack)).get(email) is not None


async def _has_no_installations(slack: Slack) -> bool:
    return (await workspaces(slack))[1] == []
