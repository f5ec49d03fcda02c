"""The app's own life in a workspace: uninstalled, tokens revoked, installed (again) through OAuth.

With several workspaces, Bolt's built-in revocation listeners delete what the installation store
holds for the workspace (``app_uninstalled``: everything; ``tokens_revoked``: the revoked user
installations and, for a bot token, the bot). On top of that, when the bot can no longer post there,
everyone the bot knows in that workspace is marked unreachable, so planning stops for them instead
of failing send after send; an OAuth install makes them worth a try again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.response import BoltResponse

from adapters.slack.allowed import WorkspaceNotAllowed, refused_page
from adapters.slack.parse import PLATFORM, team_of
from adapters.slack.service import SlackService
from bot.store.store import Store

log = logging.getLogger("journeybot.slack")
Json = dict[str, Any]


def register_lifecycle(bolt: AsyncApp, service: SlackService) -> None:
    """Register before ``register_events``: Bolt runs only the first listener that matches, and the
    catch-all for other events comes last."""
    deletes = service.multi_workspace  # one bot token from the settings: there is nothing to delete

    @bolt.event("app_uninstalled")
    async def uninstalled(body: Json, context: AsyncBoltContext) -> None:
        if deletes:
            await bolt.default_app_uninstalled_event_listener()(context)
        await _workspace_gone(service, context.team_id or team_of(body), "the app was uninstalled")

    @bolt.event("tokens_revoked")
    async def revoked(event: Json, body: Json, context: AsyncBoltContext) -> None:
        if deletes:
            await bolt.default_tokens_revoked_event_listener()(event, context)
        tokens = event.get("tokens")
        if isinstance(tokens, dict) and tokens.get("bot"):  # user tokens: nothing of ours needs them
            await _workspace_gone(service, context.team_id or team_of(body), "the bot token was revoked")


async def _workspace_gone(service: SlackService, team: str, why: str) -> None:
    if not team and service.multi_workspace:  # an org-wide install: its workspaces are not known here
        log.warning("Slack: %s for an organisation; nobody marked unreachable", why)
        return
    # With one workspace, people the roster linked by Slack id alone (no team known) are there too.
    tenants = {team} if service.multi_workspace else {team, ""}
    # Someone also known in a workspace that still has the app stays reachable (there).
    still_there = await service.installations.teams() if service.installations is not None else None
    marked = await service.deps.store.workspace_gone(PLATFORM, tenants, service.deps.clock(), still_there)
    log.info("Slack workspace %s: %s; %d people marked unreachable", team or "(unknown)", why, marked)


def reinstall_callbacks(store: Store) -> AsyncCallbackOptions:
    """Bolt's own install pages, after making the workspace's people reachable again."""

    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        team = args.installation.team_id or ""
        back = await store.workspace_back(PLATFORM, {team})
        log.info("Slack workspace %s installed; %d people reachable again", team or "(unknown)", back)
        return await args.default.success(args)

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        if isinstance(args.error, WorkspaceNotAllowed):
            log.warning("Slack install refused: %s", args.error)
            return BoltResponse(
                status=403,
                body=refused_page(args.error),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=success, failure=failure)
