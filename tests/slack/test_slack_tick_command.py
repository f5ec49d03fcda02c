"""``journeybot tick --at``: one pass at a given instant, delivering to Slack under its rate limits.

The command's delivery really sleeps for its rate-limit slots, so its clock must move on while it
waits; these tests run it on fake time (``monotonic`` and ``sleep`` injected) and never sleep.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.main.runs import tick_once
from bot.store.database import Database
from tests.delivery.fakes import FakeMonotonic, add_person
from tests.slack.conftest import slack_settings
from tests.slack.fake_slack import FakeSlack

# The last minute of a UTC working window on a Monday: every spread minute has passed.
LATE = datetime(2026, 11, 23, 16, 29, tzinfo=UTC)


async def test_tick_at_an_instant_waits_for_slack_slots_on_a_clock_that_moves(
    database: Database, fake: FakeSlack
) -> None:
    for n in range(40):
        await add_person(database, f"p{n}@example.com", timezone="UTC")
    settings = slack_settings(database, fake, delivery_concurrency=1)
    time = FakeMonotonic()

    report = await tick_once(settings, LATE, monotonic=time, sleep=time.sleep)

    assert report.delivered is not None and report.delivered.sent == 40
    assert len(fake.called("chat.postMessage")) == 40
    # 40 DMs at the workspace pace take about 40 / rate seconds of waiting in all. With the clock frozen
    # at --at, every slot looked as far away as the whole queue ahead of it: 126 s of sleeps here.
    assert 0 < sum(time.slept) <= 40 / settings.slack_workspace_per_second
    assert max(time.slept) < 1


async def test_tick_at_an_instant_checks_windows_at_that_instant(database: Database, fake: FakeSlack) -> None:
    await add_person(database, "tokyo@example.com", timezone="Asia/Tokyo")  # 01:29 on Tuesday there
    await add_person(database, "utc@example.com", timezone="UTC")
    time = FakeMonotonic()

    report = await tick_once(slack_settings(database, fake), LATE, monotonic=time, sleep=time.sleep)

    assert (report.planned, report.delivered.sent if report.delivered else None) == (1, 1)
    assert [c["channel"] for c in fake.called("chat.postMessage")] == ["D-utc@example.com"]
