"""The copy-editing path end to end over Slack's HTTP endpoint, signed as Slack signs: ``/journey
edit`` opens the modal, a bad draft is refused under its input (nothing stored), a good one reaches
both editors through the outbox, one claims it and the other's card says so, the suggestions come
back in a modal, and the author accepts them; the editor hears it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import func, select, update

from bot.creators.models import ACCEPTED, EditRequestRow
from bot.store.models import PersonRow
from tests.slack.conftest import Slack, app, fake, payload, slack
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_commands import run
from tests.slack.test_slack_dm import action_ids

__all__ = ["app", "fake", "slack"]
ADA, EVE, ED = "U2147483697", "U0EVE", "U0ED"
ADA_DM = "D2147483697"  # the fake's conversations.open: the DM the bot opens with Ada


def submission(callback: str, user: str = ADA, ref: str = "", **values: str) -> dict[str, Any]:
    body = payload("view_submission")
    body["user"] = {**body["user"], "id": user}
    state = {name: {name: {"type": "plain_text_input", "value": value}} for name, value in values.items()}
    body["view"] = {
        **body["view"],
        "callback_id": callback,
        "private_metadata": ref,
        "state": {"values": state},
    }
    return body


def press(message: dict[str, Any], action_prefix: str, user: str) -> dict[str, Any]:
    button = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
        if e["action_id"].startswith(action_prefix)
    )  # fmt: skip
    body = payload("block_actions")
    body["user"] = {**body["user"], "id": user}
    body["channel"] = {"id": message["channel"], "name": "directmessage"}
    body["container"] = {
        **body["container"],
        "channel_id": message["channel"],
        "message_ts": message["answered_ts"],
    }
    body["message"]["ts"] = message["answered_ts"]
    body["actions"] = [
        {**body["actions"][0], "action_id": button["action_id"], "value": button.get("value", "")}
    ]
    return body


async def posted_to(fake: FakeSlack, channel: str, words: str) -> dict[str, Any]:
    """The newest message posted to ``channel`` with ``words`` in it, waiting for it as a person would."""
    for _ in range(100):
        for posted in reversed(fake.called("chat.postMessage")):
            if posted["channel"] == channel and words in json.dumps(posted):
                return posted
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing with {words!r} was posted to {channel}")


async def test_a_draft_goes_from_a_creator_to_an_editor_and_back(slack: Slack) -> None:
    fake = slack.fake
    fake.add_user(EVE, "Eve Editor", "eve@example.com")
    fake.add_user(ED, "Ed Editor", "ed@example.com")
    await run(slack, "help")  # Ada exists
    for user, channel in ((EVE, "D0EVE"), (ED, "D0ED")):
        await slack.say("hello", f"Ev{user}", user=user, channel=channel, replies=2)
    async with slack.app.db.sessions.begin() as session:
        await session.execute(
            update(PersonRow)
            .where(PersonRow.email.in_(["eve@example.com", "ed@example.com"]))
            .values(roles=["employee", "editor"])
        )

    before = len(fake.called("views.open"))
    assert (await slack.command("edit")).status == 200
    (opened,) = (await fake.wait_for("views.open", before + 1))[before:]
    assert opened["view"]["callback_id"] == "creators.edit"
    assert "keep your voice" in json.dumps(opened["view"])

    refused = await slack.interaction(submission("creators.edit", draft="  ", title="t" * 200))
    assert refused.status == 200
    errors = await refused.json()
    assert errors["response_action"] == "errors" and set(errors["errors"]) == {"draft", "title"}
    async with slack.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(EditRequestRow)) == 0

    sent = await slack.interaction(
        submission("creators.edit", draft="Their is a typo hear.", title="On typos")
    )
    assert sent.status == 200 and (await sent.text()) == ""
    thanks = await posted_to(fake, ADA_DM, "on its way")
    assert "voice" in json.dumps(thanks)

    await slack.app.delivery().drain()
    eve_card = await posted_to(fake, "D0EVE", "Copy-edit request")
    ed_card = await posted_to(fake, "D0ED", "Copy-edit request")
    assert "Their is a typo hear." in json.dumps(eve_card)
    assert any(a.startswith("edit.claim") for a in action_ids(ed_card))

    updates = len(fake.called("chat.update"))
    await slack.interaction(press(eve_card, "edit.claim", EVE))
    done = await fake.wait_for("chat.update", updates + 2)
    looks = {u["channel"]: json.dumps(u) for u in done[updates:]}
    assert "Yours to copy-edit" in looks["D0EVE"] and "claimed by someone else" in looks["D0ED"]
    # Ed presses the Claim he still had on another device: kindly too late, nothing changes.
    await slack.interaction(press(ed_card, "edit.claim", ED))
    late = await fake.wait_for("chat.update", updates + 3)
    assert "just before you" in json.dumps(late[-1])
    # The author hears an editor has it. (One drain a message: the test clock stands still, and the
    # rate limiter allows one message a second in a conversation.)
    await slack.app.delivery().drain()
    assert "picked up" in json.dumps(await posted_to(fake, ADA_DM, "picked up"))

    mine = {
        **eve_card,
        "blocks": done[updates]["blocks"]
        if done[updates]["channel"] == "D0EVE"
        else done[updates + 1]["blocks"],
    }
    opens = len(fake.called("views.open"))
    await slack.interaction(press(mine, "edit.suggest", EVE))
    (form,) = (await fake.wait_for("views.open", opens + 1))[opens:]
    request_id = form["view"]["private_metadata"]
    assert form["view"]["callback_id"] == "creators.suggest" and request_id.startswith("e")
    await slack.interaction(
        submission("creators.suggest", EVE, request_id, suggestions="There is a typo here.")
    )
    await posted_to(fake, "D0EVE", "Sent. Thank you")
    await slack.app.delivery().drain()
    back = await posted_to(fake, ADA_DM, "Suggestions for your draft")
    assert "There is a typo here." in json.dumps(back) and "your voice" in json.dumps(back)

    updates = len(fake.called("chat.update"))
    await slack.interaction(press(back, "edit.accept", ADA))
    (answered,) = (await fake.wait_for("chat.update", updates + 1))[updates:]
    assert "Accepted" in json.dumps(answered)
    await slack.app.delivery().drain()
    assert "took your suggestions" in json.dumps(await posted_to(fake, "D0EVE", "took your suggestions"))
    async with slack.app.db.sessions() as session:
        assert await session.scalar(select(EditRequestRow.status)) == ACCEPTED
