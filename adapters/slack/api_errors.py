"""Web API failures as the delivery errors of ``bot.ports``.

The client has already retried what is safe to retry (``client.py``): what arrives here is final for
this attempt. What matters most is whether the message may exist now:

- **certainly not delivered**: the connection could not be opened (refused, no route, a connect
  timeout), a 429, an API error Slack answered after looking at the request (``ok: false``), and the
  few errors Slack documents as "the request never got to us" (``request_timeout``: the POST body
  was missing or truncated);
- **may have been delivered** (``MaybeSent``): a timeout waiting for the answer, a connection dropped
  after the request went out, any 5xx, and ``internal_error`` / ``fatal_error``, which Slack documents
  as "it's possible some aspect of the operation succeeded". Delivery looks for such a message (by
  its metadata) before sending it again.

Errors about our own credentials (a bad, revoked or expired token, no grant to that workspace) concern
the whole workspace, not the person: ``CredentialsRejected``, never ``Unreachable``. (A missing scope
stays a refusal of that one call: a missing ``im:history`` must not stop every send.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.ports import CredentialsRejected, DeliveryError, MaybeSent, RateLimited, TransientError, Unreachable

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
    }
)
# Errors about the app's own token or its grant to that workspace: every call there fails the same way
# until an admin fixes it (a new SLACK_BOT_TOKEN, a reinstall). Uninstalls and revocations also
# arrive as events, which ``lifecycle.py`` handles (that is where people are marked unreachable).
CREDENTIALS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "team_access_not_granted",
    }
)
# ``ok: false`` answers that leave open whether the message was posted (Slack's own words).
MAYBE_DONE = frozenset({"internal_error", "fatal_error", "service_unavailable"})
# ``ok: false`` answers meaning the request was not processed and may simply be sent again.
NOT_DONE = frozenset({"request_timeout"})


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
        if code in CREDENTIALS:
            raise CredentialsRejected(f"Slack refused the app's token: {code}") from error
        if code in NOT_DONE:
            raise TransientError(f"Slack did not process the request: {code}") from error
        if status >= 500 or code in MAYBE_DONE:
            raise MaybeSent(f"Slack answered {status}{f' {code}' if code else ''}") from error
        raise DeliveryError(code or f"Slack answered {status}") from error
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
        raise TransientError(f"cannot reach Slack: {type(error).__name__}: {error}") from error
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise MaybeSent(f"no answer from Slack: {type(error).__name__}: {error}") from error


def _retry_after(headers: dict[str, Any]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(first)
            except (TypeError, ValueError):
                break
    return 1.0


def may_have_posted(error: BaseException) -> bool:
    """Whether a failed call may still have done its work (the ``MaybeSent`` cases of ``call``)."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        code = str(error.response.get("error", "")) if isinstance(error.response.data, dict) else ""
        return status != 429 and (status >= 500 or code in MAYBE_DONE)
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return False
    return isinstance(error, TimeoutError | aiohttp.ClientError | OSError)
