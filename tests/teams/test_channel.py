"""``@journeybot digest here`` in a team channel: managers and admins subscribe it, others are told no."""

from __future__ import annotations

from microsoft_agents.activity import ConversationReference
from sqlalchemy import update

from adapters.teams.channel_commands import HINT, NOT_ALLOWED, SUBSCRIBED
from adapters.teams.digest_channels import DigestChannels
from bot.store.audit import events
from bot.store.models import PersonRow
from tests.teams.conftest import Teams, texts

CHANNEL = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
TEAM = "19:ffeeddccbbaa99887766554433221100@thread.tacv2"


async def _mention(teams: Teams, text: str = "<at>journeybot</at> digest here") -> str:
    teams.connector.clear()
    response = await teams.post("channel_mention_digest", text=text)
    assert response.status == 202
    return texts([r.body for r in teams.connector.sent()])


async def _make_manager(teams: Teams) -> None:
    async with teams.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", "manager"]))


async def test_an_employee_is_told_kindly_that_only_managers_can(teams: Teams) -> None:
    said = await _mention(teams)
    assert NOT_ALLOWED.split(".")[0] in said
    assert await DigestChannels(teams.app.db).all() == []
    (refused,) = await events(teams.app.db)
    assert (refused.platform, refused.action, refused.role, refused.outcome) == (
        "teams", "digest.subscribe", "manager", "refused"
    )  # fmt: skip
    assert refused.target.endswith(CHANNEL)


async def test_a_manager_subscribes_the_channel_with_its_reference(teams: Teams) -> None:
    await _mention(teams)  # first seen: an employee
    await _make_manager(teams)
    said = await _mention(teams)
    assert SUBSCRIBED.split(":")[0] in said
    (channel,) = await DigestChannels(teams.app.db).all()
    assert channel.channel_id == CHANNEL and channel.tenant_id == "72f988bf-86f1-41af-91ab-2d7cd011db47"
    reference = ConversationReference.model_validate_json(channel.reference)
    assert reference.conversation.id == CHANNEL and reference.service_url == teams.connector.url
    assert "already" in await _mention(teams)
    # The channel never became the manager's own address: their nudges stay private.
    person_id = channel.person_id
    assert await teams.app.store.address_of(person_id, "teams") is None
    assert "no more digests" in await _mention(teams, "<at>journeybot</at> digest off")
    assert await DigestChannels(teams.app.db).all() == []
    assert [(e.action, e.outcome) for e in await events(teams.app.db)] == [
        ("digest.subscribe", "refused"),
        ("digest.subscribe", "done"),
        ("digest.subscribe", "done"),
        ("digest.unsubscribe", "done"),
    ]


async def test_other_channel_mentions_point_to_the_personal_chat(teams: Teams) -> None:
    said = await _mention(teams, "<at>journeybot</at> next")
    assert HINT.split("!")[0] in said


async def test_a_roster_manager_met_first_in_a_channel_is_recognised_by_email(teams: Teams) -> None:
    async with teams.app.db.sessions.begin() as session:
        session.add(PersonRow(email="ada@example.com", name="Ada Lovelace", roles=["employee", "manager"]))
    sender_id = teams.activity("channel_mention_digest")["from"]["id"]
    teams.connector.members[sender_id] = {"id": sender_id, "email": "ada@example.com"}
    assert SUBSCRIBED.split(":")[0] in await _mention(teams)
    assert teams.connector.member_lookups == [TEAM]  # the team's roster, not the channel thread


async def test_a_member_lookup_outside_a_team_asks_the_conversation(teams: Teams) -> None:
    await teams.say("hello")
    assert teams.connector.member_lookups == [teams.activity("personal_message")["conversation"]["id"]]


async def test_being_added_to_a_team_is_quiet(teams: Teams) -> None:
    added = teams.activity("conversation_update_members_added")
    added["conversation"] = teams.activity("channel_mention_digest")["conversation"]
    assert (await teams.post(added)).status == 202
    assert teams.connector.sent() == []
