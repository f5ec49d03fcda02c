"""The Web API clients: the configured base URL, and slack_sdk's own retry handlers.

Retries live in the client, not in hand-written loops. Two configurations:

- ``web_client``, for the interactive side (answering a person who just wrote or pressed a button):
  a 429 waits ``Retry-After`` and tries again (up to ``INTERACTIVE_RATE_LIMIT_RETRIES`` times: Slack
  did nothing with a 429), a dropped connection or a 500/503 is retried once with backoff — except
  for ``chat.postMessage``, which, as in the outbox, is repeated only when the connection could not
  even be opened (a 5xx or a timeout may come after Slack posted it: a second call would be a second
  message).
- ``sender_client``, for the outbox's ``Sender``: the outbox is the retry loop there, and a second
  ``chat.postMessage`` after an answer that left it open whether the first one was posted (a 5xx, a
  connection dropped after the request went out) would be a second message. So ``chat.postMessage``
  is retried by the client only when the connection could not even be opened; a 429 goes to the
  outbox's rate limiter (it pauses the scope and re-queues the row, instead of a sleep inside the
  client that holds a send slot and then fires unpaced); every other failure goes to the outbox, which
  asks ``find`` before sending again. Calls that are safe to repeat (``conversations.open``,
  ``conversations.history``, ``chat.update``) keep all of slack_sdk's handlers.

What still fails reaches the caller (the ``Sender`` maps it onto the delivery errors of ``bot.ports``).
"""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

TIMEOUT_SECONDS = 10
INTERACTIVE_RATE_LIMIT_RETRIES = 3
# Methods a repeat would not leave as they were: a second chat.postMessage is a second message.
NOT_IDEMPOTENT = frozenset({"chat.postMessage"})
# Failures before anything was sent: the TCP connection was never made.
NEVER_SENT: list[type[Exception]] = [aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError]


def retry_handlers(rate_limit_retries: int = 1) -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
        AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
        AsyncServerErrorRetryHandler(max_retry_count=1),
    ]


class SafeToRepeat(AsyncRetryHandler):
    """Another slack_sdk handler, applied to every method except the ``NOT_IDEMPOTENT`` ones."""

    def __init__(self, handler: AsyncRetryHandler) -> None:
        super().__init__(handler.max_retry_count, handler.interval_calculator)
        self.handler = handler

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if request.url.rstrip("/").rsplit("/", 1)[-1] in NOT_IDEMPOTENT:
            return False
        return await self.handler._can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        await self.handler.prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


def interactive_retry_handlers() -> list[AsyncRetryHandler]:
    """Delivery's rules for a reply: a 429 always waits and retries; a possible send never repeats."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1, error_types=NEVER_SENT),
        SafeToRepeat(AsyncConnectionErrorRetryHandler(max_retry_count=1)),
        AsyncRateLimitErrorRetryHandler(max_retry_count=INTERACTIVE_RATE_LIMIT_RETRIES),
        SafeToRepeat(AsyncServerErrorRetryHandler(max_retry_count=1)),
    ]


def sender_retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1, error_types=NEVER_SENT),
        *(SafeToRepeat(handler) for handler in retry_handlers()),
    ]


def api_url(settings: Settings) -> str:
    url = settings.slack_api_url
    return url if url.endswith("/") else url + "/"


def web_client(settings: Settings, token: str | None = None, with_bot_token: bool = True) -> AsyncWebClient:
    if token is None and with_bot_token and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return _client(settings, token, interactive_retry_handlers())


def sender_client(settings: Settings, token: str | None = None) -> AsyncWebClient:
    """The client of the outbox's ``Sender`` (see the module's docstring for why it differs)."""
    if token is None and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return _client(settings, token, sender_retry_handlers())


def _client(settings: Settings, token: str | None, handlers: list[AsyncRetryHandler]) -> AsyncWebClient:
    return AsyncWebClient(
        token=token, base_url=api_url(settings), timeout=TIMEOUT_SECONDS, retry_handlers=handlers
    )
