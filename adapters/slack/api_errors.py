"""Web API failures as the delivery errors of ``bot.ports``.

The client has already retried (``client.py``): what arrives here is final for this attempt.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.ports import DeliveryError, RateLimited, TransientError, Unreachable

# Errors meaning the person cannot be reached there any more: retrying will not help.
UNREACHABLE = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "account_inactive",
        "is_archived",
        "user_disabled",
        "cannot_dm_bot",
        "not_in_channel",
        "messages_tab_disabled",
        "team_access_not_granted",
        "invalid_auth",
        "token_revoked",
        "not_authed",
    }
)


async def call(request: Callable[[], Awaitable[Any]]) -> Any:
    """Run one Web API call and translate its failure."""
    try:
        return await request()
    except SlackApiError as error:
        status = error.response.status_code
        code = str(error.response.get("error", "")) if isinstance(error.response.data, dict) else ""
        if status == 429:
            raise RateLimited(_retry_after(error.response.headers), f"Slack rate limit: {code}") from error
        if code in UNREACHABLE:
            raise Unreachable(code) from error
        if status >= 500:
            raise TransientError(f"Slack answered {status}") from error
        raise DeliveryError(code or f"Slack answered {status}") from error
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise TransientError(f"cannot reach Slack: {error}") from error


def _retry_after(headers: dict[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(first)
            except (TypeError, ValueError):
                break
    return 1.0
