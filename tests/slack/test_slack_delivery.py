"""Planned nudges through the real Slack Sender to the fake Web API, and what delivery keeps of them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update

from adapters.slack.client import sender_client
from adapters.slack.installations import EncryptedInstallationStore
from adapters.slack.sender import SlackSender, build_sender
from bot.delivery.deliver import Delivery
from bot.delivery.messages import Messages
from bot.delivery.models import SENDING, DeliveryRow
from bot.delivery.report import DeliveryReport
from bot.main.build import App
from bot.ports import Unreachable
from bot.scheduling.tick import tick
from bot.secrets import Secrets
from bot.store.database import Database
from bot.store.models import IdentityRow, PersonRow
from tests.delivery.fakes import FakeClock, add_person
from tests.slack.conftest import Slack, install
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_sender import NUDGE
from tests.test_console import run as run_cli

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

    report = await tick(app.planning, MONDAY_LATE, delivery=delivery)

    assert report.delivered is not None and report.delivered.sent == 2
    assert sorted(c["users"] for c in fake.called("conversations.open")) == ["U777", "U888"]
    assert await app.store.address_of(person_id, "slack") == "D777"
    assert await app.store.address_of(other, "slack") == "T1:D888"  # the workspace stays with it
    async with app.db.sessions.begin() as session:
        identities = (await session.scalars(select(IdentityRow).order_by(IdentityRow.id))).all()
    assert [(i.user_id, i.updated_at) for i in identities] == [("U777", MONDAY_LATE), ("U888", MONDAY_LATE)]


async def test_a_send_found_again_after_a_crash_keeps_the_dm_too(app: App, fake: FakeSlack) -> None:
    person_id = await roster_only(app, "U777")
    await tick(app.planning, MONDAY_LATE)
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
        await session.execute(  # a worker took it, Slack got it, and the worker died before recording
            update(DeliveryRow)
            .where(DeliveryRow.id == row.id)
            .values(status=SENDING, claimed_by="died", lease_until=MONDAY_LATE - timedelta(minutes=1))
        )
        person = await session.get(PersonRow, person_id)
        message = (
            await Messages(app.db, app.templates, lambda: MONDAY_LATE).for_rows([row], {person_id: person})
        )[row.id]
    assert message is not None
    await app.senders["slack"].send(row.address, message, key=row.key)

    report = await Delivery(app.db, app.senders, clock=lambda: MONDAY_LATE).drain()

    assert report.reconciled == 1 and len(fake.called("chat.postMessage")) == 1
    assert await app.store.address_of(person_id, "slack") == "D777"


async def installed(app: App, token: str, team: str | None, enterprise: str | None = None) -> None:
    """Another installation, saved as Bolt's OAuth flow saves one (org-wide when there is no team)."""
    store = EncryptedInstallationStore("111.222", app.db.engine, Secrets.from_settings(app.settings))
    await store.async_save(
        Installation(
            app_id="A1", enterprise_id=enterprise, team_id=team, user_id="U1", bot_token=token,
            bot_id="B2", bot_user_id="UBOT2", is_enterprise_install=team is None,
        )
    )  # fmt: skip


async def deliver(app: App) -> DeliveryReport:
    report = await tick(
        app.planning, MONDAY_LATE, delivery=Delivery(app.db, app.senders, clock=lambda: MONDAY_LATE)
    )
    assert report.delivered is not None
    return report.delivered


async def test_with_one_workspace_installed_roster_people_without_a_team_are_reached_there(
    oauth_client: Slack,
) -> None:
    app = oauth_client.app
    await install(oauth_client)  # workspace T9
    person_id = await roster_only(app, "U777")

    assert (await deliver(app)).sent == 1

    assert oauth_client.fake.tokens("chat.postMessage") == ["xoxb-oauth"]
    assert await app.store.address_of(person_id, "slack") == "T9:D777"  # later sends go there directly
    assert [r.unreachable_at for r in await app.store.reachability()] == [None]


async def test_with_several_workspaces_they_are_reported_as_without_address_not_marked_unreachable(
    oauth_client: Slack, database: Database, tmp_path: Path
) -> None:
    app = oauth_client.app
    await install(oauth_client)
    await installed(app, "xoxb-t5", "T5")
    await roster_only(app, "U777")

    report = await deliver(app)

    assert (report.sent, report.unreachable, report.dead) == (0, 0, 1)
    assert oauth_client.fake.called("chat.postMessage") == []
    async with app.db.sessions() as session:
        (row,) = (await session.scalars(select(DeliveryRow))).all()
    assert row.last_error == "refused: no workspace known for this person and the app is installed in 2"
    listed = run_cli(["people", "--unreachable"], tmp_path, DATABASE_URL=database.url)
    assert listed.returncode == 0, listed.stderr
    assert "u777@example.com" in listed.stdout and "no Slack or Teams address" in listed.stdout
    assert "unreachable since" not in listed.stdout


async def test_enterprise_grid_installations_are_found_by_the_team_an_identity_keeps(
    oauth_client: Slack,
) -> None:
    app, fake = oauth_client.app, oauth_client.fake
    await install(oauth_client)  # T9, outside any org
    await installed(app, "xoxb-grid-t5", "T5", enterprise="E1")  # one workspace of org E1
    await installed(app, "xoxb-org-e2", None, enterprise="E2")  # org-wide: every workspace of org E2
    sender = build_sender(app.adapter_deps)

    await sender.send("T5:U555", NUDGE)
    await sender.send("T7:U777", NUDGE)  # no install of its own: only E2's org-wide one can hold it
    await sender.send("T9:U999", NUDGE)

    assert fake.tokens("chat.postMessage") == ["xoxb-grid-t5", "xoxb-org-e2", "xoxb-oauth"]
    await installed(app, "xoxb-org-e3", None, enterprise="E3")
    with pytest.raises(Unreachable, match="not installed in workspace T7"):  # E2 or E3? nobody can say
        await sender.send("T7:U777", NUDGE)


async def test_a_post_slack_took_but_answered_too_late_is_found_not_posted_twice(
    app: App, fake: FakeSlack
) -> None:
    await add_person(app.db, "ada@example.com", timezone="UTC")
    await tick(app.planning, MONDAY_LATE)
    client = sender_client(app.settings)
    client.timeout = 0.2  # type: ignore[assignment]
    fake.slow["chat.postMessage"] = 0.5  # posted at once, answered after our timeout

    async def one(team: str) -> tuple[AsyncWebClient, str]:
        return client, team

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
        report = await tick(app.planning, MONDAY_LATE, delivery=Delivery(app.db, app.senders, clock=clock))

    assert report.delivered is not None and report.delivered.held == 1
    async with app.db.sessions.begin() as session:
        row = (await session.scalars(select(DeliveryRow))).one()
        person = await session.get(PersonRow, person_id)
    assert (row.status, row.attempts, person.unreachable_at) == ("pending", 0, None)
    assert "token_revoked" in caplog.text and "xoxb-test" not in caplog.text
