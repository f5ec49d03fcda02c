"""What the Teams adapter needs to know, from ``bot.settings.Settings`` plus a few endpoint overrides.

The endpoints default to Microsoft's public cloud. They are settings so that tests (and sovereign
clouds) can point token validation and token acquisition somewhere else: a test runs a local fake
OpenID server and token endpoint instead of reaching the internet.

``TEAMS_TENANT_ID`` (a single-tenant bot) changes only where our own token comes from. Incoming
requests are trusted from the Bot Framework channel service alone, whatever the bot type: Entra
tokens for the tenant are not accepted, because any app in the tenant can obtain one for our app id.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import Settings, teams_problem

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


class TeamsEndpoints(BaseSettings):
    """``TEAMS_OPENID_METADATA_URLS`` / ``TEAMS_TOKEN_ISSUERS`` (comma-separated), ``TEAMS_TOKEN_URL``,
    ``TEAMS_TOKEN_SCOPE`` (the Bot Connector's scope in a sovereign cloud, e.g. US Government's
    ``https://api.botframework.us/.default``)."""

    model_config = SettingsConfigDict(env_prefix="TEAMS_", env_file=".env", extra="ignore")

    openid_metadata_urls: str = ""
    token_issuers: str = ""
    token_url: str = ""
    token_scope: str = ""


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str | None
    app_password: str | None
    tenant_id: str | None
    allow_anonymous: bool
    metadata_urls: tuple[str, ...]
    issuers: tuple[str, ...]
    token_url: str
    # What our own token is for: the Bot Connector of the cloud the bot lives in.
    token_scope: str = BOT_FRAMEWORK_SCOPE

    @classmethod
    def from_settings(cls, settings: Settings, endpoints: TeamsEndpoints | None = None) -> TeamsConfig:
        endpoints = endpoints or TeamsEndpoints()
        tenant = settings.teams_tenant_id or None
        password = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
        return cls(
            app_id=settings.teams_app_id or None,
            app_password=password or None,
            tenant_id=tenant,
            allow_anonymous=settings.teams_allow_anonymous,
            # Only the Bot Framework channel service, single-tenant or not: its tokens say where
            # replies may go (``serviceurl``), Entra-issued ones do not (see adapters/teams/auth.py).
            metadata_urls=_split(endpoints.openid_metadata_urls) or (BOT_FRAMEWORK_METADATA,),
            issuers=_split(endpoints.token_issuers) or (BOT_FRAMEWORK_ISSUER,),
            # A single-tenant bot gets its own token from its tenant, a multi-tenant one from the
            # botframework.com tenant.
            token_url=endpoints.token_url
            or f"https://login.microsoftonline.com/{tenant or 'botframework.com'}/oauth2/v2.0/token",
            token_scope=endpoints.token_scope or BOT_FRAMEWORK_SCOPE,
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id and self.app_password)

    @property
    def anonymous(self) -> bool:
        """Unauthenticated local use: only when asked for explicitly and no credentials are set."""
        return self.allow_anonymous and not self.app_id

    def problem(self) -> str | None:
        """Why the Teams route cannot serve, or None when it can (the rule lives with the settings)."""
        return teams_problem(self.app_id, self.app_password, self.allow_anonymous)
