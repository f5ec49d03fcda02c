"""Issue 16 item 3 / issue 17: Slack is acknowledged before any work, so a burst slows the answers,
never the acks. The audit's repro: many first DMs at once, with Slack's Web API slow to answer."""

from __future__ import annotations

import asyncio

from tests.slack.conftest import Slack, payload

PEOPLE = 40


def first_dm(n: int, event_id: str | None = None) -> dict:
    user, channel = f"UBURST{n:03d}", f"DBURST{n:03d}"
    return payload(
        "message_im",
        event_id=event_id or f"EvBurst{n}",
        event={"text": "hi", "user": user, "channel": channel},
    )


async def test_a_burst_of_first_dms_is_acked_before_any_is_answered_and_each_is_answered_once(
    slack: Slack,
) -> None:
    for n in range(PEOPLE):
        slack.fake.add_user(f"UBURST{n:03d}", f"Person {n}", f"person{n}@example.com")
    slack.fake.slow["users.info"] = 1.0  # every first turn looks the person up: the work is slow

    acks = await asyncio.gather(*(slack.event(first_dm(n)) for n in range(PEOPLE)))

    assert [a.status for a in acks] == [200] * PEOPLE
    # Every ack is back while no turn has got past its (slow) lookup: the acks did not wait for work.
    assert slack.fake.called("chat.postMessage") == []

    # Each gets its hello and first question (two messages), exactly once, in its own DM.
    posted = await slack.fake.wait_for("chat.postMessage", 2 * PEOPLE, seconds=60)
    assert sorted(p["channel"] for p in posted) == sorted(2 * [f"DBURST{n:03d}" for n in range(PEOPLE)])


async def test_slacks_retry_of_an_event_is_acked_and_handled_once(slack: Slack) -> None:
    slack.fake.add_user("UBURST000", "Person 0", "person0@example.com")
    first = await slack.event(first_dm(0, "EvOnce"))
    retry = await slack.event(first_dm(0, "EvOnce"), headers={"X-Slack-Retry-Num": "1"})
    assert first.status == retry.status == 200
    await slack.fake.wait_for("chat.postMessage", 2)  # the hello and the first question
    await asyncio.sleep(0.5)  # time for a second turn, were there one
    assert len(slack.fake.called("chat.postMessage")) == 2
