"""Configuration from the environment (and a ``.env`` file), with the defaults a newcomer needs.

Every variable is listed in the README. Secrets are ``SecretStr`` so they never print in logs or
tracebacks.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    slack_workspace_per_second: float = 5.0  # Slack publishes no figure; a few hundred a minute is safe

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

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

    @property
    def any_platform(self) -> bool:
        return self.slack_configured or self.teams_configured
