"""``@journeybot digest here|off|status`` in a team channel (any case): a team's managers and admins
subscribe it, others are told no and leave nothing behind."""

from __future__ import annotations

from microsoft_agents.activity import ConversationReference
from sqlalchemy import func, select

from adapters.teams.channel_commands import HINT
from bot.digests.subscriptions import Subscriptions
from bot.store.audit import events
from bot.store.models import IdentityRow, PersonRow
from tests.teams.conftest import Teams, texts

CHANNEL = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
TEAM = "19:ffeeddccbbaa99887766554433221100@thread.tacv2"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


async def _mention(teams: Teams, text: str = "<at>journeybot</at> digest here") -> str:
    teams.connector.clear()
    response = await teams.post("channel_mention_digest", text=text)
    assert response.status == 202
    return texts([r.body for r in teams.connector.sent()])


async def roster_manager(teams: Teams, roles: tuple[str, ...] = ("employee", "manager")) -> None:
    """Ada, on the roster in team Sales; the channel's member list gives Teams her email."""
    async with teams.app.db.sessions.begin() as session:
        session.add(PersonRow(email="ada@example.com", name="Ada Lovelace", team="Sales", roles=list(roles)))
    sender_id = teams.activity("channel_mention_digest")["from"]["id"]
    teams.connector.members[sender_id] = {"id": sender_id, "email": "ada@example.com"}


async def test_someone_not_on_the_roster_is_told_kindly_and_nothing_is_stored(teams: Teams) -> None:
    said = await _mention(teams)
    assert "only the team's managers and admins" in said
    assert await Subscriptions(teams.app.db).all() == []
    async with teams.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(PersonRow)) == 0
        assert await session.scalar(select(func.count()).select_from(IdentityRow)) == 0
    (refused,) = await events(teams.app.db)
    assert (refused.actor, refused.platform, refused.action, refused.role, refused.outcome) == (
        "(not on the roster)", "teams", "digest.subscribe", "manager", "refused"
    )  # fmt: skip
    assert refused.target.endswith(CHANNEL)


async def test_an_employee_on_the_roster_is_refused_too(teams: Teams) -> None:
    await roster_manager(teams, roles=("employee",))
    assert "only the team's managers and admins" in await _mention(teams, "<at>journeybot</at> Digest Here")
    assert await Subscriptions(teams.app.db).all() == []


async def test_a_manager_subscribes_the_channel_with_its_reference(teams: Teams) -> None:
    await roster_manager(teams)
    assert "no team digest yet" in await _mention(teams, "<at>journeybot</at> digest status")
    said = await _mention(teams, "<at>journeybot</at> DIGEST HERE")
    assert "Done" in said and "Sales" in said
    (channel,) = await Subscriptions(teams.app.db).all()
    assert (channel.platform, channel.channel, channel.tenant, channel.team) == (
        "teams",
        CHANNEL,
        TENANT,
        "Sales",
    )
    reference = ConversationReference.model_validate_json(channel.address)
    assert reference.conversation.id == CHANNEL and reference.service_url == teams.connector.url
    assert "already" in await _mention(teams)
    assert "Sales" in await _mention(teams, "<at>journeybot</at> digest status")
    # The channel never became the manager's own address: their nudges stay private.
    assert channel.subscribed_by is not None
    assert await teams.app.store.address_of(channel.subscribed_by, "teams") is None
    assert "no more digests" in await _mention(teams, "<at>journeybot</at> digest off")
    assert await Subscriptions(teams.app.db).all() == []
    assert [(e.action, e.outcome) for e in await events(teams.app.db)] == [
        ("digest.subscribe", "done"),
        ("digest.unsubscribe", "done"),
    ]
    assert teams.connector.member_lookups[:1] == [TEAM]  # the team's roster, not the channel thread


async def test_other_channel_mentions_point_to_the_personal_chat(teams: Teams) -> None:
    said = await _mention(teams, "<at>journeybot</at> next")
    assert HINT.split("!")[0] in said
    assert "digest here" in await _mention(teams, "<at>journeybot</at> digest please")


async def test_a_member_lookup_outside_a_team_asks_the_conversation(teams: Teams) -> None:
    await teams.say("hello")
    assert teams.connector.member_lookups == [teams.activity("personal_message")["conversation"]["id"]]
