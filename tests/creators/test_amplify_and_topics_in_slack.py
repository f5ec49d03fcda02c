"""Amplifying a colleague and topic requests, end to end over Slack's HTTP endpoint.

A creator logs an original piece and is offered *Let colleagues amplify it*; the modal refuses a bad
link (nothing stored), then a Sharer whose topics fit gets the piece through the outbox (never the
author, and never as company content), and *I passed it on* notes an amplification. Marketing asks
for a piece on a topic; a Socially Engaged colleague whose topics match gets it, takes it on, and
marketing is told; someone without the marketing role is refused kindly."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select, update

from bot.creators.models import AmplifiedPieceRow, TopicTakerRow
from bot.store.models import ActivityRow, OfferRow, PersonRow
from tests.creators.test_creators_in_slack import posted_to, press, submission
from tests.slack.conftest import Slack, app, fake, slack
from tests.slack.test_slack_commands import run
from tests.slack.test_slack_dm import onboard

__all__ = ["app", "fake", "slack"]
CARA, MIA = "U0CARA", "U0MIA"
ADA_DM, CARA_DM, MIA_DM = "D024BE91L", "D0CARA", "D0MIA"


async def _people(slack: Slack) -> None:
    slack.fake.add_user(CARA, "Cara Creator", "cara@example.com")
    slack.fake.add_user(MIA, "Mia Marketing", "mia@example.com")
    await onboard(slack)  # Ada: a Sharer on LinkedIn, topics cloud and hiring
    for user, channel in ((CARA, CARA_DM), (MIA, MIA_DM)):
        await slack.say("hello", f"Ev{user}", user=user, channel=channel, replies=2)
    async with slack.app.db.sessions.begin() as session:
        await session.execute(
            update(PersonRow).where(PersonRow.email == "ada@example.com").values(weekly_cap=3)
        )
        await session.execute(
            update(PersonRow).where(PersonRow.email == "cara@example.com").values(zone=3, topics=["cloud"])
        )
        await session.execute(
            update(PersonRow)
            .where(PersonRow.email == "mia@example.com")
            .values(roles=["employee", "marketing"])
        )


async def test_a_new_piece_reaches_sharers_whose_topics_fit(slack: Slack) -> None:
    await _people(slack)
    fake = slack.fake
    await slack.say("log I wrote a blog post on cloud costs", "EvLog", user=CARA, channel=CARA_DM)
    invite = await posted_to(fake, CARA_DM, "Let colleagues amplify it")

    opens = len(fake.called("views.open"))
    await slack.interaction(press(invite, "amplify.ask", CARA))
    (opened,) = (await fake.wait_for("views.open", opens + 1))[opens:]
    assert opened["view"]["callback_id"] == "creators.amplify"

    bad = await slack.interaction(
        submission("creators.amplify", CARA, url="cloud costs", title="Cloud costs")
    )
    assert set((await bad.json())["errors"]) == {"url"}
    async with slack.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AmplifiedPieceRow)) == 0

    done = await slack.interaction(
        submission(
            "creators.amplify",
            CARA,
            url="https://cara.example.com/cloud",
            title="Cloud costs, honestly",
            topics="cloud",
        )
    )
    assert done.status == 200 and (await done.text()) == ""
    assert "1 colleague(s)" in json.dumps(await posted_to(fake, "D0CARA", "Announced"))

    await slack.app.delivery().drain()
    card = await posted_to(fake, ADA_DM, "A colleague's new piece")
    assert "https://cara.example.com/cloud" in json.dumps(card) and "Cara" in json.dumps(card)
    assert not [
        p
        for p in fake.called("chat.postMessage")
        if p["channel"] == CARA_DM and "A colleague's new piece" in json.dumps(p)
    ]
    async with slack.app.db.sessions() as session:  # a colleague's piece: no company offer anywhere
        assert (
            await session.scalar(
                select(func.count()).select_from(OfferRow).where(OfferRow.category == "share")
            )
            == 0
        )

    await slack.interaction(press(card, "log.confirm", "U2147483697"))
    for _ in range(100):
        async with slack.app.db.sessions() as session:
            if await session.scalar(
                select(func.count()).select_from(ActivityRow).where(ActivityRow.kind == "amplified")
            ):
                break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the amplification was not noted")


async def test_marketing_asks_for_a_piece_and_an_ambassador_takes_it_on(slack: Slack) -> None:
    await _people(slack)
    fake = slack.fake
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).where(PersonRow.email == "ada@example.com").values(zone=4))

    refused = await run(slack, "request cloud costs")  # Ada has no marketing role
    assert "marketing" in json.dumps(refused) and "Ask your admin" in json.dumps(refused)
    asked = await run(slack, "request cloud costs -- what customers ask before they buy", user_id=MIA)
    assert "Asked 1" in json.dumps(asked)
    empty = await run(slack, "request gardening", user_id=MIA)
    assert "haven't asked anyone" in json.dumps(empty)

    await slack.app.delivery().drain()
    card = await posted_to(fake, ADA_DM, "A topic you know")
    assert "what customers ask before they buy" in json.dumps(card)
    updates = len(fake.called("chat.update"))
    await slack.interaction(press(card, "topic.take", "U2147483697"))
    (taken,) = (await fake.wait_for("chat.update", updates + 1))[updates:]
    assert "Wonderful" in json.dumps(taken)
    await slack.app.delivery().drain()
    told = await posted_to(fake, "D0MIA", "will write a piece")
    assert "Ada" in json.dumps(told)
    async with slack.app.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TopicTakerRow)) == 1
