"""Proactive delivery to Teams (the scheduler's nudges): the ``bot.ports.Sender`` for Teams.

A person is reached through the conversation reference stored when they installed the app or last
wrote to the bot. Without credentials (local anonymous mode) the SDK's ``continue_conversation``
would mint a non-anonymous identity and ask for a token, so we continue with an anonymous identity
instead. Connector failures become the port's exceptions so the outbox can decide what to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from pydantic import ValidationError

from adapters.teams.agent import build_adapter
from adapters.teams.config import TeamsConfig
from adapters.teams.outgoing import message_activity
from adapters.teams.tokens import SingleConnection, TokenError
from bot.conversation.deps import AdapterDeps
from bot.ports import DeliveryError, MaybeSent, RateLimited, Sent, TransientError, Unreachable
from nudges.messages import Message

log = logging.getLogger("journeybot.teams.sender")
GONE = (403, 404)  # the app was removed, the bot blocked, or the conversation is gone
# Microsoft's guidance for the Bot Connector: retry 412 (a precondition, transient in Teams), 429,
# 502 and 504 with exponential backoff. Like the 429, they are the service asking us to come back
# later, not a refusal of the message: the outbox retries them with its backoff.
RETRY = (412, 502, 504)
DEFAULT_RETRY_AFTER = 5.0


class TeamsSender:
    platform = "teams"

    def __init__(self, adapter: CloudAdapter, config: TeamsConfig) -> None:
        self.adapter = adapter
        self.config = config

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        # Teams has no metadata to find a message by ``key``; the outbox's own bookkeeping suffices.
        async def deliver(context: TurnContext) -> str:
            response = await context.send_activity(message_activity(message))
            return response.id or ""

        message_ref = await self._continue(address, deliver)
        return Sent(message_ref=message_ref, address=address)

    async def update(self, address: str, message_ref: str, message: Message) -> None:
        async def replace(context: TurnContext) -> str:
            await context.update_activity(message_activity(message, message_id=message_ref))
            return message_ref

        await self._continue(address, replace)

    async def _continue(self, address: str, work: Callable[[TurnContext], Awaitable[str]]) -> str:
        reference = _reference(address)
        continuation = reference.get_continuation_activity()
        continuation.id = None  # otherwise the message would be a reply to this made-up activity
        result: dict[str, Any] = {}

        async def callback(context: TurnContext) -> None:
            # The SDK routes exceptions in here to the turn-error handler; keep them for the caller.
            try:
                result["ref"] = await work(context)
            except Exception as error:
                result["error"] = error

        try:
            if self.config.anonymous:
                await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, callback)
            else:
                await self.adapter.continue_conversation(self.config.app_id or "", continuation, callback)
        except Exception as error:  # token acquisition and connector setup happen outside the callback
            raise _delivery_error(error) from error
        if "error" in result:
            raise _delivery_error(result["error"]) from result["error"]
        return str(result.get("ref", ""))

    def workspace_of(self, address: str) -> str:
        """The tenant: Teams rate limits are per bot and tenant, so delivery paces each separately."""
        try:
            return _reference(address).conversation.tenant_id or ""
        except Unreachable:
            return ""


def build_sender(deps: AdapterDeps) -> TeamsSender | None:
    """What the composition root (``bot/main/senders.py``) calls when Teams is configured. None when the
    Teams settings cannot send (say, an app id without its password; the route answers 503 then):
    a Sender would fail every send until each row is dead, whereas without one the rows wait in the
    outbox until the configuration is fixed."""
    config = TeamsConfig.from_settings(deps.settings)
    problem = config.problem()
    if problem is not None:
        log.error("Teams delivery is off: %s; Teams messages wait in the outbox", problem)
        return None
    return TeamsSender(build_adapter(SingleConnection(config)), config)


def _reference(address: str) -> ConversationReference:
    if not address or not address.lstrip().startswith("{"):
        raise Unreachable("no Teams conversation reference for this person (they never opened the app)")
    try:
        reference = ConversationReference.model_validate_json(address)
    except ValidationError as error:
        raise Unreachable("the stored Teams conversation reference is unreadable") from error
    if not reference.service_url or not reference.conversation.id:
        raise Unreachable("the stored Teams conversation reference lacks a serviceUrl or conversation")
    return reference


def _delivery_error(error: BaseException) -> DeliveryError:
    """Teams has no way to look a message up again, so anything that leaves it open whether the
    connector accepted the activity (a 5xx, a timeout, a connection dropped after the request went
    out) is ``MaybeSent``: delivery records it as uncertain rather than risk a second copy. Only what
    certainly happened before the connector took it is retried: a 429, a 401 (our token, refused
    before anything was done), no token at all, a connection that could not be opened, and what
    Microsoft documents as to be retried (412, 502, 504)."""
    if isinstance(error, DeliveryError):
        return error
    if isinstance(error, aiohttp.ClientResponseError):
        if error.status in GONE:
            return Unreachable(f"Teams answered {error.status}: the person can no longer be reached")
        if error.status == 429:
            return RateLimited(_retry_after(error.headers), "Teams rate limit")
        if error.status == 401:  # our token; retry after it refreshes
            return TransientError(f"Teams answered {error.status}")
        if error.status in RETRY:
            return TransientError(f"Teams answered {error.status}; Microsoft's guidance is to retry")
        if error.status >= 500:
            return MaybeSent(f"Teams answered {error.status}")
        return DeliveryError(f"Teams refused the message ({error.status})")
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError | TokenError):
        return TransientError(f"Teams unreachable: {type(error).__name__}")
    if isinstance(error, aiohttp.ClientError | TimeoutError | asyncio.TimeoutError | OSError):
        return MaybeSent(f"no answer from Teams: {type(error).__name__}")
    return DeliveryError(f"Teams delivery failed: {type(error).__name__}: {error}")


def _retry_after(headers: Any) -> float:
    try:
        return max(float((headers or {}).get("Retry-After", DEFAULT_RETRY_AFTER)), 0.0)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
