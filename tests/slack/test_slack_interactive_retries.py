"""Replies to a person (interactive sends) follow delivery's rules: a 429 is retried after its
``Retry-After`` (Slack did nothing), a 5xx or a timeout is not sent blindly again (Slack may have
posted it), and an offer in a reply that never went out is not recorded as shown."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.store.models import OfferRow
from tests.slack.conftest import Slack
from tests.slack.test_slack_dm import onboard


async def test_two_429s_in_a_row_still_deliver_the_reply_once(slack: Slack) -> None:
    await onboard(slack)
    before = len(slack.fake.called("chat.postMessage"))
    slack.fake.fail("chat.postMessage", 429, "ratelimited", retry_after=1, times=2)

    posted = await slack.say("next", "EvNext", replies=3)  # two refused, then the reply

    assert [p.get("answered_ts") is not None for p in posted] == [False, False, True]
    await asyncio.sleep(0.3)
    assert len(slack.fake.called("chat.postMessage")) == before + 3


async def offer_count(slack: Slack) -> int:
    async with slack.app.db.sessions() as session:
        return len((await session.scalars(select(OfferRow))).all())


async def test_a_5xx_on_a_reply_is_not_sent_again(slack: Slack) -> None:
    await onboard(slack)
    offers_before = await offer_count(slack)
    before = len(slack.fake.called("chat.postMessage"))
    slack.fake.fail("chat.postMessage", 503, "service_unavailable")

    await slack.say("next", "EvNext")
    await asyncio.sleep(1.5)  # slack_sdk's server-error retry would have fired by now

    assert len(slack.fake.called("chat.postMessage")) == before + 1  # no second copy
    assert await offer_count(slack) == offers_before + 1  # it may be on screen: its buttons work


async def test_a_reply_refused_for_good_leaves_no_offer_recorded_as_shown(slack: Slack) -> None:
    await onboard(slack)
    offers_before = await offer_count(slack)
    before = len(slack.fake.called("chat.postMessage"))
    slack.fake.fail("chat.postMessage", 429, "ratelimited", retry_after=0, times=4)

    await slack.say("next", "EvNext", replies=4)  # the first try and three retries, all refused
    await asyncio.sleep(0.3)

    assert len(slack.fake.called("chat.postMessage")) == before + 4
    assert await offer_count(slack) == offers_before  # never seen: not on record
