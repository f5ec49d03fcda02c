"""Verifying the Bot Framework JWT on every request to ``/api/messages``.

Why not the SDK's ``jwt_authorization_decorator``: in 1.9.0 its validator fetches signing keys from
fixed Microsoft URLs, so it cannot be tested without the internet and cannot be pointed at a
sovereign cloud. This module applies the same checks (RS256 signature by a key published in the
trusted OpenID metadata, audience = our app id, a trusted issuer, expiry with five minutes of clock
leeway) plus two from the Bot Framework spec: the key's channel endorsements (the SDK does not
check them), and the ``serviceurl`` claim matching the activity's ``serviceUrl`` (the SDK compares
only the host, only when the claim is present, and only warns unless its host validator is on).

The ``serviceurl`` claim is *required*, not merely compared when present. Replies carry our own Bot
Connector token to the activity's ``serviceUrl``, so a token that does not say where replies may go
must not be accepted: otherwise any app that can get a token with our app id as audience (in our
own Entra tenant, any app can) could post an activity naming its own server and collect our token. Tokens
the Bot Framework channel service issues (``https://api.botframework.com``) always carry the claim;
Entra-issued tokens (skills, other apps) do not, and are refused — this bot serves channels only.

The checks run in two steps so the route can refuse a request without a valid token before it
reads the body: ``TokenVerifier.verify`` checks the token alone, ``Verified.admit`` then checks that
the token fits the activity (endorsed channel, same ``serviceUrl``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

log = logging.getLogger("journeybot.teams.auth")
LEEWAY_SECONDS = 300
KEYS_MAX_AGE = 24 * 3600  # Microsoft rotates keys over days; refetch daily
UNKNOWN_KID_REFETCH = 300  # a token with an unknown kid refetches at most this often (no amplification)


class Unauthorized(Exception):
    """The request carries no valid token; the message is for the log, never for the caller."""


Fetch = Callable[[str], Awaitable[Mapping[str, Any]]]


async def fetch_json(url: str) -> Mapping[str, Any]:
    """One GET; keys are refreshed about daily, so a session per call costs nothing worth pooling."""
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.get(url) as response,
    ):
        response.raise_for_status()
        return await response.json(content_type=None)


class OpenIdKeys:
    """Signing keys from one or more OpenID metadata documents, cached, refreshed on rotation.

    A fetch that failed is tried again after 1, 2, 4 … seconds (at most ``UNKNOWN_KID_REFETCH``)
    while there are no keys at all: one network hiccup at start must not refuse every Teams request
    for minutes. With keys in hand, a failed refresh keeps them and waits the full interval."""

    def __init__(
        self,
        metadata_urls: tuple[str, ...],
        fetch: Fetch = fetch_json,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metadata_urls = metadata_urls
        self.fetch = fetch
        self.monotonic = monotonic
        self._keys: dict[str, tuple[jwt.PyJWK, tuple[str, ...] | None]] = {}
        self._fetched_at = float("-inf")  # the last fetch that brought keys
        self._retry_at = float("-inf")  # after a failed fetch: not before then
        self._failures = 0
        self.problem: str | None = "signing keys not fetched yet"
        self._lock = asyncio.Lock()  # the first burst of requests shares one fetch

    async def key(self, kid: str) -> tuple[jwt.PyJWK, tuple[str, ...] | None] | None:
        async with self._lock:
            if self._due(kid):
                await self._refresh()
        return self._keys.get(kid)

    async def ensure(self) -> str | None:
        """Fetch the keys if there are none and a try is due; what is wrong, or None."""
        async with self._lock:
            if not self._keys and self.monotonic() >= self._retry_at:
                await self._refresh()
        return self.problem

    def seconds_to_retry(self) -> float:
        return max(self._retry_at - self.monotonic(), 0.0)

    def _due(self, kid: str) -> bool:
        now = self.monotonic()
        if now < self._retry_at:
            return False
        age = now - self._fetched_at
        return age > KEYS_MAX_AGE or (kid not in self._keys and age > UNKNOWN_KID_REFETCH)

    async def _refresh(self) -> None:
        keys: dict[str, tuple[jwt.PyJWK, tuple[str, ...] | None]] = {}
        failed: list[str] = []
        for url in self.metadata_urls:
            try:
                metadata = await self.fetch(url)
                for data in (await self.fetch(str(metadata["jwks_uri"])))["keys"]:
                    if data.get("kid") and data.get("kty") == "RSA":
                        endorsements = data.get("endorsements")
                        keys[data["kid"]] = (
                            jwt.PyJWK(dict(data)),
                            tuple(endorsements) if endorsements else None,
                        )
            except (aiohttp.ClientError, TimeoutError, KeyError, ValueError, jwt.PyJWTError) as error:
                failed.append(f"{url} ({type(error).__name__})")
                log.warning("could not load signing keys from %s: %s", url, type(error).__name__)
        now = self.monotonic()
        if keys:
            self._keys, self._fetched_at, self._retry_at, self._failures = keys, now, float("-inf"), 0
            self.problem = None
            return
        self._failures += 1
        wait = UNKNOWN_KID_REFETCH if self._keys else min(2.0 ** (self._failures - 1), UNKNOWN_KID_REFETCH)
        self._retry_at = now + wait
        if not self._keys:
            self.problem = (
                f"no signing keys: could not fetch {', '.join(failed) or 'any key'}; Teams requests are "
                f"refused until they load (next try in {wait:.0f} s; check that this server can reach "
                "that address)"
            )
            log.warning("Teams %s", self.problem)


@dataclass(frozen=True)
class Verified:
    """A token whose signature, audience, issuer and expiry checked out, with its key's endorsements."""

    claims: dict[str, Any]
    token: str
    endorsements: tuple[str, ...] | None

    def admit(self, activity: Mapping[str, Any]) -> None:
        """``Unauthorized`` unless this token may deliver this activity (see the module docstring)."""
        channel = str(activity.get("channelId") or "")
        if self.endorsements is not None and channel not in self.endorsements:
            raise Unauthorized(f"signing key is not endorsed for channel {channel!r}")
        claimed = self.claims.get("serviceurl")
        if not isinstance(claimed, str) or not claimed.strip():
            raise Unauthorized("token has no serviceurl claim, so it is not a Bot Framework channel token")
        if _url(claimed) != _url(str(activity.get("serviceUrl") or "")):
            raise Unauthorized("serviceUrl does not match the token's serviceurl claim")


class TokenVerifier:
    def __init__(self, app_id: str, issuers: tuple[str, ...], keys: OpenIdKeys) -> None:
        self.app_id = app_id
        self.issuers = list(issuers)
        self.keys = keys

    async def verify(self, authorization: str | None) -> Verified:
        """The token's verified claims, or ``Unauthorized``; ``Verified.admit`` checks the activity."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthorized(f"malformed token: {type(error).__name__}") from error
        if header.get("alg") != "RS256" or not header.get("kid"):
            raise Unauthorized("token not signed with RS256 by a named key")
        found = await self.keys.key(str(header["kid"]))
        if found is None:
            raise Unauthorized("token signed by a key we do not trust")
        key, endorsements = found
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuers,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(f"invalid token: {type(error).__name__}") from error
        return Verified(claims, token, endorsements)


def _url(value: str) -> str:
    return value.strip().rstrip("/").lower()
