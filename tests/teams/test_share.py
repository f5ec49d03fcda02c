"""Marketing in Teams: ``share`` opens the suggested-share form as a card, validated exactly as the
Slack modal and the import are; ``share report`` gives the same counts; only marketing may."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update

from bot.store.models import PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, texts


async def send_form(teams: Teams, **values: Any) -> dict[str, Any]:
    """Press *Suggest* on the form the Universal Actions way; the invoke response's card."""
    teams.connector.clear()
    invoke = teams.activity("invoke_adaptive_card_action", replyToId="form-1")
    data = {"form": "share", **values}
    invoke["value"]["action"].update(verb="share.create", data=data)
    response = await teams.post(invoke)
    assert response.status == 200, await response.text()
    body = await response.json()
    validate_card(body["value"])
    return body["value"]


async def make_marketing(teams: Teams) -> None:
    await teams.say("hello")
    async with teams.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", "marketing"]))


async def test_only_marketing_gets_the_form(teams: Teams) -> None:
    await teams.say("hello")
    answer = texts(await teams.say("share"))
    assert "marketing" in answer and "Sorry" in answer
    refused = json.dumps(await send_form(teams, title="Sneaky", url="https://example.com", text_x="Hi there"))
    assert "Sorry" in refused
    assert await teams.app.store.list_content() == []


async def test_marketing_creates_a_share_from_the_card_validated_like_everywhere_else(teams: Teams) -> None:
    await make_marketing(teams)
    sent = await teams.say("share")
    card = sent[0]["attachments"][0]["content"]
    validate_card(card)
    assert "Ready text for Bluesky" in json.dumps(card) and card["actions"][0]["verb"] == "share.create"

    bare_272 = "a" * 262 + " acme.io/r"
    refused = json.dumps(
        await send_form(
            teams, title="Новый релиз", url="https://acme.io/r", text_x=bare_272, text_linkedin="acme.io/r"
        ),
        ensure_ascii=False,
    )
    assert "Please correct" in refused and "286 characters as X counts it" in refused
    assert "only a link" in refused and bare_272 in refused  # what they typed is kept
    assert await teams.app.store.list_content() == []

    done = json.dumps(
        await send_form(
            teams,
            title="Новый релиз",
            url="https://acme.io/r",
            text_bluesky="Launch day " + "👨‍👩‍👧‍👦" * 60,
            zones=["sharer"],
        ),
        ensure_ascii=False,
    )
    assert "Thanks!" in done and "новый-релиз" in done
    (item,) = await teams.app.store.list_content()
    assert (item.id, item.networks(), item.topics) == ("новый-релиз", ("bluesky",), ())

    again = json.dumps(
        await send_form(teams, title="НОВЫЙ релиз", url="https://acme.io/other", text_bluesky="Another text"),
        ensure_ascii=False,
    )
    assert "exists already" in again
    assert [i.url for i in await teams.app.store.list_content()] == ["https://acme.io/r"]  # not replaced

    report = texts(await teams.say("share report"))
    assert "Suggested shares" in report and "Новый релиз" in report
    unknown = texts(await teams.say("share report nope"))
    assert "don't know" in unknown
