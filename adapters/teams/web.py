"""``POST /api/messages`` on the shared aiohttp server.

Authorization is applied to this one route, never as app-wide middleware (which would demand a Bot
Framework token from Slack's requests and the health check too). With credentials every request's
JWT is verified and a missing or invalid token gets 401 before the body is read; then a body that
is not an activity gets 400, and a token that does not fit the activity (its serviceUrl) 401.
Nothing is stored for a refused request.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from aiohttp import web
from aiohttp.web_exceptions import NotAppKeyWarning
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import start_agent_process
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from pydantic import ValidationError

from adapters.teams.agent import TeamsAgent, build_agent
from adapters.teams.auth import OpenIdKeys, TokenVerifier, Unauthorized
from adapters.teams.config import TeamsConfig
from bot.conversation.deps import AdapterDeps

log = logging.getLogger("journeybot.teams")
ROUTE = "/api/messages"
TEAMS_AGENT = web.AppKey("teams_agent", TeamsAgent)


def mount(web_app: web.Application, deps: AdapterDeps, config: TeamsConfig | None = None) -> None:
    config = config or TeamsConfig.from_settings(deps.settings)
    problem = config.problem()
    if problem is not None:
        log.error("Teams is off: %s", problem)
        web_app.router.add_post(ROUTE, _refuse(problem))
        return
    agent = build_agent(deps, config)
    web_app[TEAMS_AGENT] = agent
    if config.authenticated:
        assert config.app_id is not None
        verifier = TokenVerifier(config.app_id, config.issuers, OpenIdKeys(config.metadata_urls))
        if config.allow_anonymous:
            log.warning("TEAMS_ALLOW_ANONYMOUS is ignored: credentials are set, so every request is verified")
        web_app.router.add_post(ROUTE, _authenticated(agent, verifier))
    else:
        log.warning(
            "Teams runs WITHOUT authentication (TEAMS_ALLOW_ANONYMOUS=true): anyone who can reach %s "
            "can talk as anyone. Use this only on your own machine.",
            ROUTE,
        )
        web_app.router.add_post(ROUTE, _anonymous(agent))


def _refuse(problem: str) -> web.Handler:
    async def refuse(_request: web.Request) -> web.Response:
        log.warning("Teams request refused: %s", problem)
        return web.json_response({"error": "Teams is not configured on this server"}, status=503)

    return refuse


def _authenticated(agent: TeamsAgent, verifier: TokenVerifier) -> web.Handler:
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
        return await _process(request, agent, activity)

    return messages


def _anonymous(agent: TeamsAgent) -> web.Handler:
    async def messages(request: web.Request) -> web.StreamResponse:
        activity = await _json_object(request)
        if activity is None:
            return _bad_request("expected a JSON activity")
        _set_identity(request, ClaimsIdentity())  # anonymous: replies go out without a token
        return await _process(request, agent, activity)

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


async def _process(request: web.Request, agent: TeamsAgent, activity: dict[str, Any]) -> web.StreamResponse:
    # The SDK validates the activity outside any error handler (a wrong shape would be a 500), so
    # the same validation runs here first and a body that is not an activity gets a plain 400.
    try:
        Activity.model_validate(activity)
    except ValidationError as error:
        log.info("Teams request refused: not a valid activity (%d errors)", error.error_count())
        return _bad_request("not a Bot Framework activity")
    response = await start_agent_process(request, agent.application, agent.adapter)
    return response if response is not None else web.Response(status=202)
