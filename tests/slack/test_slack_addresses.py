"""Which Slack channel may become a person's address: only the bot's own DM with them.

A slash command or a button on an ephemeral message can come from any conversation, a DM between
two people included (its id starts with ``D`` too); the bot cannot post there, so a nudge sent there
fails with ``channel_not_found`` and the person would be marked unreachable.
"""

from __future__ import annotations

from sqlalchemy import select, update

from bot.delivery.deliver import Delivery
from bot.scheduling.tick import tick
from bot.store.models import IdentityRow, PersonRow
from tests.delivery.fakes import add_person
from tests.slack.conftest import Slack, payload
from tests.slack.test_slack_delivery import MONDAY_LATE

ADA = "U2147483697"
BOTS_DM = "D024BE91L"
PEOPLES_DM = "D0P2P0000"  # Ada's DM with a colleague: the bot is not in it


async def ada_in_the_bots_dm(slack: Slack) -> int:
    """Ada, onboarded, whose address is the bot's DM (as ``message.im`` left it)."""
    person_id = await add_person(slack.app.db, "ada@example.com", timezone="UTC", address=None)
    async with slack.app.db.sessions.begin() as session:
        session.add(
            IdentityRow(person_id=person_id, platform="slack", tenant="T1", user_id=ADA, address=BOTS_DM)
        )
    return person_id


async def tick_now(slack: Slack) -> None:
    delivery = Delivery(slack.app.db, slack.app.senders, clock=lambda: MONDAY_LATE)
    report = await tick(slack.app.planning, MONDAY_LATE, delivery=delivery)
    assert report.delivered is not None and report.delivered.sent == 1, report


async def test_a_slash_command_in_a_dm_between_two_people_does_not_become_the_address(slack: Slack) -> None:
    person_id = await ada_in_the_bots_dm(slack)
    before = len(slack.fake.called("response_url"))

    response = await slack.command("status", channel_id=PEOPLES_DM, channel_name="directmessage")
    assert response.status == 200
    await slack.fake.wait_for("response_url", before + 1)

    assert await slack.app.store.address_of(person_id, "slack") == BOTS_DM
    await tick_now(slack)
    (nudge,) = slack.fake.called("chat.postMessage")
    assert nudge["channel"] == BOTS_DM
    async with slack.app.db.sessions.begin() as session:
        assert (await session.get(PersonRow, person_id)).unreachable_at is None  # type: ignore[union-attr]


async def test_a_new_persons_first_command_in_a_peoples_dm_leaves_the_dm_to_conversations_open(
    slack: Slack,
) -> None:
    response = await slack.command("status", channel_id=PEOPLES_DM, channel_name="directmessage")
    assert response.status == 200
    await slack.fake.wait_for("response_url")
    async with slack.app.db.sessions.begin() as session:
        (identity,) = (await session.scalars(select(IdentityRow))).all()
        assert identity.address is None
        await session.execute(  # onboarded since, so the tick has a nudge for them
            update(PersonRow).values(onboarded_at=MONDAY_LATE, timezone="UTC", started_at=MONDAY_LATE)
        )

    await tick_now(slack)

    assert [c["users"] for c in slack.fake.called("conversations.open")] == [ADA]
    (nudge,) = slack.fake.called("chat.postMessage")
    assert nudge["channel"] == "D2147483697"  # the bot's DM, as conversations.open answers it


async def test_a_button_on_an_ephemeral_in_a_peoples_dm_does_not_become_the_address(slack: Slack) -> None:
    person_id = await ada_in_the_bots_dm(slack)
    press = payload("block_actions", channel={"id": PEOPLES_DM, "name": "directmessage"})
    press["container"] = {"type": "message", "message_ts": "1700000000.000009", "channel_id": PEOPLES_DM,
                          "is_ephemeral": True}  # fmt: skip
    press["actions"][0] |= {"action_id": "journey.help", "value": ""}

    response = await slack.interaction(press)
    assert response.status == 200
    await slack.fake.wait_for("views.publish")

    assert await slack.app.store.address_of(person_id, "slack") == BOTS_DM
    assert all(c["channel"] != PEOPLES_DM for c in slack.fake.called("chat.postMessage"))
    assert all(c.get("channel") != PEOPLES_DM for c in slack.fake.called("chat.update"))
