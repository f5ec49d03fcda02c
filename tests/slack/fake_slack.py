"""A fake Slack Web API on 127.0.0.1: records every call (method + decoded body), answers plausibly,
and can be told to fail the next calls of a method (429 with Retry-After, 5xx, or an API error)."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

Json = dict[str, Any]


@dataclass
class Call:
    method: str
    body: Json
    token: str = ""  # the bearer token the call carried: which workspace's bot made it


@dataclass
class Failure:
    status: int
    body: Json
    headers: dict[str, str] = field(default_factory=dict)


def _decode(raw: str, content_type: str, query: Json) -> Json:
    body: Json = dict(query)
    if content_type == "application/json" and raw:
        body.update(json.loads(raw))
    elif raw:
        body.update(dict(parse_qsl(raw, keep_blank_values=True)))
    for key in ("blocks", "view", "metadata"):  # form-encoded calls send these as JSON strings
        if isinstance(body.get(key), str):
            body[key] = json.loads(body[key])
    return body


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.users: dict[str, Json] = {}
        self.statuses: dict[str, Json] = {}  # user id → profile status fields (users.profile.get)
        self.dnd: dict[str, Json] = {}  # user id → dnd.info's answer
        self.slow: dict[str, float] = {}  # method -> seconds to wait before answering
        self._ts = itertools.count(1)
        self._recorded = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{id}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self.sockets: list[web.WebSocketResponse] = []
        self.server = TestServer(app, host="127.0.0.1")

    async def start(self) -> None:
        await self.server.start_server()

    async def close(self) -> None:
        await self.server.close()

    @property
    def api_url(self) -> str:
        return str(self.server.make_url("/api/"))

    def response_url(self, name: str = "1") -> str:
        return str(self.server.make_url(f"/response/{name}"))

    def fail(
        self, method: str, status: int, error: str = "", retry_after: int | None = None, times: int = 1
    ) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {"ok": False, "error": error or f"http_{status}"}
        self.failures.setdefault(method, []).extend(Failure(status, body, headers) for _ in range(times))

    def add_user(self, user_id: str, name: str, email: str | None = None, tz: str = "Europe/Berlin") -> None:
        profile: Json = {"real_name": name, "display_name": name.split()[0]}
        if email:
            profile["email"] = email
        self.users[user_id] = {
            "id": user_id,
            "team_id": "T1",
            "name": name.lower(),
            "real_name": name,
            "tz": tz,
            "profile": profile,
        }

    def work(self) -> list[Call]:
        """Every call but ``auth.test``, which the server makes at start to verify its bot token."""
        return [c for c in self.calls if c.method != "auth.test"]

    def called(self, method: str) -> list[Json]:
        return [c.body for c in self.calls if c.method == method]

    def tokens(self, method: str) -> list[str]:
        return [c.token for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, seconds: float = 5.0) -> list[Json]:
        """The calls of ``method`` once there are at least ``count`` (work happens after the ack)."""
        try:
            async with asyncio.timeout(seconds):
                while len(self.called(method)) < count:
                    self._recorded.clear()
                    await self._recorded.wait()
        except TimeoutError:
            raise AssertionError(f"expected {count} {method} call(s), got {self.called(method)}") from None
        return self.called(method)

    async def push(self, envelope: Json) -> None:
        """Deliver a Socket Mode envelope over the connection the app opened."""
        async with asyncio.timeout(5):
            while not self.sockets:
                self._recorded.clear()
                await self._recorded.wait()
        await self.sockets[-1].send_json(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        self.sockets.append(socket)
        self._recorded.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:  # the app's acknowledgements
                self.calls.append(Call("socket_ack", json.loads(message.data)))
                self._recorded.set()
        return socket

    async def _response_url(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await request.json()))
        self._recorded.set()
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = _decode(await request.text(), request.content_type, dict(request.query))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call(method, body, token))
        self._recorded.set()
        queued = self.failures.get(method)
        if queued:
            failure = queued.pop(0)
            await asyncio.sleep(self.slow.get(method, 0))
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        answer = self._answer(method, body)
        if method == "chat.postMessage":
            body["answered_ts"] = answer["ts"]  # for tests that press a button on this message
        # Slow to answer, not to act: the call is done (a message posted) before the answer leaves.
        await asyncio.sleep(self.slow.get(method, 0))
        return web.json_response(answer)

    def _answer(self, method: str, body: Json) -> Json:
        ts = f"1700000000.{next(self._ts):06d}"
        match method:
            case "auth.test":
                return {
                    "ok": True,
                    "team": "Acme",
                    "team_id": "T1",
                    "user": "journeybot",
                    "user_id": "UBOT",
                    "bot_id": "B1",
                    "url": "https://acme.slack.com/",
                    "is_enterprise_install": False,
                }
            case "conversations.open":
                return {"ok": True, "channel": {"id": "D" + str(body.get("users", "X")).lstrip("UW")}}
            case "chat.postMessage":
                return {
                    "ok": True,
                    "channel": body.get("channel"),
                    "ts": ts,
                    "message": {"text": body.get("text"), "ts": ts},
                }
            case "chat.update":
                return {
                    "ok": True,
                    "channel": body.get("channel"),
                    "ts": body.get("ts"),
                    "text": body.get("text"),
                }
            case "views.publish" | "views.open":
                return {"ok": True, "view": {"id": "V1", **(body.get("view") or {})}}
            case "users.profile.get":
                return {"ok": True, "profile": self.statuses.get(str(body.get("user")), {})}
            case "dnd.info":
                return {"ok": True, "dnd_enabled": False, **self.dnd.get(str(body.get("user")), {})}
            case "conversations.info":  # a DM channel D<n> is the one conversations.open gave U<n>
                channel = str(body.get("channel"))
                return {
                    "ok": True,
                    "channel": {"id": channel, "is_im": True, "user": "U" + channel.lstrip("D")},
                }
            case "users.info":
                user = self.users.get(str(body.get("user")))
                return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
            case "conversations.history":
                channel = body.get("channel")
                posted = [
                    c.body
                    for c in self.calls
                    if c.method == "chat.postMessage" and c.body.get("channel") == channel
                ]
                newest_first = [
                    {
                        "type": "message",
                        "ts": p.get("answered_ts"),
                        "text": p.get("text"),
                        "metadata": p.get("metadata"),
                    }
                    for p in reversed(posted)
                ]
                return {"ok": True, "messages": newest_first}
            case "apps.connections.open":
                return {"ok": True, "url": str(self.server.make_url("/socket")).replace("http", "ws", 1)}
            case "oauth.v2.access":
                return {
                    "ok": True,
                    "app_id": "A1",
                    "authed_user": {"id": "U1"},
                    "scope": "chat:write",
                    "token_type": "bot",
                    "access_token": "xoxb-oauth",
                    "bot_user_id": "UBOT",
                    "team": {"id": "T9", "name": "Other"},
                    "enterprise": None,
                    "is_enterprise_install": False,
                }
        return {"ok": True}
