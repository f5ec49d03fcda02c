"""/journey: the conversation's words for everyone, and the role-gated share and digest parts."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from bot.digests.subscriptions import Subscriptions
from bot.store.audit import events
from bot.store.models import ActivityRow, PersonRow
from tests.slack.conftest import NOW, Slack, payload
from tests.slack.test_slack_dm import onboard


async def run(slack: Slack, text: str, **fields: str) -> dict[str, Any]:
    """The slash command's answer, as posted to its response_url after the empty ack."""
    before = len(slack.fake.called("response_url"))
    response = await slack.command(text, **fields)
    assert response.status == 200 and (await response.text()) == ""
    return (await slack.fake.wait_for("response_url", before + 1))[-1]


async def give_role(slack: Slack, role: str) -> None:
    await run(slack, "help")  # the person now exists
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", role]))


async def test_help_and_status_answer_only_the_person_who_asked(slack: Slack) -> None:
    helped = await run(slack, "help")
    assert helped["response_type"] == "ephemeral"
    assert "Here's what I understand" in json.dumps(helped["blocks"])
    status = await run(slack, "status")
    assert status["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Your journey"}}
    assert slack.fake.called("chat.postMessage") == []  # nothing said in the channel


async def test_pause_and_resume(slack: Slack) -> None:
    paused = await run(slack, "pause 3")
    assert "Enjoy the break" in json.dumps(paused)
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and row.paused_until is not None and (row.paused_until - NOW).days == 3
    await run(slack, "resume")
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None and row.paused_until is None


async def test_journey_log_logs_the_activity_once(slack: Slack) -> None:
    await onboard(slack)
    before = len(slack.fake.called("response_url"))
    response = await slack.command("log I shared an article with my own comment", channel_id="D024BE91L")
    assert response.status == 200 and (await response.text()) == ""
    answers = (await slack.fake.wait_for("response_url", before + 1))[before:]
    assert (
        answers[0]["response_type"] == "ephemeral"
        and "you shared with a line of your own" in answers[0]["text"].lower()
    )
    async with slack.app.db.sessions() as session:
        logged = (await session.scalars(select(ActivityRow))).all()
    assert [(a.kind, a.source) for a in logged] == [("shared_with_comment", "logged")]


async def test_share_and_digest_are_not_allowed_without_the_role(slack: Slack) -> None:
    for text, role in (("share", "marketing"), ("digest here", "manager")):
        answer = await run(slack, text)
        assert "Sorry" in answer["text"] and role in json.dumps(answer["blocks"])
    # The share asked first made Ada known; the digest refusal is recorded under her email.
    assert slack.fake.called("views.open") == []
    assert await audited(slack) == [
        ("ada@example.com", "slack", "share.open", "marketing", "refused"),
        ("ada@example.com", "slack", "digest.subscribe", "manager", "refused"),
    ]


async def audited(slack: Slack) -> list[tuple[str, str, str, str, str]]:
    """The audit trail, as ``journeybot audit`` reads it."""
    return [(e.actor, e.platform, e.action, e.role, e.outcome) for e in await events(slack.app.db)]


async def test_marketing_opens_the_share_modal_and_its_submission_becomes_content(slack: Slack) -> None:
    await give_role(slack, "marketing")
    await slack.command("share")
    (opened,) = await slack.fake.wait_for("views.open")
    assert opened["view"]["callback_id"] == "share"

    too_long = "word " * 70  # 350 characters: more than X allows
    answer = await slack.interaction(
        share_submission(text_x=too_long, text_linkedin="A good read on cloud costs.")
    )
    assert (await answer.json())["errors"].keys() == {"text_x"}
    assert await slack.app.store.list_content() == []

    answer = await slack.interaction(share_submission(text_linkedin="A good read on cloud costs."))
    assert answer.status == 200 and (await answer.text()) == ""
    await slack.fake.wait_for("chat.postMessage")
    (item,) = await slack.app.store.list_content()
    assert (item.id, item.url, item.topics, item.texts) == (
        "cutting-cloud-costs", "https://example.com/cloud", ("cloud", "finops"), {"linkedin": "A good read on cloud costs."},
    )  # fmt: skip
    (created,) = await events(slack.app.db)
    assert (created.actor, created.action, created.target, created.outcome, created.at) == (
        "ada@example.com", "share.create", "cutting-cloud-costs", "done", NOW,
    )  # fmt: skip


async def test_the_share_modal_refuses_as_the_import_does_and_never_replaces_an_id(slack: Slack) -> None:
    await give_role(slack, "marketing")
    bare_272 = "a" * 262 + " acme.io/r"
    refused = await slack.interaction(
        share_submission(
            url="https://acme.io/r",
            text_x=bare_272,
            text_linkedin="https://acme.io/r",
            text_bluesky="👨‍👩‍👧‍👦" * 120,
        )
    )
    errors = (await refused.json())["errors"]
    assert errors.keys() == {"text_x", "text_linkedin"}  # 120 family emoji: 840 code points, 120 graphemes
    assert "286 characters as X counts it" in errors["text_x"] and "limit of 280" in errors["text_x"]
    assert "only a link" in errors["text_linkedin"]
    assert await slack.app.store.list_content() == []

    japanese = await slack.interaction(
        share_submission(title="新しいリリース", text_linkedin="新しいリリースです")
    )
    assert japanese.status == 200
    russian = await slack.interaction(share_submission(title="Новый релиз", text_linkedin="Новый релиз!"))
    assert russian.status == 200
    again = await slack.interaction(share_submission(title="Новый  РЕЛИЗ", text_linkedin="Другой текст"))
    assert "exists already" in (await again.json())["errors"]["title"]
    items = {item.id: item.title for item in await slack.app.store.list_content()}
    assert items == {"新しいリリース": "新しいリリース", "новый-релиз": "Новый релиз"}
    thanks = await slack.fake.wait_for("chat.postMessage", 2)
    assert len(thanks) == 2  # one thank-you per item created, none for the refused one


async def test_share_needs_the_disclosure_when_the_organisation_requires_one(slack: Slack) -> None:
    await give_role(slack, "marketing")
    slack.app.settings.content_disclosure = "#employee"
    refused = await slack.interaction(share_submission(text_linkedin="A good read."))
    assert "#employee" in (await refused.json())["errors"]["text_linkedin"]
    accepted = await slack.interaction(share_submission(text_linkedin="A good read. #employee"))
    assert accepted.status == 200 and (await accepted.text()) == ""


def share_submission(
    title: str = "Cutting cloud costs", url: str = "https://example.com/cloud", **texts: str
) -> dict[str, Any]:
    values = {
        "title": {"title": {"type": "plain_text_input", "value": title}},
        "url": {"url": {"type": "url_text_input", "value": url}},
        "topics": {"topics": {"type": "plain_text_input", "value": "Cloud, FinOps"}},
    }
    values |= {name: {name: {"type": "plain_text_input", "value": text}} for name, text in texts.items()}
    body = payload("view_submission")
    body["view"] = {**body["view"], "callback_id": "share", "state": {"values": values}}
    return body


async def test_a_manager_subscribes_a_channel_to_the_digest_once(slack: Slack) -> None:
    await give_role(slack, "manager")
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(team="Sales"))
    first = await run(slack, "digest here", channel_id="C0TEAM")
    assert "Done" in first["text"]
    again = await run(slack, "digest here", channel_id="C0TEAM")
    assert "already" in again["text"]
    assert [(s.tenant, s.channel, s.team) for s in await Subscriptions(slack.app.db).all()] == [
        ("T1", "C0TEAM", "Sales")
    ]
    assert [(e.action, e.target, e.outcome) for e in await events(slack.app.db)] == [
        ("digest.subscribe", "T1:C0TEAM", "done")  # once: the second ask changed nothing
    ]
