"""The Web API client: the configured base URL, and slack_sdk's own retry handlers.

Retries live in the client, not in hand-written loops: a 429 waits ``Retry-After`` and tries again,
a dropped connection or a 500/503 is retried once with backoff. What still fails after that reaches
the caller (the ``Sender`` maps it onto the delivery errors of ``bot.ports``).
"""

from __future__ import annotations

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

TIMEOUT_SECONDS = 10


def retry_handlers(rate_limit_retries: int = 1) -> list[AsyncRetryHandler]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=1),
        AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
        AsyncServerErrorRetryHandler(max_retry_count=1),
    ]


def api_url(settings: Settings) -> str:
    url = settings.slack_api_url
    return url if url.endswith("/") else url + "/"


def web_client(settings: Settings, token: str | None = None, with_bot_token: bool = True) -> AsyncWebClient:
    if token is None and with_bot_token and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return AsyncWebClient(
        token=token, base_url=api_url(settings), timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers()
    )
