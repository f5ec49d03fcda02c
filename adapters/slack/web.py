"""Slack's routes on the one aiohttp server, and Socket Mode when an app-level token is set.

``POST /slack/events`` checks the signature on the raw body *before* anything is parsed, so a
forged or stale request (older than 5 minutes) gets 401 and touches nothing; a body that is not
a Slack payload gets 400, never a 500. The body is read as bytes and decoded as UTF-8 (what Slack
sends), whatever charset the request claims: a made-up charset must not reach a codec lookup.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.bolt_app import build_bolt
from adapters.slack.health import socket_mode, verify_bot_token
from adapters.slack.records import SEEN_EVENTS_KEPT, SlackRecords
from bot.conversation.deps import AdapterDeps
from bot.conversation.inbox import Inbox
from bot.observability.metrics import ACK_SECONDS

log = logging.getLogger("journeybot.slack")
BOLT_KEY = web.AppKey("slack_bolt", AsyncApp)
INBOX_KEY = web.AppKey("slack_inbox", Inbox)
PRUNE_SECONDS = 3600.0
# Turns at once: enough to overlap one turn's database wait with another's CPU, few enough that the
# event loop always has room to acknowledge the next request. Beyond the capacity, events wait in
# the database (see bot/conversation/inbox.py).
INBOX_CONCURRENCY = 4
INBOX_CAPACITY = 1000


def _signed(verifier: SignatureVerifier, body: str, request: web.Request) -> bool:
    """slack_sdk's check, with headers no client of Slack's would send counted as a failed check:
    a timestamp that is not a number raises ValueError, a non-ASCII signature TypeError."""
    try:
        return verifier.is_valid_request(body, dict(request.headers))
    except (ValueError, TypeError):
        return False


def _payload(request: web.Request, body: str) -> dict[str, Any] | None:
    try:
        parsed: object = parse_body(body, request.content_type)  # typed a dict, but any JSON can come
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError):  # RecursionError: deep JSON
        return None
    if not isinstance(parsed, dict) or not _shape_bolt_expects(parsed):
        return None  # JSON, but not a Slack payload
    return parsed


def _bolt_request(request: web.Request, body: str) -> AsyncBoltRequest | None:
    try:
        # Bolt reads a few fields while building the request; odd shapes there fail here, not later.
        return AsyncBoltRequest(body=body, query=request.query_string, headers=dict(request.headers))
    except (
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
        RecursionError,
    ):  # RecursionError: deeply nested JSON
        return None


def _shape_bolt_expects(body: dict[str, Any]) -> bool:
    """Bolt indexes into these without checking; a payload without them is not Slack's."""
    kind = body.get("type")
    if kind == "event_callback":
        return isinstance(body.get("event"), dict)
    if kind in ("block_actions", "interactive_message"):
        actions = body.get("actions")
        return isinstance(actions, list) and bool(actions) and isinstance(actions[0], dict)
    if kind in ("view_submission", "view_closed"):
        return isinstance(body.get("view"), dict)
    return True


def mount(web_app: web.Application, deps: AdapterDeps) -> None:
    """Slack's routes, for settings ``bot.settings.check_configuration`` has passed."""
    settings = deps.settings
    assert settings.slack_signing_secret is not None, "checked by bot.settings.check_configuration"
    inbox = Inbox(
        deps.db,
        concurrency=INBOX_CONCURRENCY,
        capacity=INBOX_CAPACITY,
        clock=deps.clock,
        runs_turns=settings.turns == "here",  # TURNS=worker: `journeybot turns` runs them (mount_turns)
    )
    apps = build_bolt(deps, inbox)
    bolt, service = apps.front, apps.service
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())
    web_app[BOLT_KEY] = bolt
    web_app[INBOX_KEY] = inbox

    async def events(request: web.Request) -> web.Response:
        started = time.monotonic()
        try:
            return await answer(request)
        finally:
            ACK_SECONDS.labels("slack").observe(time.monotonic() - started)

    async def answer(request: web.Request) -> web.Response:
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:  # Slack signs and sends UTF-8; nothing else can be its payload
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
        if not _signed(verifier, body, request):
            return web.json_response({"error": "invalid signature or stale request"}, status=401)
        payload = _payload(request, body)
        if payload is not None and payload.get("type") == "event_callback":
            # Acknowledged at once, before any database work; the turn runs when the inbox says.
            apps.take_event(payload, body)
            return web.Response(status=200)
        bolt_request = None if payload is None else _bolt_request(request, body)
        if bolt_request is None:
            return web.json_response({"error": "not a Slack payload"}, status=400)
        response = await bolt.async_dispatch(bolt_request)
        if response.status >= 500:  # Bolt failed before the ack: logged by Bolt; Slack gets no 500
            log.error("Slack request not handled (Bolt answered %s)", response.status)
            return web.json_response({"error": "could not handle this payload"}, status=400)
        return await to_aiohttp_response(response)

    web_app.router.add_post("/slack/events", events)

    web_app.cleanup_ctx.append(_pruning(service.records, deps.clock))
    web_app.cleanup_ctx.append(_running(inbox, bolt.client))
    mode = "single workspace (bot token)"
    if bolt.oauth_flow is not None:
        oauth = bolt.oauth_flow

        async def install(request: web.Request) -> web.Response:
            bolt_request = AsyncBoltRequest(
                body="", query=request.query_string, headers=dict(request.headers)
            )
            return await to_aiohttp_response(await oauth.handle_installation(bolt_request))

        async def redirect(request: web.Request) -> web.Response:
            bolt_request = AsyncBoltRequest(
                body="", query=request.query_string, headers=dict(request.headers)
            )
            return await to_aiohttp_response(await oauth.handle_callback(bolt_request))

        web_app.router.add_get("/slack/install", install)
        web_app.router.add_get("/slack/oauth_redirect", redirect)
        mode = "multi-workspace OAuth (/slack/install)"
    else:
        verify_bot_token(web_app, bolt.client)
    if settings.slack_app_token:
        socket_mode(web_app, bolt, settings.slack_app_token.get_secret_value())
        mode += " + Socket Mode"
    log.info("Slack: %s", mode)


def mount_turns(web_app: web.Application, deps: AdapterDeps) -> Inbox:
    """A turn process's Slack (``journeybot turns``, TURNS=worker): no routes, an inbox that drains
    the events the serving processes wrote, and the worker Bolt app that answers them."""
    inbox = Inbox.draining(deps.db, concurrency=INBOX_CONCURRENCY, clock=deps.clock)
    apps = build_bolt(deps, inbox)
    web_app[BOLT_KEY] = apps.front
    web_app[INBOX_KEY] = inbox
    web_app.cleanup_ctx.append(_running(inbox, apps.front.client))
    return inbox


def _pruning(
    records: SlackRecords, clock: Callable[[], datetime]
) -> Callable[[web.Application], AsyncIterator[None]]:
    """Forget seen event ids after a day and expired OAuth states, at start and then every
    ``PRUNE_SECONDS`` while the server runs (each replica does; the deletes are cheap and idempotent)."""

    async def prune_forever() -> None:
        while True:
            try:
                events = await records.forget_events_before(clock() - SEEN_EVENTS_KEPT)
                states = await records.forget_expired_oauth_states(datetime.now(UTC))
                log.debug("forgot %d seen Slack event id(s) and %d expired OAuth state(s)", events, states)
            except Exception:  # the database may be away for a moment: try again next time
                log.warning("could not prune Slack's seen events and OAuth states", exc_info=True)
            await asyncio.sleep(PRUNE_SECONDS)

    async def context(_web_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(prune_forever())
        yield
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

    return context


def _running(inbox: Inbox, client: AsyncWebClient) -> Callable[[web.Application], AsyncIterator[None]]:
    """The inbox's workers, and one HTTP session (a kept-alive connection pool) for the Web API
    client every request's client is made from (Bolt passes the session on)."""

    async def context(_web_app: web.Application) -> AsyncIterator[None]:
        client.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        await inbox.start()
        try:
            yield
        finally:
            await inbox.close()
            await client.session.close()
            client.session = None

    return context
