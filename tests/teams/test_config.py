"""Where Teams tokens are checked and ours obtained: single- and multi-tenant, and the overrides."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from adapters.teams.config import TeamsConfig, TeamsEndpoints
from bot.settings import Settings

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP_ID = "00000000-0000-0000-0000-0000000b0701"
ENDPOINT_VARIABLES = ("TEAMS_OPENID_METADATA_URLS", "TEAMS_TOKEN_ISSUERS", "TEAMS_TOKEN_URL")


@pytest.fixture(autouse=True)
def no_endpoint_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENDPOINT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _config(**teams: object) -> TeamsConfig:
    settings = Settings(_env_file=None, **teams)  # type: ignore[call-arg]
    return TeamsConfig.from_settings(settings, TeamsEndpoints(_env_file=None))  # type: ignore[call-arg]


def test_a_single_tenant_bot_gets_its_token_from_its_tenant_and_trusts_only_the_channel_service() -> None:
    config = _config(teams_app_id=APP_ID, teams_app_password=SecretStr("pw"), teams_tenant_id=TENANT)
    assert config.tenant_id == TENANT
    assert config.token_url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
    # Not the tenant's Entra issuers: any app in the tenant can get such a token for our app id.
    assert config.issuers == ("https://api.botframework.com",)
    assert config.metadata_urls == ("https://login.botframework.com/v1/.well-known/openidconfiguration",)


def test_a_multi_tenant_bot_gets_its_token_from_the_botframework_tenant() -> None:
    config = _config(teams_app_id=APP_ID, teams_app_password=SecretStr("pw"))
    assert config.tenant_id is None
    assert config.token_url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    assert config.issuers == ("https://api.botframework.com",)


def test_sovereign_clouds_and_tests_override_every_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_OPENID_METADATA_URLS", " https://a.example/openid , https://b.example/openid,")
    monkeypatch.setenv("TEAMS_TOKEN_ISSUERS", "https://api.botframework.us")
    monkeypatch.setenv("TEAMS_TOKEN_URL", "https://login.microsoftonline.us/t/oauth2/v2.0/token")
    settings = Settings(_env_file=None, teams_app_id=APP_ID, teams_tenant_id=TENANT)  # type: ignore[call-arg]
    config = TeamsConfig.from_settings(settings, TeamsEndpoints(_env_file=None))  # type: ignore[call-arg]
    assert config.metadata_urls == ("https://a.example/openid", "https://b.example/openid")
    assert config.issuers == ("https://api.botframework.us",)
    assert config.token_url == "https://login.microsoftonline.us/t/oauth2/v2.0/token"


@pytest.mark.parametrize(
    ("teams", "authenticated", "anonymous", "problem"),
    [
        ({"teams_app_id": APP_ID, "teams_app_password": SecretStr("pw")}, True, False, None),
        ({"teams_app_id": APP_ID}, False, False, "TEAMS_APP_PASSWORD is not"),
        ({}, False, False, "TEAMS_ALLOW_ANONYMOUS is not"),
        ({"teams_allow_anonymous": True}, False, True, None),
        # Credentials win over the flag: nobody turns verification off by setting one variable.
        (
            {"teams_app_id": APP_ID, "teams_app_password": SecretStr("pw"), "teams_allow_anonymous": True},
            True,
            False,
            None,
        ),
    ],
)
def test_which_mode_the_settings_give_and_why_not(
    teams: dict, authenticated: bool, anonymous: bool, problem: str | None
) -> None:
    config = _config(**teams)
    assert (config.authenticated, config.anonymous) == (authenticated, anonymous)
    found = config.problem()
    assert found is None if problem is None else problem in (found or "")
