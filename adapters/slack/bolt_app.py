"""The Bolt ``AsyncApp``s: single-workspace (a bot token) or multi-workspace (OAuth, stores in our database).

Two apps with the same configuration:

- the **front** app answers requests: buttons, forms and slash commands (each listener calls
  ``ack()`` first), and takes Events API events in without any work (``take_event``: the in-process
  check for a retry, then the inbox) — the HTTP route does the same before Bolt, see ``web.py``;
- the **worker** app handles an event when the inbox gives it its turn (``bot/conversation/inbox.py``):
  ``process_before_response`` so the listener runs to its end inside the turn's slot, without a
  second signature check (the request was verified when it came in, maybe minutes ago). The durable
  check for a retry (``SlackRecords.first_time``: a primary key, across replicas) comes first.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack.allowed import AllowedTeams, AllowListInstallationStore, enterprise_of
from adapters.slack.client import api_url, web_client
from adapters.slack.commands import register_commands, register_other_commands
from adapters.slack.creators import register_creators
from adapters.slack.installations import ROTATE_MINUTES_BEFORE, token_rotator
from adapters.slack.lifecycle import register_lifecycle, reinstall_callbacks
from adapters.slack.listeners import register_actions, register_events
from adapters.slack.parse import PLATFORM, team_of
from adapters.slack.service import SlackService
from adapters.slack.submissions import register_other_views, register_submissions
from bot.conversation.deps import AdapterDeps
from bot.conversation.inbox import Inbox
from bot.observability.metrics import EVENTS
from bot.secrets import Secrets

# What Bolt passes a middleware: the rest of the chain, which answers the request.
Next = Callable[[], Awaitable[BoltResponse]]

log = logging.getLogger("journeybot.slack")
# Keep in step with manifest.yaml's oauth_config.scopes.bot.
BOT_SCOPES = (
    "chat:write",
    "commands",
    "im:history",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    # Away-awareness (adapters/slack/away.py): no nudge to someone out of office, sick, travelling
    # (their status) or in Do Not Disturb. Read only, right before a proactive message goes out.
    "users.profile:read",
    "dnd:read",
)
STATE_SECONDS = 600
_KIND = re.compile(r"[a-z_.]{1,40}")  # metric labels stay few and plain


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
    # Tokens encrypted at rest, and installs from workspaces outside SLACK_ALLOWED_TEAMS refused.
    installation_store = AllowListInstallationStore(
        AllowedTeams(settings.slack_allowed_team_ids),
        client_id,
        deps.db.engine,
        Secrets.from_settings(settings),
    )
    oauth = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        installation_store=installation_store,
        # A random state kept in our database and consumed once, on any replica: no secret signs it.
        # (slack_sdk's StatelessOAuthStateStore signs states with one instead, but cannot refuse a replay.)
        state_store=AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=deps.db.engine),
        state_expiration_seconds=STATE_SECONDS,
        authorization_url=authorization_url(api_url(settings)),
        install_path="/slack/install",
        redirect_uri_path="/slack/oauth_redirect",
        callback_options=reinstall_callbacks(deps.store),
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE,
    )
    # Bolt's authorize refreshes rotating tokens (Slack app setting "token rotation") before each
    # request, but through a client of its own aimed at slack.com: this one uses the configured API.
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=installation_store,
        client_id=client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE,
    )
    authorize.token_rotator = token_rotator(settings)
    oauth.authorize = authorize
    return oauth


def event_kind(body: dict[str, Any]) -> str:
    """What a payload is, for the metrics: the event's type, the interaction's, or "command"."""
    kind = body.get("type")
    if kind == "event_callback" and isinstance(body.get("event"), dict):
        kind = body["event"].get("type")
    elif kind is None and "command" in body:
        kind = "command"
    kind = str(kind or "other")
    return kind if _KIND.fullmatch(kind) else "other"


@dataclass(frozen=True)
class SlackApps:
    front: AsyncApp
    worker: AsyncApp
    service: SlackService

    def take_event(self, body: dict[str, Any], raw: str) -> None:
        """An Events API event, acknowledged by the caller: into the inbox unless this process has
        taken it in already (a retry). No I/O here: the ack must not wait for anything."""
        EVENTS.labels(PLATFORM, event_kind(body)).inc()  # HTTP and Socket Mode alike
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not self.service.seen.first_time(event_id):
            log.info("event %s already taken in; acknowledging the retry", event_id)
            return
        self.service.inbox.take(PLATFORM, _turn_key(body), raw)

    async def handle_event(self, raw: str) -> None:
        """The inbox's handler: the durable check for a retry, then the listeners, to their end."""
        body = json.loads(raw)
        event_id = body.get("event_id")
        clock = self.service.deps.clock
        if isinstance(event_id, str) and not await self.service.records.first_time(event_id, clock()):
            log.info("event %s already handled (another process took it in); skipped", event_id)
            return
        request = AsyncBoltRequest(body=raw, headers={"content-type": "application/json"})
        response = await self.worker.async_dispatch(request)
        if response.status >= 400 and response.status != 404:
            log.error("Slack event %s not handled (Bolt answered %s)", event_id, response.status)


def _turn_key(body: dict[str, Any]) -> str:
    """Whose turn an event is: its user in its workspace (one person's events keep their order)."""
    event = body.get("event")
    if not isinstance(event, dict):
        event = {}
    user = event.get("user") if isinstance(event.get("user"), str) else ""
    return f"{body.get('team_id', '')}:{user}" if user else str(body.get("event_id", ""))


def build_bolt(deps: AdapterDeps, inbox: Inbox) -> SlackApps:
    settings = deps.settings
    multi_workspace = bool(settings.slack_client_id)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    # One HTTP session for every Web API call of this process: a connection is reused, not opened
    # for each call (slack_sdk opens and closes a session per call when it is given none).
    client = web_client(settings, with_bot_token=not multi_workspace)
    options: dict[str, Any] = {
        "signing_secret": secret,
        # In OAuth mode each request's client gets its workspace's token from the installation store.
        "client": client,
        "process_before_response": False,  # ack at once, work afterwards
        "raise_error_for_unhandled_request": False,
    }
    if multi_workspace:
        options["oauth_settings"] = oauth_settings(deps)
    front = AsyncApp(**options)
    worker = AsyncApp(**{**options, "process_before_response": True, "request_verification_enabled": False})
    service = SlackService(deps, multi_workspace, inbox)
    apps = SlackApps(front, worker, service)

    async def events_to_inbox(body: dict[str, Any], next: Next) -> BoltResponse:
        """Socket Mode's events reach the front app: they go to the inbox like the HTTP route's."""
        if body.get("type") == "event_callback":
            apps.take_event(body, json.dumps(body))
            return BoltResponse(status=200, body="")
        EVENTS.labels(PLATFORM, event_kind(body)).inc()
        return await next()

    async def only_allowed_teams(body: dict[str, Any], next: Next) -> BoltResponse:
        """Acknowledge and drop what comes from a workspace outside ``SLACK_ALLOWED_TEAMS`` (one
        installed before the list was set): nobody there is one of our people. In memory: it may
        run before the ack. Events are checked again by the worker (the HTTP route skips Bolt)."""
        team, enterprise = team_of(body), enterprise_of(body)
        if (team or enterprise) and not service.allowed.allows(team, enterprise):
            log.warning("Slack request from workspace %s (org %s), not in SLACK_ALLOWED_TEAMS: dropped",
                        team or "-", enterprise or "-")  # fmt: skip
            return BoltResponse(status=200, body="")
        return await next()

    async def rate_limited_notice(body: dict[str, Any], next: Next) -> BoltResponse:
        """``app_rate_limited``: Slack tells us it dropped events for a minute. Logged and acknowledged
        (it is no event_callback, so no listener would answer it and Bolt would say 404)."""
        if body.get("type") == "app_rate_limited":
            log.warning("Slack rate-limited this app's events (team %s, minute %s)",
                        body.get("team_id"), body.get("minute_rate_limited"))  # fmt: skip
            return BoltResponse(status=200, body="")
        return await next()

    front.middleware(rate_limited_notice)
    front.middleware(only_allowed_teams)
    front.middleware(events_to_inbox)
    worker.middleware(only_allowed_teams)
    register_lifecycle(worker, service)
    register_events(worker, service)
    register_creators(front, service)  # its buttons open forms: trigger ids live 3 s
    register_actions(front, service)
    register_submissions(front, service)
    register_commands(front, service)
    register_other_commands(front)
    register_other_views(front)
    inbox.register(PLATFORM, apps.handle_event)
    return apps
