"""A person's own data in a Slack DM, over signed HTTP: see it, export it, erase it (after a yes)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import func, select

from bot.store.models import ActivityRow, PersonRow
from tests.slack.conftest import Slack, payload
from tests.slack.test_slack_dm import action_ids, onboard


def texts(message: dict[str, Any]) -> str:
    return json.dumps(message["blocks"], ensure_ascii=False)


def preformatted(message: dict[str, Any]) -> str:
    """The verbatim text of a message's rich-text blocks (how Slack shows the export)."""
    return "".join(
        element["elements"][0]["text"]
        for block in message["blocks"]
        if block["type"] == "rich_text"
        for element in block["elements"]
        if element["type"] == "rich_text_preformatted"
    )


async def press(slack: Slack, message: dict[str, Any], action: str) -> None:
    button = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith(action)
    )
    body = payload(
        "block_actions",
        actions=[
            {
                **payload("block_actions")["actions"][0],
                "action_id": button["action_id"],
                "value": button.get("value", ""),
            }
        ],
    )
    body["container"]["message_ts"] = body["message"]["ts"] = message["answered_ts"]
    response = await slack.interaction(body)
    assert response.status == 200


async def people(slack: Slack) -> int:
    async with slack.app.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(PersonRow)) or 0)


async def test_see_export_and_erase_my_data_in_a_dm(slack: Slack) -> None:
    fake = slack.fake
    await onboard(slack)
    await slack.say("log shared the persimmon article with my own line", "EvLog", replies=3)

    (overview,) = await slack.say("What do you know about me?", "EvSee")
    assert "What I keep about you" in texts(overview) and "ada@example.com" in texts(overview)
    assert "Things you logged" in texts(overview)
    assert [a.split("#")[0] for a in action_ids(overview)] == ["data.export", "data.erase_ask"]

    note, exported = await slack.say("export my data please", "EvExport", replies=2)
    assert ".json" in texts(note)
    data = json.loads(preformatted(exported))  # the JSON, whole and valid, in the DM
    assert data["person"]["email"] == "ada@example.com"
    assert [a["note"] for a in data["activities"]] == ["shared the persimmon article with my own line"]
    assert data["identities"][0]["user_id"] == "U2147483697"

    (question,) = await slack.say("delete my data", "EvErase")
    assert "final" in texts(question).lower()
    assert await people(slack) == 1  # asking erases nothing

    before = len(fake.called("chat.postMessage"))
    await press(slack, question, "data.erase")
    (goodbye,) = (await fake.wait_for("chat.postMessage", before + 1))[before:]
    (update,) = await fake.wait_for("chat.update", 1)
    assert action_ids(update) == []  # the question can't be answered twice
    assert "gone" in texts(goodbye).lower() or "deleted" in texts(goodbye).lower()
    assert await people(slack) == 0
    async with slack.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ActivityRow)) == 0

    (nothing,) = await slack.say("export my data", "EvAgain")
    assert "don't hold anything" in texts(nothing)
    assert await people(slack) == 0  # asking did not create anyone


async def test_no_keeps_everything(slack: Slack) -> None:
    await onboard(slack)
    (question,) = await slack.say("forget me", "EvForget")
    before = len(slack.fake.called("chat.postMessage"))
    await press(slack, question, "data.keep")
    (kept,) = (await slack.fake.wait_for("chat.postMessage", before + 1))[before:]
    assert "Nothing deleted" in texts(kept)
    assert await people(slack) == 1


async def test_erasing_from_the_slash_command_in_a_channel_leaves_nobody_behind(slack: Slack) -> None:
    """``/journey delete my data`` in a channel: the question is ephemeral, the answer comes in the DM,
    and no App Home is published afterwards (that would make the person anew)."""
    fake = slack.fake
    await onboard(slack)
    assert (await slack.command("delete my data")).status == 200
    (question,) = await fake.wait_for("response_url", 1)
    assert "final" in texts(question).lower()
    button = next(
        e
        for b in question["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].startswith("data.erase#")
    )
    body = payload(
        "block_actions",
        actions=[{**payload("block_actions")["actions"][0], "action_id": button["action_id"], "value": ""}],
    )
    body["container"] = {
        "type": "message",
        "message_ts": "1700000000.999999",
        "channel_id": "C2147483705",
        "is_ephemeral": True,
    }
    body["channel"] = {"id": "C2147483705", "name": "general"}
    before, published = len(fake.called("chat.postMessage")), len(fake.called("views.publish"))
    assert (await slack.interaction(body)).status == 200
    (goodbye,) = (await fake.wait_for("chat.postMessage", before + 1))[before:]
    assert goodbye["channel"] == "D2147483697"  # the DM conversations.open gave
    assert "can't be brought back" in texts(goodbye) or "for good" in texts(goodbye)
    await asyncio.sleep(0.5)  # time for a Home publish, had the listener gone on to one
    assert await people(slack) == 0
    assert len(fake.called("views.publish")) == published
