"""Sends that may or may not have arrived, checks that fail, and credentials the platform refuses.

A timeout after the platform accepted the message, a 5xx, a crash between the call and the commit:
the message may exist, so it is looked for (``find``) before any second send, or, where the platform
cannot be asked, recorded as uncertain and never resent. A check that keeps failing ends too.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.ports import CredentialsRejected, MaybeSent, RateLimited, Sent, TransientError, Unreachable
from bot.store.database import Database
from bot.store.models import PersonRow
from nudges.messages import Message
from tests.delivery.fakes import FindingSender, ProcessDied, RecordingSender
from tests.delivery.test_delivery import LEASE, planned, rows, worker


class AcceptedThenLost(FindingSender):
    """The platform takes the first message, and the answer never comes back (a timeout)."""

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        sent = await super().send(address, message, key=key)
        if len(self.sent) == 1:
            raise MaybeSent("no answer from Slack: TimeoutError")
        return sent


async def unreachable_at(database: Database, person_id: int = 1):
    async with database.sessions.begin() as session:
        return (await session.get(PersonRow, person_id)).unreachable_at


async def test_a_timeout_after_the_platform_took_it_is_found_not_sent_again(database: Database):
    clock = await planned(database)
    platform = AcceptedThenLost(clock)
    delivery = worker(database, clock, platform)

    first = await delivery.drain()
    [row] = await rows(database)
    assert (first.unsure, row.status, row.attempts) == (1, "sending", 0)
    for _ in range(3):  # whenever the check comes: no second copy before it
        clock.advance(60)
        await delivery.drain()

    [row] = await rows(database)
    assert len(platform.sent) == 1 and (row.status, row.message_ref) == ("sent", "ts-1")


async def test_a_maybe_sent_message_that_never_arrived_is_sent_again_once(database: Database):
    clock = await planned(database)
    platform = FindingSender(clock, script=[MaybeSent("Slack answered 503")])
    delivery = worker(database, clock, platform)

    await delivery.drain()
    clock.advance(60)
    await delivery.drain()  # the check: not there, so a retry after a backoff (counted)
    clock.advance(3600)
    await delivery.drain()

    [row] = await rows(database)
    assert len(platform.sent) == 1 and (row.status, row.attempts) == ("sent", 1)


@pytest.mark.parametrize("error", [MaybeSent("Teams answered 502"), ValueError("bug after the call")])
async def test_without_find_a_maybe_sent_message_is_uncertain_and_never_resent(database: Database, error):
    clock = await planned(database)
    platform = RecordingSender(clock, platform="slack", script=[error])
    delivery = worker(database, clock, platform)

    report = await delivery.drain()
    clock.advance(7200)
    await delivery.drain()

    [row] = await rows(database)
    assert (report.uncertain, row.status, len(platform.calls)) == (1, "uncertain", 1)
    assert type(error).__name__ in row.last_error


async def crashed_after_sending(database: Database, platform: FindingSender):
    """A worker sent the row and died before recording it; its lease has run out."""
    clock = platform.clock
    platform.script.insert(0, "crash-after")
    try:
        await worker(database, clock, platform, name="dies").drain()
    except ProcessDied:
        pass
    clock.advance(LEASE.total_seconds() + 1)


async def test_a_person_gone_by_the_time_of_the_check_is_unreachable_and_the_row_dead(database: Database):
    clock = await planned(database)

    class Gone(FindingSender):
        async def find(self, address: str, key: str) -> Sent | None:
            raise Unreachable("user_not_found")

    platform = Gone(clock)
    await crashed_after_sending(database, platform)

    report = await worker(database, clock, platform, name="lives").drain()

    [row] = await rows(database)
    assert (report.unreachable, row.status) == (1, "dead") and "user_not_found" in row.last_error
    assert await unreachable_at(database) == clock()


async def test_a_check_that_keeps_failing_ends_uncertain_after_the_bounded_attempts(database: Database):
    clock = await planned(database)

    class Broken(FindingSender):
        checks = 0

        async def find(self, address: str, key: str) -> Sent | None:
            self.checks += 1
            raise TransientError("cannot reach Slack")

    platform = Broken(clock)
    await crashed_after_sending(database, platform)
    delivery = worker(database, clock, platform, name="lives", max_attempts=4)

    for _ in range(50):  # a day and more of leases and backoffs
        await delivery.drain()
        clock.advance(LEASE.total_seconds() + 1)

    [row] = await rows(database)
    assert (row.status, row.attempts, platform.checks) == ("uncertain", 4, 4)
    assert len(platform.sent) == 1 and "not resent" in row.last_error
    assert await unreachable_at(database) is None


async def test_a_rate_limited_check_waits_without_counting(database: Database):
    clock = await planned(database)

    class Paced(FindingSender):
        async def find(self, address: str, key: str) -> Sent | None:
            if not getattr(self, "paced", False):
                self.paced = True
                raise RateLimited(20)
            return await super().find(address, key)

    platform = Paced(clock)
    await crashed_after_sending(database, platform)
    delivery = worker(database, clock, platform, name="lives")

    await delivery.drain()
    [row] = await rows(database)
    assert (row.status, row.attempts, row.lease_until) == ("sending", 0, clock() + timedelta(seconds=20))
    clock.advance(21)
    report = await delivery.drain()

    assert report.reconciled == 1 and len(platform.sent) == 1


async def test_refused_credentials_hold_the_workspace_and_mark_nobody_unreachable(
    database: Database, caplog: pytest.LogCaptureFixture
):
    clock = await planned(database, people=3)
    refusal = CredentialsRejected("Slack refused the app's token: invalid_auth")
    platform = RecordingSender(clock, script=[refusal, refusal])
    delivery = worker(database, clock, platform)

    with caplog.at_level(logging.ERROR, logger="journeybot.delivery"):
        report = await delivery.drain()
        clock.advance(301)
        await delivery.drain()  # the hold has ended: one try, refused again, held again

    assert (report.held, len(platform.calls), platform.sent) == (3, 2, [])
    assert [r.status for r in await rows(database)] == ["pending"] * 3
    assert all(r.attempts == 0 for r in await rows(database))  # not the message's fault
    assert [await unreachable_at(database, n) for n in (1, 2, 3)] == [None] * 3
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "invalid_auth" in errors[0].getMessage()  # once, naming the problem
    clock.advance(301)
    await delivery.drain()  # fixed meanwhile (a new token): everything goes
    assert len(platform.sent) == 3
