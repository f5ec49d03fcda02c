"""The whole marketing loop through the real endpoints: an item created in the Slack modal reaches a
Sharer with a text valid for their network and their own tracked link; the click goes through
``/r/{token}`` (and nowhere else); *I shared it* is logged; the report counts it; expiring the item
turns the card already sent into "this suggestion has ended", and it is never offered again."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, update

from bot.store.database import Database
from bot.store.models import ContentClickRow, ContentShareRow, PersonRow
from tests.slack.conftest import Slack, fake, serving, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_commands import run, share_submission
from tests.slack.test_slack_dm import action_ids, onboard, press_on

PUBLIC = "https://journeybot.example.com"
__all__ = ["fake"]  # the fake Slack Web API fixture, shared with tests/slack


@pytest.fixture
async def slack(database: Database, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with serving(slack_settings(database, fake, public_url=PUBLIC), fake) as served:
        yield served


async def offered_share(slack: Slack) -> dict:
    for attempt in range(12):  # steps and shares are mixed; the seeded rng makes this repeatable
        (posted,) = await slack.say("next", f"EvNext{attempt}")
        if any(i.startswith("share.") for i in action_ids(posted)):
            return posted
    raise AssertionError("no share was offered")


async def test_create_receive_click_share_report_and_expire(slack: Slack) -> None:
    await onboard(slack)  # Ada: a Sharer on LinkedIn, topics cloud and hiring
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", "marketing"], team="Platform"))
    created = await slack.interaction(
        share_submission(
            title="Cutting cloud costs",
            text_linkedin="We cut our cloud bill by a third; here is how: https://example.com/cloud",
            text_x="A third off the cloud bill https://example.com/cloud",
        )
    )
    assert created.status == 200 and (await created.text()) == ""

    card = await offered_share(slack)
    quote = next(b for b in card["blocks"] if b["type"] == "rich_text")
    text = quote["elements"][-1]["elements"][0]["text"]
    link = re.search(rf"{re.escape(PUBLIC)}/r/(\S+)", text)
    assert link is not None and text.startswith("We cut our cloud bill by a third; here is how: ")
    token = link.group(1)

    clicked = await slack.client.get(f"/r/{token}", allow_redirects=False)
    assert clicked.status == 302
    target = urlsplit(clicked.headers["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "example.com", "/cloud")
    assert parse_qs(target.query) == {
        "utm_source": ["linkedin"],
        "utm_medium": ["employee_advocacy"],
        "utm_campaign": ["cutting-cloud-costs"],
        "utm_content": [token],
    }
    assert "ada" not in token.lower() and "lovelace" not in clicked.headers["Location"].lower()

    shared = next(e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert shared["action_id"].startswith("share.shared")
    await slack.interaction(press_on(card, shared))
    await slack.fake.wait_for("chat.update")
    async with slack.app.db.sessions() as session:
        shares = [(s.item_id, s.network) for s in await session.scalars(select(ContentShareRow))]
        clicks = [(c.item_id, c.network) for c in await session.scalars(select(ContentClickRow))]
    assert shares == [("cutting-cloud-costs", "linkedin")]
    assert clicks == [("cutting-cloud-costs", "linkedin")]

    report = json.dumps(await run(slack, "share report"), ensure_ascii=False)
    assert "Cutting cloud costs" in report and "a few" in report
    assert "Ada" not in report and "ada@" not in report  # counts, never people

    before = len(slack.fake.called("chat.update"))
    ended = await run(slack, "share expire cutting-cloud-costs")
    assert "ended" in ended["text"]
    updates = await slack.fake.wait_for("chat.update", before + 1)
    assert updates[-1]["ts"] == card["answered_ts"]
    assert "this suggestion has ended" in json.dumps(updates[-1]["blocks"])
    for attempt in range(6):
        (posted,) = await slack.say("next", f"EvAfter{attempt}")
        assert "Cutting cloud costs" not in json.dumps(posted, ensure_ascii=False)


async def test_only_our_own_tokens_redirect_and_only_to_the_items_url(slack: Slack) -> None:
    await onboard(slack)
    async with slack.app.db.sessions.begin() as session:
        await session.execute(update(PersonRow).values(roles=["employee", "marketing"]))
    await slack.interaction(share_submission(text_linkedin="A good read on cloud costs."))
    card = await offered_share(slack)
    text = json.dumps(card)
    token = re.search(rf"{re.escape(PUBLIC)}/r/([A-Za-z0-9_-]+)", text).group(1)  # type: ignore[union-attr]
    offer, code, signature = token[:-13], token[-13], token[-12:]
    forged = offer + code + ("A" if signature[0] != "A" else "B") + signature[1:]
    other_network = offer + ("b" if code != "b" else "c") + signature
    hostile = [
        "unknown",
        forged,
        other_network,
        "0" * 16 + "a" + "x" * 12,
        "%2F%2Fevil.example",
        "https:%2F%2Fevil.example",
        token + "x",
        "x" * 500,
        "..%2F..%2Fhealthz",
    ]
    for bad in hostile:
        response = await slack.client.get(f"/r/{bad}", allow_redirects=False)
        assert response.status == 404, bad
        assert "Location" not in response.headers
    # Extra parameters change nothing: the target is the stored item's URL.
    response = await slack.client.get(f"/r/{token}?next=https://evil.example", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("https://example.com/cloud?")
    async with slack.app.db.sessions() as session:
        assert len((await session.scalars(select(ContentClickRow))).all()) == 1  # only the real click
