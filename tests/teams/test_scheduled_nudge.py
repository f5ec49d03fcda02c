"""A scheduled nudge reaches a Teams user proactively: tick plans it, delivery hands it to the Teams
Sender, the Sender continues the stored conversation at the fake connector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from microsoft_agents.activity import Activity
from sqlalchemy import select, update

from adapters.teams.parse import person
from adapters.teams.sender import TeamsSender
from adapters.teams.web import TEAMS_AGENT
from bot.delivery.admin import outbox_lines
from bot.delivery.codec import encode
from bot.delivery.deliver import Delivery
from bot.delivery.models import DeliveryRow
from bot.ports import Sent
from bot.scheduling.tick import tick
from bot.store.models import PersonRow
from nudges import views
from nudges.messages import Message
from tests.delivery.fakes import FakeClock, ProcessDied
from tests.delivery.test_delivery import LEASE
from tests.teams.card_schema import validate_card
from tests.teams.conftest import Teams, press
from tests.teams.fake_connector import CONNECTOR_TOKEN, Failure
from tests.teams.test_sender import ADA, _installed

MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


async def test_a_planned_nudge_is_delivered_to_teams_proactively(teams: Teams) -> None:
    await teams.say("hello")
    await press(teams, "onboarding.choose", "linkedin")
    for answer in ("cloud", "2", "1"):
        await teams.say(answer)
    teams.connector.clear()
    sender = TeamsSender(teams.client.server.app[TEAMS_AGENT].adapter, teams.config)
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=teams.app.clock)
    clock = teams.app.clock
    for _ in range(7 * 24):  # tick hourly for a week: the first nudge comes inside her working hours
        clock.now += timedelta(hours=1)  # type: ignore[attr-defined]
        await tick(teams.app.planning, clock.now, delivery=delivery)  # type: ignore[attr-defined]
        if teams.connector.sent():
            break
    (nudge,) = teams.connector.sent()
    assert nudge.path.endswith("/activities")  # a new message, not a reply to anything
    assert nudge.authorization == f"Bearer {CONNECTOR_TOKEN}"
    validate_card(nudge.card)  # type: ignore[arg-type]
    local = clock.now.astimezone(ZoneInfo("Europe/Berlin"))  # type: ignore[attr-defined]
    assert local.weekday() < 5 and 9 <= local.hour <= 16  # inside her working hours, in her zone


async def _one_planned_row(teams: Teams) -> tuple[TeamsSender, FakeClock]:
    """Ada installed the app; one nudge for her waits in the outbox, inside her window."""
    teams_sender, address = await _installed(teams)
    person_id = await teams.app.store.find_person_id(
        person(Activity.model_validate(teams.activity("installation_update_add")))
    )
    async with teams.app.db.sessions.begin() as session:
        await session.execute(
            update(PersonRow)
            .where(PersonRow.id == person_id)
            .values(timezone="UTC", work_days=list(range(7)))
        )
        session.add(DeliveryRow(key=f"{person_id}/step/2026-03-02", person_id=person_id, category="step",
                                platform="teams", address=address, message=encode(views.welcome(ADA)),
                                not_before=MONDAY_NOON, created_at=MONDAY_NOON))  # fmt: skip
    return teams_sender, FakeClock(MONDAY_NOON)


class DiesAfterSending(TeamsSender):
    """The real Sender; the process is killed right after the connector accepted the activity."""

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        await super().send(address, message, key=key)
        raise ProcessDied


async def test_a_crash_between_the_teams_send_and_its_record_leaves_it_uncertain(teams: Teams) -> None:
    sender, clock = await _one_planned_row(teams)
    dying = DiesAfterSending(sender.adapter, sender.config)
    with pytest.raises(ProcessDied):
        await Delivery(teams.app.db, {"teams": dying}, clock=clock, sleep=clock.sleep, worker="dies").drain()
    clock.advance(LEASE.total_seconds() + 1)
    survivor = Delivery(teams.app.db, {"teams": sender}, clock=clock, sleep=clock.sleep, worker="lives")

    report = await survivor.drain()
    clock.advance(86400)
    await survivor.drain()

    assert report.uncertain == 1 and len(teams.connector.sent()) == 1  # she has it once, never twice
    assert any(line.startswith("#1 uncertain") for line in await outbox_lines(teams.app.db))


async def test_a_teams_500_may_have_delivered_it_so_it_is_not_sent_again(teams: Teams) -> None:
    sender, clock = await _one_planned_row(teams)
    teams.connector.failures.append(Failure(500))
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=clock, sleep=clock.sleep)

    report = await delivery.drain()
    clock.advance(86400)
    await delivery.drain()

    assert report.uncertain == 1 and len(teams.connector.sent()) == 1
    async with teams.app.db.sessions.begin() as session:
        assert (await session.scalars(select(DeliveryRow.status))).all() == ["uncertain"]


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_what_microsoft_says_to_retry_is_retried_with_backoff_and_delivered_once(
    teams: Teams, status: int
) -> None:
    sender, clock = await _one_planned_row(teams)
    teams.connector.failures.extend([Failure(status), Failure(status)])
    delivery = Delivery(teams.app.db, {"teams": sender}, clock=clock, sleep=clock.sleep)

    first = await delivery.drain()
    async with teams.app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
    assert (first.failed, row.status, row.attempts) == (1, "failed", 1)  # not dead, not uncertain
    for _ in range(4):  # the backoff: 30 s, then about a minute
        clock.advance(120)
        await delivery.drain()

    async with teams.app.db.sessions.begin() as session:
        assert (await session.scalars(select(DeliveryRow.status))).all() == ["sent"]
    assert len(teams.connector.sent()) == 3  # two answered with the status, then the one delivered
