"""Done when, in Slack: a manager subscribes a channel with ``/journey digest here``; a simulated week
produces one digest there through the outbox (once, whatever the ticks), naming only who opted in;
someone the roster does not know is refused and leaves nothing behind."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.digests.subscriptions import Subscriptions
from bot.scheduling.tick import tick
from bot.store.audit import events
from bot.store.database import Database
from bot.store.models import IdentityRow, PersonRow
from tests.cli_run import run as run_cli
from tests.clock import Clock
from tests.digests.week import (
    DIGEST_DUE,
    WEEK_START,
    assert_names_only_the_opted_in,
    blocks_text,
    simulate_week,
    team,
)
from tests.slack.conftest import Slack, fake, serving, slack_settings
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_commands import run

__all__ = ["fake"]  # the fake Slack Web API fixture


@pytest.fixture
def clock() -> Clock:
    return Clock(WEEK_START)


@pytest.fixture
async def slack(database: Database, fake: FakeSlack, clock: Clock) -> AsyncIterator[Slack]:
    async with serving(slack_settings(database, fake), fake, clock) as served:
        yield served


async def manager(slack: Slack) -> dict[str, int]:
    ids = await team(slack.app.db)
    async with slack.app.db.sessions.begin() as session:  # Ada is the Slack user the fake signs in as
        session.add(IdentityRow(person_id=ids["Ada"], platform="slack", tenant="T1", user_id="U2147483697"))
    return ids


def digests_in(fake: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [c for c in fake.called("chat.postMessage") if c.get("channel") == channel]


async def tick_at(slack: Slack, clock: Clock, instant: datetime) -> None:
    clock.now = instant
    await tick(slack.app.planning, instant, delivery=Delivery(slack.app.db, slack.app.senders, clock=clock))


async def test_a_manager_subscribes_and_the_week_becomes_one_digest_naming_only_the_opted_in(
    slack: Slack, clock: Clock, database: Database, tmp_path: Path
) -> None:
    ids = await manager(slack)
    status = await run(slack, "digest status", channel_id="C0TEAM")
    assert "no team digest yet" in status["text"]
    done = await run(slack, "digest here", channel_id="C0TEAM")
    assert (
        "Done" in done["text"]
        and "Sales" in done["text"]
        and "Mondays at 09:30 (Europe/London)" in done["text"]
    )
    assert "already" in (await run(slack, "DIGEST HERE", channel_id="C0TEAM"))["text"]
    assert "Sales" in (await run(slack, "digest status", channel_id="C0TEAM"))["text"]
    (subscription,) = await Subscriptions(slack.app.db).all()
    assert (subscription.platform, subscription.tenant, subscription.channel, subscription.address) == (
        "slack", "T1", "C0TEAM", "T1:C0TEAM"
    )  # fmt: skip
    assert subscription.subscribed_by == ids["Ada"]

    await simulate_week(slack.app.db, ids)
    await tick_at(slack, clock, DIGEST_DUE - timedelta(minutes=1))
    assert digests_in(slack.fake, "C0TEAM") == []  # not Monday 09:30 yet
    await tick_at(slack, clock, DIGEST_DUE + timedelta(minutes=1))
    (digest,) = digests_in(slack.fake, "C0TEAM")
    shown = blocks_text(digest["blocks"])  # type: ignore[arg-type]
    assert "Where the team is" in shown and "█" in shown and "Content Consumer" in shown
    assert "Five ways to tame cloud costs" in shown  # the suggested share the team used most
    assert "questions asked or answered" in shown and "One idea for this week" in shown
    assert_names_only_the_opted_in(shown)
    assert_names_only_the_opted_in(str(digest["text"]))

    await tick_at(slack, clock, DIGEST_DUE + timedelta(minutes=30))
    assert len(digests_in(slack.fake, "C0TEAM")) == 1  # sent once

    # The worker was down for three weeks: the one missed digest, not three.
    await tick_at(slack, clock, DIGEST_DUE + timedelta(days=21, hours=3))
    assert len(digests_in(slack.fake, "C0TEAM")) == 2

    # --print: the same week as plain text on standard output, nothing sent.
    printed = run_cli(["digest", "--team", "Sales", "--at", DIGEST_DUE.isoformat(), "--print"], tmp_path,
                      DATABASE_URL=database.url)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "Where the team is" in printed.stdout and "█" in printed.stdout
    assert_names_only_the_opted_in(printed.stdout)
    assert len(digests_in(slack.fake, "C0TEAM")) == 2

    assert "no more digests" in (await run(slack, "digest off", channel_id="C0TEAM"))["text"]
    assert await Subscriptions(slack.app.db).all() == []


async def test_two_ticks_at_once_send_the_digest_once(slack: Slack, clock: Clock) -> None:
    ids = await manager(slack)
    await run(slack, "digest here", channel_id="C0TEAM")
    await simulate_week(slack.app.db, ids)
    clock.now = DIGEST_DUE + timedelta(minutes=5)
    replicas = [Delivery(slack.app.db, slack.app.senders, clock=clock, worker=f"replica-{n}") for n in (1, 2)]
    await asyncio.gather(*(tick(slack.app.planning, clock.now, delivery=d) for d in replicas))
    assert len(digests_in(slack.fake, "C0TEAM")) == 1
    async with slack.app.db.sessions() as session:
        rows = await session.scalar(select(func.count()).where(DeliveryRow.category == "digest"))
    assert rows == 1


async def test_someone_the_roster_does_not_know_is_refused_and_nothing_is_stored(slack: Slack) -> None:
    await manager(slack)
    slack.fake.add_user("U0STRANGER", "Sam Stranger", "sam@elsewhere.example", team="T1")
    for text in ("digest here", "digest off"):
        answer = await run(slack, text, channel_id="C0TEAM", user_id="U0STRANGER")
        assert "only the team's managers and admins" in answer["text"]
    async with slack.app.db.sessions() as session:
        emails = set(await session.scalars(select(PersonRow.email)))
        identities = list(await session.scalars(select(IdentityRow.user_id)))
    assert "sam@elsewhere.example" not in emails and "U0STRANGER" not in identities
    assert await Subscriptions(slack.app.db).all() == []
    assert {(e.actor, e.outcome) for e in await events(slack.app.db)} == {("(not on the roster)", "refused")}
    assert "sam" not in json.dumps([e.actor for e in await events(slack.app.db)])


async def test_an_employee_of_the_team_is_refused_kindly(slack: Slack) -> None:
    ids = await manager(slack)
    async with slack.app.db.sessions.begin() as session:
        (await session.get(PersonRow, ids["Ada"])).roles = ["employee"]  # type: ignore[union-attr]
    answer = await run(slack, "digest here", channel_id="C0TEAM")
    assert "Sorry" in answer["text"]
    assert await Subscriptions(slack.app.db).all() == []
    assert "team channel" in (await run(slack, "digest here", channel_id="D024BE91L"))["text"]


async def test_a_person_opts_into_public_celebration_in_chat_and_back(slack: Slack) -> None:
    ids = await manager(slack)
    said = await slack.say("set celebrate public", event_id="Ev-celebrate-1", replies=2)
    assert "cheered by name" in json.dumps(said)
    async with slack.app.db.sessions() as session:
        assert (await session.get(PersonRow, ids["Ada"])).celebrate_publicly  # type: ignore[union-attr]
    said = await slack.say("set celebrate maybe", event_id="Ev-celebrate-2")
    assert "set celebrate private" in json.dumps(said)
    await slack.say("set celebrate private", event_id="Ev-celebrate-3", replies=2)
    async with slack.app.db.sessions() as session:
        row = await session.get(PersonRow, ids["Ada"])
        assert row is not None and not row.celebrate_publicly


async def test_a_manager_may_start_only_their_own_teams_digest(slack: Slack) -> None:
    ids = await manager(slack)
    from tests.delivery.fakes import add_person

    await add_person(slack.app.db, "olga@example.com", team="Ops", address=None)
    refused = await run(slack, "digest here Ops", channel_id="C0OPS")
    assert "only Ops's managers and admins" in refused["text"]
    unknown = await run(slack, "digest here Nowhere", channel_id="C0OPS")
    assert "only Nowhere's managers" in unknown["text"]
    async with slack.app.db.sessions.begin() as session:
        ada = await session.get(PersonRow, ids["Ada"])
        assert ada is not None
        ada.team, ada.roles = None, ["employee", "admin"]
    assert "don't know which team" in (await run(slack, "digest here", channel_id="C0OPS"))["text"]
    assert (
        "don't know a team called Nowhere"
        in (await run(slack, "digest here Nowhere", channel_id="C0OPS"))["text"]
    )
    assert "Done" in (await run(slack, "digest here Ops", channel_id="C0OPS"))["text"]  # an admin may
    assert [s.team for s in await Subscriptions(slack.app.db).all()] == ["Ops"]


async def test_a_digest_is_retried_like_a_nudge_and_a_refused_channel_stops_only_itself(
    slack: Slack, clock: Clock
) -> None:
    ids = await manager(slack)
    await run(slack, "digest here", channel_id="C0TEAM")
    await run(slack, "digest here", channel_id="C0GONE")
    slack.fake.fail(
        "chat.postMessage", 503, "service_unavailable", times=2
    )  # a try and the client's own retry
    await tick_at(slack, clock, DIGEST_DUE + timedelta(minutes=1))
    await tick_at(slack, clock, DIGEST_DUE + timedelta(minutes=20))  # the retry's backoff has passed
    async with slack.app.db.sessions() as session:
        rows = {
            r.address: r
            for r in await session.scalars(select(DeliveryRow).where(DeliveryRow.category == "digest"))
        }
    assert set(rows) == {"T1:C0TEAM", "T1:C0GONE"}
    # Each met a 503 (the client's retry too), was checked for in the channel, and sent again: once.
    assert all("503" in (r.last_error or "") for r in rows.values())
    assert [r.status for r in rows.values()] == ["sent", "sent"], [
        (r.status, r.attempts, r.last_error) for r in rows.values()
    ]
    # A channel the bot was removed from: that digest is dead, nobody is marked unreachable.
    slack.fake.fail("chat.postMessage", 200, "not_in_channel")
    await tick_at(slack, clock, DIGEST_DUE + timedelta(days=7, minutes=1))
    async with slack.app.db.sessions() as session:
        statuses = sorted(
            r.status
            for r in await session.scalars(select(DeliveryRow).where(DeliveryRow.category == "digest"))
        )
        assert statuses.count("dead") == 1 and statuses.count("sent") >= 2
        assert (await session.scalar(select(func.count()).where(PersonRow.unreachable_at.is_not(None)))) == 0
    assert ids
