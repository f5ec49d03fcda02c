"""Proactive nudges through the Teams Sender: stored reference in, message at the fake connector out."""

from __future__ import annotations

from dataclasses import replace

import pytest
from microsoft_agents.activity import Activity
from pydantic import SecretStr

from adapters.teams.agent import build_adapter
from adapters.teams.parse import person
from adapters.teams.sender import TeamsSender, build_sender
from adapters.teams.tokens import SingleConnection
from adapters.teams.web import TEAMS_AGENT
from bot.main.senders import configured_senders
from bot.ports import DeliveryError, MaybeSent, RateLimited, TransientError, Unreachable
from nudges import views
from nudges.catalogue import BUILTIN
from nudges.person import Person
from tests.teams.card_schema import validate_card
from tests.teams.conftest import APP_ID, Teams
from tests.teams.fake_connector import CONNECTOR_TOKEN, Failure

ADA = Person("ada@example.com", "Ada Lovelace", networks=("linkedin",))


async def _installed(teams: Teams) -> tuple[TeamsSender, str]:
    """Ada installs the app (which stores her reference); the Sender the scheduler would use."""
    assert (await teams.post("installation_update_add")).status == 202
    teams.connector.clear()
    person_id = await teams.app.store.find_person_id(
        person(Activity.model_validate(teams.activity("installation_update_add")))
    )
    assert person_id is not None
    address = await teams.app.store.address_of(person_id, "teams")
    assert address
    agent = teams.client.server.app[TEAMS_AGENT]
    return TeamsSender(agent.adapter, teams.config), address


async def test_a_scheduled_nudge_reaches_the_person_proactively_with_our_token(teams: Teams) -> None:
    sender, address = await _installed(teams)
    nudge = views.step_nudge(BUILTIN[0], ADA, "offer-1")
    sent = await sender.send(address, nudge, key="outbox-1")
    (request,) = teams.connector.sent()
    assert (
        request.path == "/v3/conversations/a:1Jk2Lm3No4Pq5Rs6Tu7Vw8Xy9Za0BcDeFgHiJkLmNoPqRsTuVwXyZ/activities"
    )
    assert request.authorization == f"Bearer {CONNECTOR_TOKEN}"
    assert request.body["recipient"]["id"].startswith("29:")  # to Ada, from the bot
    validate_card(request.card)  # type: ignore[arg-type]
    assert sent.message_ref.startswith("activity-") and sent.address == address
    await sender.update(address, sent.message_ref, views.answered(nudge, next(iter(views.ANSWERED_NOTE))))
    (update,) = teams.connector.updates()
    assert update.path.endswith(f"/activities/{sent.message_ref}") and "actions" not in update.card  # type: ignore[operator]


async def test_anonymous_mode_sends_proactively_without_asking_for_a_token(anonymous_teams: Teams) -> None:
    sender, address = await _installed(anonymous_teams)
    await sender.send(address, views.welcome(ADA))
    (request,) = anonymous_teams.connector.sent()
    assert request.authorization is None and anonymous_teams.connector.token_requests == []


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (Failure(403), Unreachable),
        (Failure(404), Unreachable),
        (Failure(429, {"Retry-After": "7"}), RateLimited),
        (Failure(401), TransientError),
        (Failure(412), TransientError),  # Microsoft: retry 412, 429, 502 and 504 with backoff
        (Failure(502), TransientError),
        (Failure(504), TransientError),
        (Failure(500), MaybeSent),
        (Failure(503), MaybeSent),
        (Failure(400), DeliveryError),
    ],
)
async def test_connector_failures_become_the_ports_exceptions(
    teams: Teams, failure: Failure, expected: type[DeliveryError]
) -> None:
    sender, address = await _installed(teams)
    teams.connector.failures.append(failure)
    with pytest.raises(expected) as raised:
        await sender.send(address, views.welcome(ADA))
    if isinstance(raised.value, RateLimited):
        assert raised.value.retry_after == 7
    assert isinstance(raised.value, MaybeSent) == (failure.status in (500, 503))  # the connector may have it


@pytest.mark.parametrize("address", ["", "D123", '{"not": "a reference"}'])
async def test_a_person_without_a_usable_reference_is_reported_unreachable(
    teams: Teams, address: str
) -> None:
    sender, _ = await _installed(teams)
    with pytest.raises(Unreachable):
        await sender.send(address, views.welcome(ADA))


def _configured(teams: Teams, **teams_settings: object) -> None:
    teams.app.settings = teams.app.settings.model_copy(update=teams_settings)


async def test_the_delivery_registry_finds_the_teams_sender(teams: Teams) -> None:
    _configured(teams, teams_app_id=APP_ID, teams_app_password=SecretStr("pw"))
    sender = configured_senders(teams.app.adapter_deps)["teams"]
    assert sender.platform == "teams"
    _, address = await _installed(teams)
    assert sender.workspace_of(address) == "72f988bf-86f1-41af-91ab-2d7cd011db47"  # type: ignore[attr-defined]


async def test_half_configured_teams_gets_no_sender_so_its_nudges_wait_instead_of_dying(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    _configured(teams, teams_app_id=APP_ID)  # the route answers 503 for this, and so should delivery
    assert build_sender(teams.app.adapter_deps) is None
    assert "teams" not in configured_senders(teams.app.adapter_deps)
    assert "Teams delivery is off" in caplog.text and "TEAMS_APP_PASSWORD is not" in caplog.text


async def test_a_sovereign_cloud_bot_asks_for_its_own_clouds_connector_scope(teams: Teams) -> None:
    _, address = await _installed(teams)
    us_gov = replace(teams.config, token_scope="https://api.botframework.us/.default")
    sender = TeamsSender(build_adapter(SingleConnection(us_gov)), us_gov)
    teams.connector.token_requests.clear()

    await sender.send(address, views.welcome(ADA))

    assert [r["scope"] for r in teams.connector.token_requests] == ["https://api.botframework.us/.default"]
