"""Slack needs an answer within 3 seconds: a slow ``users.info`` must not delay the ack of a modal
submission (Bolt would answer 404 while the save still happened)."""

from __future__ import annotations

from sqlalchemy import update

from bot.store.models import PersonRow
from nudges.events import PersonRef
from tests.slack.conftest import NOW, Slack
from tests.slack.test_slack_commands import share_submission
from tests.slack.test_slack_home import submission

SLOW = 4.0  # seconds users.info takes: past Slack's 3-second limit


async def roster_ada_with_gaps(slack: Slack, roles: list[str] | None = None) -> int:
    """Ada as the roster left her: no time zone, so her next turn asks users.info for one."""
    person_id = await slack.app.store.ensure_person(
        PersonRef("slack", "U2147483697", tenant="T1", email="ada@example.com"), None, NOW
    )
    if roles:
        async with slack.app.db.sessions.begin() as session:
            await session.execute(update(PersonRow).values(roles=roles))
    slack.fake.slow["users.info"] = SLOW
    return person_id


async def test_a_settings_submission_is_acked_before_a_slow_users_info(slack: Slack) -> None:
    person_id = await roster_ada_with_gaps(slack)

    response = await slack.interaction(submission(timezone="Europe/Berlin", weekly_cap="2"))

    assert response.status == 200 and await response.text() == ""
    await slack.fake.wait_for("views.publish", seconds=10)
    async with slack.app.db.sessions() as session:
        ada = await session.get(PersonRow, person_id)
    assert ada is not None and (ada.timezone, ada.weekly_cap) == ("Europe/Berlin", 2)


async def test_settings_errors_still_come_in_the_ack(slack: Slack) -> None:
    await roster_ada_with_gaps(slack)

    response = await slack.interaction(submission(timezone="Mars/Olympus"))

    assert response.status == 200 and "timezone" in (await response.json())["errors"]


async def test_a_share_submission_is_acked_before_a_slow_users_info(slack: Slack) -> None:
    await roster_ada_with_gaps(slack, roles=["employee", "marketing"])

    response = await slack.interaction(share_submission(text_linkedin="A good read on cloud costs."))

    assert response.status == 200 and await response.text() == ""
    await slack.fake.wait_for("chat.postMessage", seconds=10)
    (item,) = await slack.app.store.list_content()
    assert item.title == "Cutting cloud costs"
