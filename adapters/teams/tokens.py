"""Our own access token for calling the Bot Connector (client credentials), for the SDK to use.

The SDK's MSAL provider (microsoft-agents-authentication-msal) would do this too, but it always talks
to login.microsoftonline.com; this small provider posts to ``TeamsConfig.token_url`` so a test's
fake token endpoint can answer, and caches each token until shortly before it expires.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import AnonymousTokenProvider
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    ClaimsIdentity,
)

from adapters.teams.config import TeamsConfig

EARLY_REFRESH_SECONDS = 300


class TokenError(Exception):
    """The token endpoint refused or could not be reached."""


# Answers of the token endpoint that mean our credentials, not the network, are the problem.
REFUSED = frozenset({"invalid_client", "unauthorized_client", "invalid_grant", "invalid_request"})


class ClientCredentialsTokens(AccessTokenProviderBase):
    def __init__(self, config: TeamsConfig) -> None:
        self.config = config
        self._auth = AgentAuthConfiguration(
            client_id=config.app_id, tenant_id=config.tenant_id, connection_name="SERVICE_CONNECTION"
        )
        self._cache: dict[str, tuple[str, float]] = {}
        self._lock = asyncio.Lock()
        # What went wrong the last time a token was fetched (None: it worked), for /readyz.
        self.problem: str | None = "no Bot Connector token obtained yet"
        self.refused = False  # the last fetch failed: nothing can be sent until one works again

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._auth

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        # Every Bot Connector call in this bot uses the one Bot Framework scope: the configured
        # cloud's (the SDK asks for the public cloud's, whatever the cloud).
        scope = self.config.token_scope
        async with self._lock:  # concurrent turns share one fetch instead of stampeding the endpoint
            cached = self._cache.get(scope)
            if cached and not force_refresh and cached[1] > time.monotonic():
                return cached[0]
            try:
                token, lifetime = await self._fetch(scope)
            except TokenError as error:
                self.problem = str(error)
                self.refused = True
                raise
            self.problem = None
            self.refused = False
            self._cache[scope] = (token, time.monotonic() + max(lifetime - EARLY_REFRESH_SECONDS, 30))
            return token

    async def _fetch(self, scope: str) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.config.app_id or "",
            "client_secret": self.config.app_password or "",
            "scope": scope,
        }
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
                session.post(self.config.token_url, data=form) as response,
            ):
                body: dict[str, Any] = await response.json(content_type=None)
                if response.status != 200 or "access_token" not in body:
                    raise TokenError(_refusal(response.status, str(body.get("error", ""))))
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise TokenError(
                f"the Teams token endpoint {self.config.token_url} could not be reached ({type(error).__name__})"
            ) from error
        return str(body["access_token"]), float(body.get("expires_in", 3600))

    def get_token_credential(self) -> Any:
        raise NotImplementedError("journeybot only needs plain access tokens")

    # The bot only ever acts as itself: no tokens on behalf of a user, no agentic identities.
    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError("journeybot does not act on behalf of users")

    async def get_agentic_application_token(self, tenant_id: str, agent_app_instance_id: str) -> str | None:
        raise NotImplementedError("journeybot has no agentic identity")

    async def get_agentic_instance_token(self, tenant_id: str, agent_app_instance_id: str) -> tuple[str, str]:
        raise NotImplementedError("journeybot has no agentic identity")

    async def get_agentic_user_token(
        self, tenant_id: str, agent_app_instance_id: str, agentic_user_id: str, scopes: list[str]
    ) -> str | None:
        raise NotImplementedError("journeybot has no agentic identity")


def _refusal(status: int, error: str) -> str:
    said = f"the Teams token endpoint answered {status}" + (f" ({error})" if error else "")
    if error in REFUSED or status in (400, 401):
        return (
            f"{said}: TEAMS_APP_ID / TEAMS_APP_PASSWORD were refused; an Azure client secret expires, so "
            "create a new one under the app registration's Certificates & secrets and set TEAMS_APP_PASSWORD"
            " (single-tenant bots: check TEAMS_TENANT_ID too)"
        )
    return said


class SingleConnection:
    """The SDK's ``Connections`` for a bot with exactly one identity (anonymous or ours)."""

    def __init__(self, config: TeamsConfig) -> None:
        self.provider: AccessTokenProviderBase = (
            ClientCredentialsTokens(config) if config.authenticated else AnonymousTokenProvider()
        )

    def get_connection(self, connection_name: str) -> AccessTokenProviderBase:
        return self.provider

    def get_default_connection(self) -> AccessTokenProviderBase:
        return self.provider

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        return self.provider

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        return self.provider

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return self.provider.configuration
