"""Planned nudges through the real Slack Sender to the fake Web API, and what delivery keeps of them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update

from adapters.slack.client import sender_client
from adapters.slack.sender import SlackSender
from bot.bootstrap import App
from bot.db.models import IdentityRow, PersonRow
from bot.db.outbox_models import SENDING, DeliveryRow
from bot.delivery import Delivery
from bot.outbox_codec import decode
from bot.tick import tick
from tests.slack.fake_slack import FakeSlack
from tests.test_delivery_fakes import FakeClock, add_person

MONDAY_LATE = datetime.fromisoformat("2026-03-02T16:29:00+00:00")  # past everyone's spread minute


async def roster_only(app: App, user_id: str, tenant: str = "") -> int:
    """Someone the roster knows by Slack user id only: no DM channel yet."""
    person_id = await add_person(app.db, f"{user_id.lower()}@example.com", timezone="UTC", onboarded=False,
                                 introduced=False, address=None)  # fmt: skip
    async with app.db.sessions.begin() as session:
        session.add(IdentityRow(person_id=person_id, platform="slack", tenant=tenant, user_id=user_id))
    return person_id


async def test_the_dm_slack_opens_for_a_user_id_is_kept_for_later_sends(app: App, fake: FakeSlack) -> None:
    person_id = await roster_only(app, "U777")
    other = await roster_only(app, "U888", tenant="T1")
    delivery = Delivery(app.db, app.senders, clock=lambda: MONDAY_LATE)

    report = await tick(app, MONDAY_LATE, delivery=delivery)

    assert report.delivered is not None and report.delivered.sent == 2
    assert sorted(c["users"] for c in fake.called("conversations.open")) == ["U777", "U888"]
    assert await app.store.address_of(person_id, "slack") == "D777"
    assert await app.store.address_of(other, "slack") == "T1:D888"  # the workspace stays with it
    async with app.db.sessions.begin() as session:
        identities = (await session.scalars(select(IdentityRow).order_by(IdentityRow.id))).all()
    assert [(i.user_id, i.updated_at) for i in identities] == [("U777", MONDAY_LATE), ("U888", MONDAY_LATE)]


async def test_a_send_found_again_after_a_crash_keeps_the_dm_too(app: App, fake: FakeSlack) -> None:
    person_id = await roster_only(app, "U777")
    await tick(app, MONDAY_LATE, plan_only=True)
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
        await session.execute(  # a worker took it, Slack got it, and the worker died before recording
            update(DeliveryRow)
            .where(DeliveryRow.id == row.id)
            .values(status=SENDING, claimed_by="died", lease_until=MONDAY_LATE - timedelta(minutes=1))
        )
    await app.senders["slack"].send(row.address, decode(row.message), key=row.key)

    report = await Delivery(app.db, app.senders, clock=lambda: MONDAY_LATE).drain()

    assert report.reconciled == 1 and len(fake.called("chat.postMessage")) == 1
    assert await app.store.address_of(person_id, "slack") == "D777"


async def test_a_post_slack_took_but_answered_too_late_is_found_not_posted_twice(
    app: App, fake: FakeSlack
) -> None:
    await add_person(app.db, "ada@example.com", timezone="UTC")
    await tick(app, MONDAY_LATE, plan_only=True)
    client = sender_client(app.settings)
    client.timeout = 0.2  # type: ignore[assignment]
    fake.slow["chat.postMessage"] = 0.5  # posted at once, answered after our timeout

    async def one(_team: str) -> AsyncWebClient:
        return client

    clock = FakeClock(MONDAY_LATE)
    delivery = Delivery(app.db, {"slack": SlackSender(one)}, clock=clock, sleep=clock.sleep)
    assert (await delivery.drain()).unsure == 1
    fake.slow.clear()
    clock.advance(120)  # past the backoff: the row is checked before anything is sent again

    report = await delivery.drain()

    assert report.reconciled == 1 and len(fake.called("chat.postMessage")) == 1
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
    assert (row.status, row.message_ref) == ("sent", fake.called("chat.postMessage")[0]["answered_ts"])


async def test_a_revoked_token_leaves_the_nudge_waiting_and_the_person_reachable(
    app: App, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    person_id = await add_person(app.db, "ada@example.com", timezone="UTC")
    fake.fail("chat.postMessage", 200, "token_revoked")
    clock = FakeClock(MONDAY_LATE)

    with caplog.at_level(logging.INFO):
        report = await tick(app, MONDAY_LATE, delivery=Delivery(app.db, app.senders, clock=clock))

    assert report.delivered is not None and report.delivered.held == 1
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
        person = await session.get(PersonRow, person_id)
    assert (row.status, row.attempts, person.unreachable_at) == ("pending", 0, None)
    assert "token_revoked" in caplog.text and "xoxb-test" not in caplog.text
