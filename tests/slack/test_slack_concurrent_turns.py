"""DMs of one person at the same moment, over signed HTTP, to two replicas of the app on one database.

Slack sends events as they happen and the app handles them after the ack, so a burst of messages is
a burst of concurrent turns; behind a load balancer they land on different replicas.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import time, timedelta

import pytest

from bot.store.database import Database
from nudges.activities import ActivityKind
from tests.slack.conftest import NOW, Slack, payload, serving, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_dm import onboard

SETTINGS = ("set topics design, hiring", "set networks mastodon", "set cap 3", "set quiet 20:00-08:00")
FOLLOWED = "log followed three people who write about cloud"  # no milestone: one reply each


@pytest.fixture
async def replica(database: Database, fake: FakeSlack) -> AsyncIterator[Slack]:
    """A second replica: its own app, engine and server on the same database and fake Slack."""
    async with serving(slack_settings(database, fake), fake, rng=random.Random(2)) as served:
        yield served


async def test_a_burst_of_dms_on_two_replicas_keeps_every_change(slack: Slack, replica: Slack) -> None:
    await onboard(slack)
    said = ["pause 7", *SETTINGS, *[FOLLOWED] * 15]
    before = len(slack.fake.called("chat.postMessage"))

    responses = await asyncio.gather(
        *(
            (slack, replica)[n % 2].event(
                payload("message_im", event_id=f"EvBurst{n}", event={"text": text, "channel": "D024BE91L"})
            )
            for n, text in enumerate(said)
        )
    )

    assert [r.status for r in responses] == [200] * len(said)
    replies = 1 + 2 * len(SETTINGS) + said.count(FOLLOWED)  # "Saved ✓" and the settings, per setting
    posted = (await slack.fake.wait_for("chat.postMessage", before + replies, seconds=20))[before:]
    assert "I'll be quiet until" in " ".join(str(p.get("text", "")) for p in posted)
    row = await slack.app.store.person_row_by_email("ada@example.com")
    assert row is not None
    person, history = await slack.app.store.load_all(row.id)
    assert person.paused_until == NOW + timedelta(days=7)
    assert person.topics == ("design", "hiring") and person.networks == ("mastodon",)
    assert person.weekly_cap == 3 and person.schedule.quiet_start == time(20, 0)
    assert [a.kind for a in history.activities] == [ActivityKind.FOLLOWED] * said.count(FOLLOWED)
