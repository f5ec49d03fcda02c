"""Slack's part of ``/readyz``: the bot token verified with ``auth.test``, Socket Mode connected.

Both are checked in the background once the server listens, and retried with backoff until they
work: a Slack outage, a refused token or a network that is not there yet must never keep the HTTP
server (Teams, health, metrics) from serving. The log says what to do; ``/readyz`` says what is wrong.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import suppress
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.observability.readiness import READINESS, Readiness, backoff

log = logging.getLogger("journeybot.slack")
BOT_TOKEN = "slack: bot token"
SOCKET_MODE = "slack: socket mode"
CONNECT_TIMEOUT_SECONDS = 30.0
# auth.test / apps.connections.open errors that mean the token itself, not the network, is wrong.
REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)


def _readiness(web_app: web.Application) -> Readiness:
    if READINESS not in web_app:
        web_app[READINESS] = Readiness()
    return web_app[READINESS]


def _why(error: Exception, variable: str, where: str) -> str:
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error", "")) if error.response is not None else ""
        if code in REFUSED:
            return f"Slack refused {variable} ({code}): {where}"
        return f"Slack answered {code or 'an error'} to {variable}"
    return f"Slack could not be reached ({type(error).__name__})"


def _in_background(web_app: web.Application, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    async def context(_web_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(work())
        yield
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

    web_app.cleanup_ctx.append(context)


async def _until_it_works(
    attempt: Callable[[], Awaitable[None]],
    why: Callable[[Exception], str],
    report: Callable[[str | None], None],
) -> None:
    """``attempt`` until it returns, reporting each failure's reason (and finally None)."""
    failures = 0
    while True:
        try:
            await attempt()
        except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as error:
            failures += 1
            delay = backoff(failures)
            reason = why(error)
            report(reason)
            log.warning("%s; trying again in %.0f s", reason, delay)
            await asyncio.sleep(delay)
        else:
            report(None)
            return


def verify_bot_token(web_app: web.Application, client: AsyncWebClient) -> None:
    """``auth.test`` with ``SLACK_BOT_TOKEN`` until Slack accepts it."""
    readiness = _readiness(web_app)
    readiness.expect(BOT_TOKEN)

    async def attempt() -> None:
        answer = await client.auth_test()
        log.info("Slack: bot token verified for workspace %s", answer.get("team_id"))

    def why(error: Exception) -> str:
        hint = "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"
        return _why(error, "SLACK_BOT_TOKEN", hint)

    def report(problem: str | None) -> None:
        if problem is None:
            readiness.ok(BOT_TOKEN)
        else:
            readiness.problem(BOT_TOKEN, problem)

    _in_background(web_app, lambda: _until_it_works(attempt, why, report))


def socket_mode(web_app: web.Application, bolt: AsyncApp, app_token: str) -> None:
    """Events over a WebSocket Slack opens to us (a developer needs no public URL), connected in the
    background. slack_sdk's ``connect`` retries forever without saying why, every 10 s, and would
    hold the server's start-up while it does; here the WebSocket address is asked for first (so a
    refused app token is named), each try is bounded, and the backoff grows. Once connected,
    slack_sdk's own monitor reconnects, and ``/readyz`` asks it whether it is connected."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt, app_token)
    readiness = _readiness(web_app)
    state: dict[str, str | None] = {"problem": "not connected yet"}

    async def attempt() -> None:
        handler.client.wss_uri = await handler.client.issue_new_wss_url()
        try:
            await asyncio.wait_for(handler.connect_async(), CONNECT_TIMEOUT_SECONDS)  # type: ignore[no-untyped-call]
        except TimeoutError:
            handler.client.wss_uri = None
            raise
        log.info("Slack: Socket Mode connected")

    def why(error: Exception) -> str:
        hint = "create an app-level token with connections:write under the app's Basic Information"
        return _why(error, "SLACK_APP_TOKEN", hint)

    def report(problem: str | None) -> None:
        state["problem"] = problem

    async def connected() -> str | None:
        if state["problem"] is not None:
            return state["problem"]
        return None if await handler.client.is_connected() else "disconnected; slack_sdk is reconnecting"

    readiness.add_check(SOCKET_MODE, connected)
    _in_background(web_app, lambda: _until_it_works(attempt, why, report))

    async def stop(_web_app: web.Application) -> None:
        with suppress(Exception):  # never connected, or already closed
            await handler.close_async()  # type: ignore[no-untyped-call]

    web_app.on_cleanup.append(stop)
