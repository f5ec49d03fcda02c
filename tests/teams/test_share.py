"""Marketing in Teams: ``share`` opens the suggested-share form as a card, validated exactly as the
Slack modal and the import are; ``share report`` gives the same counts; only marketing may."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from adapters.teams.sender import TeamsSender
from adapters.teams.web import TEAMS_AGENT
from bot.delivery.deliver import Delivery
from bot.scheduling.tick import tick
from bot.store.models import PersonRow
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press, texts


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


async def test_an_item_made_in_teams_is_delivered_in_the_window_with_a_tracked_link_and_ended_in_place(
    teams: Teams,
) -> None:
    await make_marketing(teams)
    await press(teams, "onboarding.choose", "linkedin")
    for answer in ("gardening", "2", "1"):  # a Sharer on LinkedIn; the item has no topics at all
        await teams.say(answer)
    done = json.dumps(
        await send_form(
            teams,
            title="Spring release",
            url="https://example.com/spring",
            text_linkedin="Our spring release is out: https://example.com/spring",
            not_company="not_company",
        )
    )
    assert "Thanks!" in done
    sender = TeamsSender(teams.client.server.app[TEAMS_AGENT].adapter, teams.config)
    teams.app.senders["teams"] = sender  # what the composition root does for a configured Teams
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock)
    clock = teams.app.clock
    teams.connector.clear()
    share = None
    for _ in range(21 * 24):  # hourly ticks until the share comes (steps may come first)
        clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
        await tick(teams.app.planning, clock.now, delivery=delivery)  # type: ignore[attr-defined]
        share = next((r for r in teams.connector.sent() if "Spring release" in json.dumps(r.card)), None)
        if share is not None:
            break
    assert share is not None and share.card is not None
    validate_card(share.card)
    local = clock.now.astimezone(ZoneInfo("Europe/Berlin"))  # type: ignore[attr-defined]
    assert local.weekday() < 5 and 9 <= local.hour <= 16  # in her own working hours
    card_text = json.dumps(share.card).replace("\\\\", "")  # Adaptive Card markdown escapes "_"
    assert "Our spring release is out: https://example.com/spring?utm_source=linkedin" in card_text
    assert "utm_medium=employee_advocacy" in card_text and "utm_campaign=spring-release" in card_text

    teams.connector.clear()
    ended = texts(await teams.say("share expire spring-release"))
    assert "Spring release" in ended and "1 card(s)" in ended
    (update,) = teams.connector.updates()
    assert "this suggestion has ended" in json.dumps(update.body)
