"""The rate limiter keeps under the platforms' published pace, per conversation and per workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery.ratelimit import PACE, PlatformLimits, Rate, RateLimiter
from tests.delivery.fakes import FakeClock

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def limiter(clock: FakeClock, pace: float = 1.0, **limits: PlatformLimits) -> RateLimiter:
    return RateLimiter(clock, clock.sleep, limits or None, pace=pace)


async def sent_at(limiter: RateLimiter, clock: FakeClock, *sends: tuple[str, str, str]) -> list[float]:
    """Seconds after T0 at which each send (in this order, one after the other) was allowed to go."""
    times = []
    for send in sends:
        await limiter.acquire(*send)
        times.append((clock() - T0).total_seconds())
    return times


async def test_slack_sends_one_message_per_second_to_a_channel():
    clock = FakeClock(T0)

    assert await sent_at(limiter(clock), clock, *[("slack", "T1", "D1")] * 4) == [0, 1, 2, 3]


async def test_by_default_the_pace_is_a_little_under_the_published_one():
    clock = FakeClock(T0)

    times = await sent_at(RateLimiter(clock, clock.sleep), clock, *[("slack", "T1", "D1")] * 3)

    assert times == pytest.approx([0, 1 / PACE, 2 / PACE]) and PACE < 1


async def test_the_workspace_limit_holds_across_channels_and_workspaces_are_apart():
    clock = FakeClock(T0)
    slack = limiter(clock, slack=PlatformLimits(Rate(1, 1), Rate(10, 10)))

    times = await sent_at(slack, clock, *[("slack", "T1", f"D{n}") for n in range(30)])
    other = slack.take("slack", "T2", "D0")

    assert times[:10] == [0] * 10  # the burst
    assert times[10:] == pytest.approx([n / 10 for n in range(1, 21)])  # then 10 a second
    assert other == 0  # another workspace has its own budget


async def test_a_message_waiting_for_its_busy_channel_holds_no_workspace_slot():
    clock = FakeClock(T0)
    slack = limiter(clock, slack=PlatformLimits(Rate(1, 1), Rate(2, 1)))
    assert slack.take("slack", "T1", "D1") == 0

    assert slack.take("slack", "T1", "D1") == pytest.approx(1.0)  # the channel: a second from now
    assert slack.take("slack", "T1", "D1") == pytest.approx(1.0)  # asking again books nothing
    clock.advance(0.5)
    assert slack.take("slack", "T1", "D2") == 0  # the workspace's next slot was free for another channel


async def test_after_a_stall_only_the_burst_goes_at_once():
    clock = FakeClock(T0)
    slack = limiter(clock, slack=PlatformLimits(Rate(100, 100), Rate(10, 3)))
    assert [slack.take("slack", "T1", f"D{n}") for n in range(3)] == [0, 0, 0]
    clock.advance(10)  # the event loop (or the queue) stalled: no backlog of booked slots fires

    waits = [slack.take("slack", "T1", f"E{n}") for n in range(5)]

    assert waits[:3] == [0, 0, 0] and waits[3] == pytest.approx(0.1)


async def test_calls_released_together_by_one_commit_are_spaced_again_before_they_go():
    clock = FakeClock(T0)
    slack = limiter(clock, slack=PlatformLimits(Rate(1, 1), Rate(10, 2)))
    await sent_at(slack, clock, *[("slack", "T1", f"D{n}") for n in range(5)])  # slots at 0, 0, .1, .2, .3
    clock.set(T0 + timedelta(seconds=0.5))  # their "sending" commit came back for all five at once

    calls = []
    for n in range(5):
        await slack.dispatch("slack", "T1", f"D{n}")
        calls.append((clock() - T0).total_seconds())

    assert calls == pytest.approx([0.5, 0.5, 0.6, 0.7, 0.8])  # the burst, then the workspace's pace


async def test_a_channel_whose_previous_call_went_late_keeps_its_second_apart():
    clock = FakeClock(T0)
    slack = limiter(clock)
    await slack.acquire("slack", "T1", "D1")
    clock.advance(0.2)  # its commit was slow: the call goes 0.2 s after the slot
    await slack.dispatch("slack", "T1", "D1")
    await slack.acquire("slack", "T1", "D1")  # the next slot, 1 s after the first
    await slack.dispatch("slack", "T1", "D1")  # this commit was quick: the call waits

    assert (clock() - T0).total_seconds() == pytest.approx(1.2)


async def test_teams_allows_seven_a_second_in_one_conversation():
    clock = FakeClock(T0)

    times = await sent_at(limiter(clock), clock, *[("teams", "tenant", "conv")] * 14)

    assert times[:7] == [0] * 7 and 0.9 < times[13] <= 1.0


async def test_a_429_after_another_recent_message_in_the_channel_pauses_only_that_channel():
    clock = FakeClock(T0)
    slack = limiter(clock)
    await sent_at(slack, clock, ("slack", "T1", "D1"), ("slack", "T1", "D1"))  # at 0 and 1 s

    assert slack.back_off("slack", "T1", "D1", 20) == "conversation"

    assert slack.take("slack", "T1", "D1") == pytest.approx(20)
    assert slack.take("slack", "T1", "D2") == 0  # the rest of the workspace goes on
    assert slack.take("slack", "T2", "D3") == 0


async def test_a_429_in_a_quiet_channel_pauses_the_workspace_for_exactly_retry_after():
    clock = FakeClock(T0)
    slack = limiter(clock)
    assert slack.take("slack", "T1", "D1") == 0

    assert slack.back_off("slack", "T1", "D1", 20) == "workspace"

    assert slack.take("slack", "T1", "D2") == pytest.approx(20)
    assert slack.take("slack", "T2", "D3") == 0  # other workspaces are not stalled
    clock.advance(20)
    assert slack.take("slack", "T1", "D2") == 0  # and not a moment longer
    assert slack.take("slack", "T1", "D4") > 0  # no burst right at the end of the pause


async def test_platforms_without_limits_are_not_paced():
    clock = FakeClock(T0)
    console = limiter(clock)

    assert [console.take("console", "", "me") for _ in range(100)] == [0] * 100
    assert clock() - T0 == timedelta(0)
