"""Personal chat or team channel, from every signal an activity carries: a channel activity without
``conversation.conversationType`` (Microsoft's own ``message_card_action_value`` example has none)
must not be taken for the person's chat, or their private nudges would be posted into the channel."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select

from bot.store.models import IdentityRow
from tests.teams.conftest import Teams

Json = dict[str, Any]


def without_signals(activity: Json, *keep: str) -> Json:
    """The channel activity with only the named signals left: "isGroup", "channelData", "id"."""
    changed = copy.deepcopy(activity)
    if "isGroup" not in keep:
        changed["conversation"].pop("isGroup", None)
    if "channelData" not in keep:
        changed["channelData"] = {"tenant": changed["channelData"]["tenant"]}
    if "id" not in keep:
        changed["conversation"]["id"] = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2;messageid=1"
    return changed


@pytest.mark.parametrize(
    "keep",
    [("isGroup", "channelData", "id"), ("channelData",), ("id",)],
    ids=["microsofts-example", "channel-data-only", "conversation-id-only"],
)
async def test_a_card_press_in_a_channel_without_a_conversation_type_stores_no_address(
    teams: Teams, keep: tuple[str, ...]
) -> None:
    activity = teams.activity("channel_card_action_value")
    if keep != ("isGroup", "channelData", "id"):
        activity = without_signals(activity, *keep)

    response = await teams.post(activity)

    assert response.status in (200, 202), await response.text()
    async with teams.app.db.sessions() as session:
        addresses = (await session.scalars(select(IdentityRow.address))).all()
    assert all(a is None for a in addresses)  # nothing private will ever go to the channel
    assert all("Question 1" not in str(r.body) for r in teams.connector.sent())  # no onboarding there


async def test_the_personal_chat_still_becomes_the_address(teams: Teams) -> None:
    response = await teams.post("card_submit")
    assert response.status == 202
    async with teams.app.db.sessions() as session:
        (address,) = (await session.scalars(select(IdentityRow.address))).all()
    assert address is not None and '"a:1Jk2' in address
