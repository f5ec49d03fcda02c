"""``/metrics`` counts what the server did: events, acks, turns, nudges, rate-limit waits, ticks, and
reads the outbox's depth and lag from the database.

Counters are per process and the suite shares one, so each check compares a scrape after the work
with a scrape before it.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.delivery.models import DeliveryRow
from bot.main.build import App, build
from bot.main.cli import tick_once
from bot.main.server import build_web_app
from bot.store.database import Database
from tests.delivery.fakes import FakeMonotonic, add_person
from tests.observability.test_log_redaction import settings_for
from tests.observability.test_readiness import teams_endpoints as teams_endpoints
from tests.slack.conftest import NOW, Slack
from tests.slack.conftest import fake as fake
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_slack_tick_command import LATE
from tests.teams.conftest import Keys, Teams
from tests.teams.conftest import connector as connector
from tests.teams.conftest import keys as keys
from tests.teams.fake_connector import FakeConnector

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(client: TestClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status == 200 and response.content_type == "text/plain"
    samples: Samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
async def server(
    database: Database, fake: FakeSlack, teams_endpoints: FakeConnector
) -> AsyncIterator[tuple[App, TestClient]]:
    app = await build(settings_for(database, fake), clock=lambda: NOW, rng=random.Random(1))
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield app, client
    finally:
        await client.close()
        await app.close()


async def test_events_acks_and_turns_are_counted_per_platform(
    server: tuple[App, TestClient], fake: FakeSlack, connector: FakeConnector, keys: Keys
) -> None:
    app, client = server
    before = await scrape(client)
    await Slack(client, fake, app).say("hi", "Ev-metrics")
    from adapters.teams.config import TeamsConfig

    teams = Teams(client, connector, app, TeamsConfig.from_settings(app.settings), keys)
    await teams.say("hi")
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("journeybot_events_received_total", platform="slack", type="message") == 1
    assert grew("journeybot_events_received_total", platform="teams", type="message") == 1
    assert grew("journeybot_ack_seconds_count", platform="slack") == 1
    assert grew("journeybot_ack_seconds_count", platform="teams") == 1
    assert grew("journeybot_turns_total", platform="slack") == 1
    assert grew("journeybot_turns_total", platform="teams") == 1


async def test_nudges_ticks_rate_limits_and_the_outbox_are_measured(
    server: tuple[App, TestClient], database: Database
) -> None:
    app, client = server
    for n in range(8):
        await add_person(database, f"p{n}@example.com", timezone="UTC")
    before = await scrape(client)
    time = FakeMonotonic()
    report = await tick_once(app.settings, LATE, monotonic=time, sleep=time.sleep)
    assert report.planned == 8 and report.delivered is not None and report.delivered.sent == 8
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    kinds = {labels for (name, labels) in after if name == "journeybot_nudges_total"}
    planned = sum(grew("journeybot_nudges_total", **dict(k)) for k in kinds if ("outcome", "planned") in k)
    sent = sum(grew("journeybot_nudges_total", **dict(k)) for k in kinds if ("outcome", "sent") in k)
    assert (planned, sent) == (8, 8)
    assert grew("journeybot_tick_seconds_count") == 1
    # Eight DMs in one workspace, past Slack's workspace burst (5): some waited for a slot.
    assert grew("journeybot_rate_limit_waits_total", platform="slack") >= 1
    assert grew("journeybot_rate_limit_wait_seconds_total", platform="slack") > 0
    assert value(after, "journeybot_outbox_depth") == 0

    # Rows waiting: two due (the older an hour ago), one not yet.
    async with database.sessions.begin() as session:
        person = (await session.get(DeliveryRow, 1)).person_id  # type: ignore[union-attr]
        for n, due in enumerate(
            (NOW - timedelta(hours=1), NOW - timedelta(minutes=5), NOW + timedelta(hours=2))
        ):
            session.add(
                DeliveryRow(
                    key=f"{person}/waiting/{n}",
                    person_id=person,
                    category="nudge",
                    platform="slack",
                    address="D1",
                    not_before=due,
                )
            )
    waiting = await scrape(client)
    assert value(waiting, "journeybot_outbox_depth") == 3
    assert value(waiting, "journeybot_outbox_oldest_due_age_seconds") == 3600
