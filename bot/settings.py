"""Configuration from the environment (and a ``.env`` file), with the defaults a newcomer needs.

Every variable is listed in the README. Secrets are ``SecretStr`` so they never print in logs or
tracebacks.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.secrets import check_secret_key


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///journeybot.db"
    catalogue_file: Path | None = Field(default=None, description="YAML that extends/overrides the catalogue")
    log_level: str = "INFO"
    host: str = "0.0.0.0"
    port: int = 3000
    # A fixed seed makes nudge choices reproducible (tests, demos); unset means fresh randomness.
    random_seed: int | None = None
    # Scheduler and delivery (bot/scheduling/jobs.py, bot/delivery/deliver.py; see docs/delivery.md).
    tick_seconds: int = 60
    delivery_concurrency: int = 4
    delivery_max_attempts: int = 5
    # Worker processes that plan a big tick (everyone due at once); unset: one per core, 0: none.
    plan_workers: int | None = Field(default=None, ge=0)
    # Where Slack's and Teams' turns run (bot/conversation/inbox.py): "here", in the serving process
    # behind its acks; "worker", in `journeybot turns` processes, the serving process only acks and
    # writes each event to the database (acks never share their event loop with a turn).
    turns: Literal["here", "worker"] = "here"
    # Under TURNS=worker, `journeybot turns` processes `serve` starts beside itself at the lowest CPU
    # priority (bot/main/turn_processes.py); 0: none, run `journeybot turns` apart.
    turn_processes: int = Field(default=1, ge=0, le=32)
    slack_workspace_per_second: float = 5.0  # Slack publishes no figure; a few hundred a minute is safe
    # Days a leaver's data is kept (a full roster import no longer lists them) before the scheduler
    # erases it (bot/store/privacy.py). 0: at the next tick.
    retention_days: int = Field(default=30, ge=0, le=3650)

    # Encrypts stored platform tokens (bot/secrets.py): Fernet keys, comma-separated, newest first.
    journeybot_secret_key: SecretStr | None = None
    # Development only: store platform tokens in plain text when no key is set.
    journeybot_insecure_dev: bool = False

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = "/journey"  # the slash command, as the app's manifest names it
    # Workspaces (T…) and Enterprise Grid orgs (E…) whose people are this organisation's employees,
    # comma-separated. OAuth mode needs it: installs from elsewhere are refused, and only people of
    # these workspaces are matched to the roster by email (an email alone proves nothing elsewhere).
    slack_allowed_teams: str | None = None

    teams_app_id: str | None = None
    teams_app_password: SecretStr | None = None
    teams_tenant_id: str | None = None
    teams_allow_anonymous: bool = False

    # Suggested shares: where the bot's /r/ route is reachable for tracked links (None: links go
    # straight to the item, with the campaign parameters), and a disclosure every ready text must
    # carry (e.g. "#employee"; empty: none required).
    public_url: str | None = None
    content_disclosure: str | None = None

    @cached_property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)

    @cached_property
    def teams_configured(self) -> bool:
        return bool(self.teams_app_id or self.teams_allow_anonymous)

    @cached_property
    def slack_allowed_team_ids(self) -> frozenset[str]:
        """``SLACK_ALLOWED_TEAMS`` as ids; empty when unset (single-workspace mode: every request is
        signed with that one workspace's secret, so there is nobody else to keep out)."""
        return frozenset(part for part in (self.slack_allowed_teams or "").replace(",", " ").split() if part)

    @property
    def any_platform(self) -> bool:
        return self.slack_configured or self.teams_configured


class ConfigurationError(ValueError):
    """A platform is half configured; the message says what is missing."""


def check_configuration(settings: Settings) -> None:
    """Refuse to start with a platform half configured, rather than quietly serving without it.

    The composition root calls this before it serves anything (``journeybot run`` and ``serve``);
    every "half configured" rule lives here, next to the settings it reads."""
    if settings.slack_app_token and not settings.slack_configured:
        raise ConfigurationError(
            "Slack is half configured: SLACK_APP_TOKEN (Socket Mode) also needs SLACK_BOT_TOKEN "
            "and SLACK_SIGNING_SECRET"
        )
    if settings.slack_client_secret and not settings.slack_client_id:
        raise ConfigurationError("Slack OAuth is half configured: SLACK_CLIENT_ID is not set")
    if bool(settings.slack_bot_token) != bool(settings.slack_signing_secret) and not settings.slack_client_id:
        missing = "SLACK_SIGNING_SECRET" if settings.slack_bot_token else "SLACK_BOT_TOKEN"
        raise ConfigurationError(f"Slack is half configured: {missing} is not set")
    if settings.slack_configured:
        if not settings.slack_signing_secret:
            raise ConfigurationError("Slack is half configured: SLACK_SIGNING_SECRET is not set")
        if settings.slack_client_id and not settings.slack_client_secret:
            raise ConfigurationError("Slack OAuth is half configured: SLACK_CLIENT_SECRET is not set")
        if settings.slack_client_id and not settings.slack_allowed_team_ids:
            raise ConfigurationError(
                "Slack OAuth needs SLACK_ALLOWED_TEAMS: the workspace ids (T…) and Enterprise Grid org ids "
                "(E…) of your organisation, comma-separated; installs from any other are refused"
            )
    # Teams with an app id and no password would start and refuse every request while looking healthy:
    # an operator would find out from the people it fails, not from the start-up.
    if settings.teams_app_id and not settings.teams_app_password:
        raise ConfigurationError(
            "Teams is half configured: TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is not"
        )
    if settings.teams_app_password and not settings.teams_app_id:
        raise ConfigurationError(
            "Teams is half configured: TEAMS_APP_PASSWORD is set but TEAMS_APP_ID is not"
        )
    check_secret_key(settings)  # a malformed key, or OAuth storing tokens with none to encrypt them


def teams_problem(app_id: str | None, app_password: str | None, allow_anonymous: bool) -> str | None:
    """Why Teams cannot serve with these settings, or None when it can.

    ``check_configuration`` stops ``serve`` and ``worker`` on a half-configured Teams; this is the
    adapter's own guard for code that mounts it without that check (its route then answers 503 and
    its nudges wait in the outbox)."""
    if app_id and not app_password:
        return "TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is not; Teams requests are refused"
    anonymous = allow_anonymous and not app_id
    if not (app_id and app_password) and not anonymous:
        return (
            "no Teams credentials (TEAMS_APP_ID, TEAMS_APP_PASSWORD) and TEAMS_ALLOW_ANONYMOUS is not "
            "true; Teams requests are refused"
        )
    return None
