"""OAuth mode: only this organisation's workspaces (``SLACK_ALLOWED_TEAMS``) install the app, and an
email links a Slack user to a roster person only from one of them and only when Slack confirmed it."""

from __future__ import annotations

import asyncio
import re

import sqlalchemy as sa
from sqlalchemy import select, update

from adapters.slack.models import slack_bots
from bot.store.models import IdentityRow, PersonRow
from nudges.events import PersonRef
from tests.slack.conftest import NOW, Slack, install, payload
from tests.slack.test_slack_delivery import installed
from tests.slack.test_slack_lifecycle import eventually, unreachable

ADA = "ada@example.com"


async def install_answer(slack: Slack) -> tuple[int, str]:
    page = await slack.client.get("/slack/install", allow_redirects=False)
    state = re.search(r"state=([0-9a-f-]+)", await page.text())
    assert state is not None
    cookie = page.headers["Set-Cookie"].split(";")[0]
    done = await slack.client.get(
        f"/slack/oauth_redirect?code=abc123&state={state.group(1)}", headers={"Cookie": cookie}
    )
    return done.status, await done.text()


async def bot_teams(slack: Slack) -> list[str | None]:
    async with slack.app.db.engine.connect() as connection:
        return list((await connection.execute(sa.select(slack_bots.c.team_id))).scalars().all())


async def roster_ada(slack: Slack) -> int:
    """The employee, from the roster, with the manager role."""
    person_id = await slack.app.store.ensure_person(PersonRef("slack", "U2147483697", tenant="T1", email=ADA),
                                                    "T1:D024BE91L", NOW)  # fmt: skip
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", "manager"]))
    return person_id


async def writes(slack: Slack, user: str, team: str, event_id: str) -> None:
    body = payload("message_im", team_id=team, event_id=event_id,
                   event={"team": team, "user": user, "channel": "D" + user})  # fmt: skip
    body["authorizations"][0]["team_id"] = team
    assert (await slack.event(body)).status == 200


async def test_an_install_from_a_workspace_outside_the_list_is_refused_with_a_clear_page(
    oauth_client: Slack,
) -> None:
    oauth_client.fake.oauth_team = {"id": "T666", "name": "Stranger & Co"}

    status, page = await install_answer(oauth_client)

    assert status == 403
    assert "journeybot was not installed in Stranger &amp; Co" in page and "SLACK_ALLOWED_TEAMS" in page
    assert "T666" in page and "Traceback" not in page
    assert await bot_teams(oauth_client) == []  # nothing saved, no token kept


async def test_a_workspace_of_an_allowed_grid_org_installs(oauth_client: Slack) -> None:
    # T5 is not listed itself; its org E1 is
    oauth_client.fake.oauth_team = {"id": "T5", "name": "Acme EMEA"}
    oauth_client.fake.oauth_enterprise = {"id": "E1", "name": "Acme"}

    status, _ = await install_answer(oauth_client)

    assert status == 200 and await bot_teams(oauth_client) == ["T5"]


async def test_a_user_of_a_foreign_workspace_with_an_employees_email_takes_nothing_over(
    oauth_client: Slack,
) -> None:
    slack = oauth_client
    ada = await roster_ada(slack)
    await installed(slack.app, "xoxb-stranger", "T666")  # installed before SLACK_ALLOWED_TEAMS was set
    slack.fake.add_user("UEVIL", "Not Ada", ADA, team="T666")

    await writes(slack, "UEVIL", "T666", "EvEvil")
    await slack.event(payload("app_uninstalled", team_id="T666", event_id="EvGone"))
    await asyncio.sleep(0.3)  # had the events done anything, it would show now

    assert slack.fake.called("chat.postMessage") == [] and slack.fake.called("users.info") == []
    async with slack.app.db.sessions() as session:
        identities = (await session.scalars(select(IdentityRow))).all()
    assert [(i.person_id, i.user_id) for i in identities] == [(ada, "U2147483697")]
    assert await unreachable(slack) == {ADA: None}


async def test_an_unconfirmed_email_links_nobody_even_in_an_allowed_workspace(oauth_client: Slack) -> None:
    slack = oauth_client
    ada = await roster_ada(slack)
    await install(slack)  # T9, allowed
    slack.fake.add_user("U9", "Not Ada", ADA, team="T9", confirmed=False)

    await writes(slack, "U9", "T9", "EvU9")
    await slack.fake.wait_for("chat.postMessage")

    async with slack.app.db.sessions() as session:
        other = (await session.scalars(select(IdentityRow).where(IdentityRow.user_id == "U9"))).one()
        person = await session.get(PersonRow, other.person_id)
    assert other.person_id != ada and person is not None and person.email == "slack:U9"


async def test_an_uninstall_marks_only_people_left_without_a_reachable_identity(oauth_client: Slack) -> None:
    slack = oauth_client
    ada = await roster_ada(slack)
    await installed(slack.app, "xoxb-t1", "T1")
    await install(slack)  # T9
    slack.fake.add_user("U9", "Ada Lovelace", ADA, team="T9")  # Ada's confirmed account in T9 too
    await writes(slack, "U9", "T9", "EvU9")
    await slack.fake.wait_for("chat.postMessage")
    async with slack.app.db.sessions() as session:
        owners = (await session.scalars(select(IdentityRow.person_id))).all()
    assert owners == [ada, ada]

    assert (await slack.event(payload("app_uninstalled", team_id="T9", event_id="EvGone9"))).status == 200
    await eventually(lambda: _no_bot_in(slack, "T9"))
    await asyncio.sleep(0.1)
    assert await unreachable(slack) == {ADA: None}  # still reachable in T1
    assert await slack.app.store.address_of(ada, "slack") == "T1:D024BE91L"

    assert (await slack.event(payload("app_uninstalled", team_id="T1", event_id="EvGone1"))).status == 200
    await eventually(lambda: _is_marked(slack))


async def _no_bot_in(slack: Slack, team: str) -> bool:
    return team not in await bot_teams(slack)


async def _is_marked(slack: Slack) -> bool:
    return (await unreachable(slack))[ADA] is not None
