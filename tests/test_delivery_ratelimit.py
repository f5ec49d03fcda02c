"""The rate limiter keeps the platforms' published pace, per conversation and per workspace."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ratelimit import PlatformLimits, Rate, RateLimiter
from tests.test_delivery_fakes import FakeClock

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def limiter(clock: FakeClock, **limits: PlatformLimits) -> RateLimiter:
    return RateLimiter(clock, clock.sleep, limits or None)


async def test_slack_sends_one_message_per_second_to_a_channel():
    clock = FakeClock(T0)
    slack = limiter(clock)

    for _ in range(4):
        await slack.acquire("slack", "T1", "D1")

    assert (clock() - T0).total_seconds() == 3  # sent at 0, 1, 2, 3 s


async def test_the_workspace_limit_holds_across_channels_and_workspaces_are_apart():
    clock = FakeClock(T0)
    slack = limiter(clock, slack=PlatformLimits(Rate(1, 1), Rate(10, 10)))

    waits = [slack.reserve("slack", "T1", f"D{n}") for n in range(30)]
    other = slack.reserve("slack", "T2", "D0")

    assert waits[:10] == [0] * 10  # the burst
    assert waits[10:] == [n / 10 for n in range(1, 21)]  # then 10 a second
    assert other == 0  # another workspace has its own budget


async def test_teams_allows_seven_a_second_in_one_conversation():
    clock = FakeClock(T0)
    teams = limiter(clock)

    waits = [teams.reserve("teams", "tenant", "conv") for _ in range(14)]

    assert waits[:7] == [0] * 7 and 0.9 < waits[13] <= 1.0


async def test_a_429_stops_the_conversation_and_the_workspace_for_retry_after():
    clock = FakeClock(T0)
    slack = limiter(clock)

    slack.back_off("slack", "T1", "D1", 20)

    assert slack.reserve("slack", "T1", "D1") == 20
    assert slack.reserve("slack", "T1", "D2") >= 20
    assert slack.reserve("slack", "T2", "D3") == 0


async def test_platforms_without_limits_are_not_paced():
    clock = FakeClock(T0)
    console = limiter(clock)

    assert [console.reserve("console", "", "me") for _ in range(100)] == [0] * 100
