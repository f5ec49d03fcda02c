"""Away-awareness: no proactive nudge to someone whose Slack status says away, or who is in Do Not
Disturb; looked up (and cached) by the real Slack Sender against the fake Web API, right before
delivery, and the person is looked at again in their next window."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.slack.away import dnd_says_away, status_says_away
from adapters.slack.sender import SlackSender
from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.main.build import App
from bot.scheduling.tick import tick
from bot.store.models import OfferRow, PersonRow
from tests.delivery.fakes import add_person
from tests.slack.fake_slack import FakeSlack

MONDAY_LATE = datetime.fromisoformat("2026-03-02T16:29:00+00:00")  # past everyone's spread minute
TUESDAY_LATE = MONDAY_LATE + timedelta(days=1)


async def deliver_at(app: App, now: datetime) -> int | None:
    report = await tick(app.planning, now, delivery=Delivery(app.db, app.senders, clock=lambda: now))
    assert report.delivered is not None
    return report.delivered.away


def sender(app: App) -> SlackSender:
    found = app.senders["slack"]
    assert isinstance(found, SlackSender)
    return found


async def test_an_out_of_office_status_holds_the_nudge_until_the_next_window(
    app: App, fake: FakeSlack
) -> None:
    person_id = await add_person(app.db, "ada@example.com", timezone="UTC", address="D777")
    fake.statuses["U777"] = {"status_text": "Out of office until Monday", "status_emoji": ":palm_tree:"}

    assert await deliver_at(app, MONDAY_LATE) == 1
    assert fake.called("chat.postMessage") == []
    assert [c["channel"] for c in fake.called("conversations.info")] == ["D777"]
    assert [c["user"] for c in fake.called("users.profile.get")] == ["U777"]
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
        person = await session.get(PersonRow, person_id)
        offers = (await session.scalars(select(OfferRow))).all()
    assert row.status == "expired" and row.last_error.startswith("away: status")
    assert offers == []  # never seen: it does not count toward the cap, nor as ignored
    assert person is not None and person.next_due_at is not None
    assert person.next_due_at.date() == TUESDAY_LATE.date() and person.next_due_at.hour == 9  # next window

    # Back the next day, status cleared (the cache is 15 minutes; a day has passed, here by hand).
    fake.statuses.pop("U777")
    sender(app).lookup.cache.clear()
    assert await deliver_at(app, TUESDAY_LATE) == 0
    assert len(fake.called("chat.postMessage")) == 1
    assert len(fake.called("conversations.info")) == 1  # a DM's user is remembered


@pytest.mark.parametrize(
    ("status", "dnd"),
    [
        ({"status_text": "Travelling to Lisbon", "status_emoji": ""}, {}),
        ({"status_text": "", "status_emoji": ":face_with_thermometer:"}, {}),
        ({}, {"snooze_enabled": True, "snooze_endtime": time.time() + 3600}),
        (
            {},
            {
                "dnd_enabled": True,
                "next_dnd_start_ts": time.time() - 60,
                "next_dnd_end_ts": time.time() + 3600,
            },
        ),
    ],
)
async def test_sick_travelling_and_do_not_disturb_are_away(
    app: App, fake: FakeSlack, status: dict, dnd: dict
) -> None:
    await add_person(app.db, "ada@example.com", timezone="UTC", address="D777")
    fake.statuses["U777"], fake.dnd["U777"] = status, dnd
    assert await deliver_at(app, MONDAY_LATE) == 1
    assert fake.called("chat.postMessage") == []


async def test_a_lookup_that_fails_sends_as_usual_and_is_cached(app: App, fake: FakeSlack) -> None:
    await add_person(app.db, "ada@example.com", timezone="UTC", address="D777")
    fake.fail("users.profile.get", 200, "missing_scope")  # a workspace that has not re-authorised yet
    assert await deliver_at(app, MONDAY_LATE) == 0
    assert len(fake.called("chat.postMessage")) == 1
    assert await sender(app).away("D777") is None
    assert len(fake.called("users.profile.get")) == 1  # the second question was answered from the cache


def test_what_counts_as_away() -> None:
    now = time.time()
    assert status_says_away({"status_text": "OOO", "status_emoji": ""}, now).away
    assert status_says_away({"status_text": "On parental leave", "status_emoji": ""}, now).away
    assert status_says_away({"status_text": "", "status_emoji": ":airplane:"}, now).away
    assert not status_says_away(
        {"status_text": "In a meeting", "status_emoji": ":spiral_calendar_pad:"}, now
    ).away
    assert not status_says_away(
        {"status_text": "Awaiting review", "status_emoji": ""}, now
    ).away  # a word, not a part
    expired = {
        "status_text": "Vacationing",
        "status_emoji": ":palm_tree:",
        "status_expiration": int(now) - 60,
    }
    assert not status_says_away(expired, now).away
    later = {"dnd_enabled": True, "next_dnd_start_ts": now + 3600, "next_dnd_end_ts": now + 7200}
    assert not dnd_says_away(later, now).away
