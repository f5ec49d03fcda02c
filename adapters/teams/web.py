"""``POST /api/messages`` on the shared aiohttp server.

Authorization is applied to this one route, never as app-wide middleware (which would demand a Bot
Framework token from Slack's requests and the health check too). With credentials every request's
JWT is verified and a missing or invalid token gets 401 before the body is read; then a body that
is not an activity gets 400, and a token that does not fit the activity (its serviceUrl) 401.
Nothing is stored for a refused request.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_exceptions import NotAppKeyWarning
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import start_agent_process
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from pydantic import ValidationError

from adapters.teams.agent import TeamsAgent, build_agent
from adapters.teams.auth import OpenIdKeys, TokenVerifier, Unauthorized
from adapters.teams.config import BOT_FRAMEWORK_SCOPE, TeamsConfig
from adapters.teams.intake import TeamsIntake, build_intake, later
from adapters.teams.parse import ACTION_INVOKE
from adapters.teams.tokens import ClientCredentialsTokens, TokenError
from bot.conversation.deps import AdapterDeps
from bot.observability.metrics import ACK_SECONDS, EVENTS
from bot.observability.readiness import READINESS, Readiness, backoff

log = logging.getLogger("journeybot.teams")
ROUTE = "/api/messages"
TEAMS_AGENT = web.AppKey("teams_agent", TeamsAgent)
TEAMS_INTAKE = web.AppKey("teams_intake", TeamsIntake)
# Activity types counted by name in the metrics; anything else is "other" (labels stay few).
COUNTED_TYPES = frozenset(
    {"message", "conversationUpdate", "installationUpdate", "invoke", "messageReaction", "event", "typing"}
)


def mount(web_app: web.Application, deps: AdapterDeps, config: TeamsConfig | None = None) -> None:
    config = config or TeamsConfig.from_settings(deps.settings)
    problem = config.problem()
    if problem is not None:
        log.error("Teams is off: %s", problem)
        web_app.router.add_post(ROUTE, _refuse(problem))
        return
    agent = build_agent(deps, config)
    web_app[TEAMS_AGENT] = agent
    intake = build_intake(agent, deps.db, deps.clock, runs_turns=deps.settings.turns == "here")
    web_app[TEAMS_INTAKE] = intake
    web_app.cleanup_ctx.append(intake.running())
    if config.authenticated:
        assert config.app_id is not None
        verifier = TokenVerifier(config.app_id, config.issuers, OpenIdKeys(config.metadata_urls))
        if config.allow_anonymous:
            log.warning("TEAMS_ALLOW_ANONYMOUS is ignored: credentials are set, so every request is verified")
        web_app.router.add_post(ROUTE, _timed(_authenticated(intake, verifier)))
        _watch_credentials(web_app, agent, verifier)
    else:
        log.warning(
            "Teams runs WITHOUT authentication (TEAMS_ALLOW_ANONYMOUS=true): anyone who can reach %s "
            "can talk as anyone. Use this only on your own machine.",
            ROUTE,
        )
        web_app.router.add_post(ROUTE, _timed(_anonymous(intake)))


def mount_turns(web_app: web.Application, deps: AdapterDeps, config: TeamsConfig | None = None) -> None:
    """A turn process's Teams (``journeybot turns``, TURNS=worker): no route, an intake whose inbox
    drains the activities the serving processes wrote, answered through the connector."""
    config = config or TeamsConfig.from_settings(deps.settings)
    problem = config.problem()
    if problem is not None:
        log.error("Teams is off: %s", problem)
        return
    agent = build_agent(deps, config)
    web_app[TEAMS_AGENT] = agent
    intake = build_intake(agent, deps.db, deps.clock, drains=True)
    web_app[TEAMS_INTAKE] = intake
    web_app.cleanup_ctx.append(intake.running())


def _watch_credentials(web_app: web.Application, agent: TeamsAgent, verifier: TokenVerifier) -> None:
    """Get our Bot Connector token and the channel's signing keys at start, in the background, and
    retry with backoff until both are there: the server serves meanwhile and ``/readyz`` says what
    is missing. Afterwards every token fetch updates what ``/readyz`` says (a secret that expires
    while the bot runs shows there)."""
    if READINESS not in web_app:
        web_app[READINESS] = Readiness()
    readiness = web_app[READINESS]
    provider = agent.connections.provider
    assert isinstance(provider, ClientCredentialsTokens)

    async def token_problem() -> str | None:
        return provider.problem

    async def keys_problem() -> str | None:
        return verifier.keys.problem

    readiness.add_check("teams: bot connector token", token_problem)
    readiness.add_check("teams: signing keys", keys_problem)

    async def warm_up() -> None:
        failures = 0
        while True:
            if provider.problem is not None:
                with suppress(TokenError):  # recorded in provider.problem
                    await provider.get_access_token(BOT_FRAMEWORK_SCOPE, [BOT_FRAMEWORK_SCOPE])
            keys = await verifier.keys.ensure()
            if provider.problem is None and keys is None:
                log.info("Teams: Bot Connector token obtained and signing keys loaded")
                return
            failures += 1
            delay = max(backoff(failures), verifier.keys.seconds_to_retry() if keys else 0.0)
            if provider.problem is not None:
                log.warning("%s; trying again in %.0f s", provider.problem, delay)
            await asyncio.sleep(delay)

    async def context(_web_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(warm_up())
        yield
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task

    web_app.cleanup_ctx.append(context)


def _timed(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Handler:
    """How long Teams waits for our answer (at once for a message; an invoke's once its turn is done)."""

    async def timed(request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        try:
            return await handler(request)
        finally:
            ACK_SECONDS.labels("teams").observe(time.monotonic() - started)

    return timed


def _refuse(problem: str) -> Handler:
    async def refuse(_request: web.Request) -> web.Response:
        log.warning("Teams request refused: %s", problem)
        return web.json_response({"error": "Teams is not configured on this server"}, status=503)

    return refuse


def _authenticated(intake: TeamsIntake, verifier: TokenVerifier) -> Handler:
    async def messages(request: web.Request) -> web.StreamResponse:
        # The token first: a caller without one learns nothing, not even whether its body parses.
        try:
            verified = await verifier.verify(request.headers.get("Authorization"))
        except Unauthorized as reason:
            return _unauthorized(reason)
        activity = await _json_object(request)
        if activity is None:
            return _bad_request("expected a JSON activity")
        try:
            verified.admit(activity)  # its channel and serviceUrl: where our replies will go
        except Unauthorized as reason:
            return _unauthorized(reason)
        identity = ClaimsIdentity(
            verified.claims, authentication_type="Bearer", security_token=verified.token
        )
        _set_identity(request, identity)
        return await _process(request, intake, activity, verified.claims)

    return messages


def _anonymous(intake: TeamsIntake) -> Handler:
    async def messages(request: web.Request) -> web.StreamResponse:
        activity = await _json_object(request)
        if activity is None:
            return _bad_request("expected a JSON activity")
        _set_identity(request, ClaimsIdentity())  # anonymous: replies go out without a token
        return await _process(request, intake, activity, None)

    return messages


async def _json_object(request: web.Request) -> dict[str, Any] | None:
    try:
        body = await request.json()
    except ValueError:  # also UnicodeDecodeError
        return None
    return body if isinstance(body, dict) else None


def _unauthorized(reason: Unauthorized) -> web.Response:
    log.warning("Teams request refused: %s", reason)
    return web.json_response({"error": "unauthorized"}, status=401)


def _bad_request(error: str) -> web.Response:
    return web.json_response({"error": error}, status=400)


def _set_identity(request: web.Request, identity: ClaimsIdentity) -> None:
    # The SDK reads the identity from this plain string key; aiohttp would rather have a RequestKey.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotAppKeyWarning)
        request["claims_identity"] = identity


async def _process(
    request: web.Request, intake: TeamsIntake, activity: dict[str, Any], claims: dict[str, Any] | None
) -> web.StreamResponse:
    # The SDK validates the activity outside any error handler (a wrong shape would be a 500), so
    # the same validation runs here first and a body that is not an activity gets a plain 400.
    refused = _refusal(activity)  # first: the SDK's model raises a TypeError on an empty channelId
    if refused is not None:
        return refused
    try:
        Activity.model_validate(activity)
    except ValidationError as error:
        log.info("Teams request refused: not a valid activity (%d errors)", error.error_count())
        return _bad_request("not a Bot Framework activity")
    except (TypeError, ValueError):
        return _bad_request("not a Bot Framework activity")
    kind = str(activity.get("type"))
    EVENTS.labels("teams", kind if kind in COUNTED_TYPES else "other").inc()
    if later(activity):
        if intake.cannot_answer():
            log.error("Teams activity refused: the bot has no Bot Connector token to answer with")
            return _no_token()
        # Acknowledged at once, before any database work; the turn runs when the inbox says and
        # its replies go out through the connector (adapters/teams/intake.py).
        intake.take(activity, claims)
        return web.Response(status=202)
    # An invoke answers in this response: inline, but never more than a few at once.
    try:
        async with asyncio.timeout(intake.invoke_wait):
            await intake.invokes.acquire()
    except TimeoutError:
        log.warning("Teams invoke refused: every inline slot stayed busy for %.0f s", intake.invoke_wait)
        return web.json_response(
            {"error": "the bot is busy; try again in a moment"}, status=503, headers={"Retry-After": "5"}
        )
    agent = intake.agent
    try:
        response = await start_agent_process(request, agent.application, agent.adapter)
    except TokenError as error:  # the SDK fetches our token before the turn: nothing was handled
        log.error("Teams request not handled: %s", error)
        return _no_token()
    finally:
        intake.invokes.release()
    return response if response is not None else web.Response(status=202)


def _no_token() -> web.Response:
    return web.json_response(
        {"error": "the bot cannot get its Bot Connector token; see /readyz"},
        status=503,
        headers={"Retry-After": "60"},
    )


def _refusal(activity: dict[str, Any]) -> web.Response | None:
    """What Bot Framework itself would refuse, answered before the SDK opens a connector client for
    it (an unusable ``serviceUrl`` would fail there with a 500, leaving that client's session open):
    400 for a reply address or channel that is missing or unusable and for a malformed card action.
    (An invoke nobody here implements gets its 501 from ``TeamsTurns``.)"""
    service_url = activity.get("serviceUrl")
    parts = urlsplit(service_url) if isinstance(service_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return _bad_request("the activity has no usable serviceUrl")
    if not isinstance(activity.get("channelId"), str) or not activity["channelId"].strip():
        return _bad_request("the activity has no channelId")
    if activity.get("type") == "invoke" and activity.get("name") == ACTION_INVOKE:
        # (Other invokes go to the SDK: a route may handle them; what none does is a 501 there.)
        value = activity.get("value")
        action = value.get("action") if isinstance(value, dict) else None
        if not isinstance(action, dict) or not isinstance(action.get("data"), dict):
            return _bad_request("an adaptiveCard/action invoke needs value.action.data")
    return None
