"""The Bolt ``AsyncApp``: single-workspace (a bot token) or multi-workspace (OAuth, stores in our database).

Order matters: Bolt's own middleware verifies the signature first, then ``once_per_event`` drops
Events API retries of an ``event_id`` already taken in, then the listeners run.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack.client import api_url, web_client
from adapters.slack.commands import register_commands
from adapters.slack.lifecycle import register_lifecycle, reinstall_callbacks
from adapters.slack.listeners import register_actions, register_events
from adapters.slack.service import SlackService
from adapters.slack.submissions import register_submissions
from bot.conversation.deps import AdapterDeps

log = logging.getLogger("journeybot.slack")
# Keep in step with manifest.yaml's oauth_config.scopes.bot.
BOT_SCOPES = (
    "chat:write",
    "commands",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
)
STATE_SECONDS = 600


def authorization_url(api: str) -> str | None:
    """Where admins are sent to approve the install, on the same host as the Web API: a GovSlack-style
    deployment's admins cannot approve on slack.com. None (Bolt's default) for Slack's own API."""
    parts = urlsplit(api)
    if parts.netloc == "slack.com":
        return None
    return f"{parts.scheme}://{parts.netloc}/oauth/v2/authorize"


def oauth_settings(deps: AdapterDeps) -> AsyncOAuthSettings:
    settings = deps.settings
    assert settings.slack_client_id and settings.slack_client_secret, "OAuth needs the client id and secret"
    client_id = settings.slack_client_id
    return AsyncOAuthSettings(
        client_id=client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=deps.db.engine),
        # A random state kept in our database and consumed once, on any replica: no secret signs it.
        # (slack_sdk's StatelessOAuthStateStore signs states with one instead, but cannot refuse a replay.)
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=deps.db.engine),
        state_expiration_seconds=STATE_SECONDS,
        authorization_url=authorization_url(api_url(settings)),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        callback_options=reinstall_callbacks(deps.store),
    )


def build_bolt(deps: AdapterDeps) -> tuple[AsyncApp, SlackService]:
    settings = deps.settings
    multi_workspace = bool(settings.slack_client_id)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    options: dict[str, Any] = {
        "signing_secret": secret,
        # In OAuth mode each request's client gets its workspace's token from the installation store.
        "client": web_client(settings, with_bot_token=not multi_workspace),
        "process_before_response": False,  # ack at once, work afterwards
        "raise_error_for_unhandled_request": False,
    }
    if multi_workspace:
        options["oauth_settings"] = oauth_settings(deps)
    bolt = AsyncApp(**options)
    service = SlackService(deps, multi_workspace)

    async def once_per_event(body: dict[str, Any], next: Any) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and not await service.records.first_time(event_id, deps.clock()):
            log.info("event %s already taken in; acknowledging the retry", event_id)
            return BoltResponse(status=200, body="")
        return await next()

    bolt.middleware(once_per_event)
    register_lifecycle(bolt, service)
    register_events(bolt, service)
    register_actions(bolt, service)
    register_submissions(bolt, service)
    register_commands(bolt, service)
    return bolt, service
