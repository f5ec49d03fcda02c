"""A fake Bot Connector on 127.0.0.1, plus the token endpoint and OpenID metadata Teams bots use.

Records every request (method, path, JSON body, Authorization header), answers like the real
service, and can be told to fail the next activity POSTs (403, 429 with Retry-After, 5xx).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

Json = dict[str, Any]
ISSUER = "https://api.botframework.com"
CONNECTOR_TOKEN = "connector-token-from-the-fake-endpoint"


@dataclass
class Request:
    method: str
    path: str
    body: Json
    authorization: str | None

    @property
    def card(self) -> Json | None:
        attachments = self.body.get("attachments") or []
        return attachments[0]["content"] if attachments else None


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    def __init__(self, signing_jwks: list[Json]) -> None:
        self.jwks = signing_jwks
        self.requests: list[Request] = []
        self.token_requests: list[dict[str, str]] = []
        self.failures: list[Failure] = []
        self.members: dict[str, Json] = {}
        self.member_lookups: list[str] = []  # the conversation (or team) id of each member lookup
        # The token endpoint's answer while our client secret is "expired" (None: tokens are issued).
        self.token_refusal: tuple[int, Json] | None = None
        self.openid_failures = 0  # the next this many OpenID metadata requests answer 503
        self.openid_requests = 0
        # While set and not released, activity POSTs wait here (counted in ``held``) before they
        # are recorded and answered: a test can see what the bot did before any reply arrived.
        self.hold: asyncio.Event | None = None
        self.held = 0
        self._ids = itertools.count(1)
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_put("/v3/conversations/{conversation}/activities/{id}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_post("/token", self._token)
        app.router.add_get("/openid", self._openid)
        app.router.add_get("/keys", self._keys)
        self.server = TestServer(app, host="127.0.0.1")

    async def start(self) -> None:
        await self.server.start_server()

    async def close(self) -> None:
        await self.server.close()

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))

    def sent(self) -> list[Request]:
        """Activities posted into conversations (replies and proactive messages), oldest first."""
        return [r for r in self.requests if r.method == "POST"]

    def updates(self) -> list[Request]:
        return [r for r in self.requests if r.method == "PUT"]

    def clear(self) -> None:
        self.requests.clear()

    async def _record(self, request: web.Request) -> Request:
        body = await request.json() if request.can_read_body else {}
        recorded = Request(request.method, request.path, body, request.headers.get("Authorization"))
        self.requests.append(recorded)
        return recorded

    async def _activity(self, request: web.Request) -> web.Response:
        if self.hold is not None and not self.hold.is_set():
            self.held += 1
            await self.hold.wait()
        await self._record(request)
        if self.failures:
            failure = self.failures.pop(0)
            return web.json_response(
                {"error": {"code": "Failed"}}, status=failure.status, headers=failure.headers
            )
        return web.json_response({"id": f"activity-{next(self._ids)}"}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        await self._record(request)
        return web.json_response({"id": request.match_info["id"]})

    async def _member(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        self.member_lookups.append(conversation)
        if ";messageid=" in conversation:
            # A channel thread is not a roster: inside a team, members are asked of the team.
            return web.json_response(
                {"error": {"code": "BadArgument", "message": "Invalid conversation id"}}, status=400
            )
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests.append(dict(await request.post()))  # type: ignore[arg-type]
        if self.token_refusal is not None:
            status, body = self.token_refusal
            return web.json_response(body, status=status)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "access_token": CONNECTOR_TOKEN}
        )

    async def _openid(self, _request: web.Request) -> web.Response:
        self.openid_requests += 1
        if self.openid_failures > 0:
            self.openid_failures -= 1
            return web.json_response({"error": "temporarily unavailable"}, status=503)
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.url}keys"})

    async def _keys(self, _request: web.Request) -> web.Response:
        return web.json_response({"keys": self.jwks})
