"""Signing keys are fetched once and shared; unknown key ids cannot make us refetch on every request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.teams.auth import OpenIdKeys
from tests.teams.conftest import TRUSTED_KID, Keys


class Documents:
    """What the OpenID endpoints would serve, counting each fetch."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.fetched: list[str] = []

    async def __call__(self, url: str) -> Mapping[str, Any]:
        self.fetched.append(url)
        if url.endswith("/openid"):
            return {"jwks_uri": "https://login.example/keys"}
        return {"keys": [*self.keys.jwks(), {"kid": "ec-key", "kty": "EC"}]}


async def test_keys_are_fetched_once_and_unknown_kids_do_not_amplify(keys: Keys) -> None:
    documents = Documents(keys)
    signing = OpenIdKeys(("https://login.example/openid",), documents)
    for _ in range(5):
        found = await signing.key(TRUSTED_KID)
        assert found is not None and found[1] == ("msteams",)
    for kid in ("attacker-1", "attacker-2", "ec-key"):
        assert await signing.key(kid) is None  # only RSA keys are kept
    assert documents.fetched == ["https://login.example/openid", "https://login.example/keys"]


async def test_an_unreachable_metadata_endpoint_means_no_trusted_keys(keys: Keys) -> None:
    async def down(url: str) -> Mapping[str, Any]:
        raise TimeoutError(url)

    assert await OpenIdKeys(("https://login.example/openid",), down).key(TRUSTED_KID) is None


async def test_a_newly_published_key_is_accepted_within_seconds_and_lookups_stay_rate_limited(
    keys: Keys,
) -> None:
    documents = Documents(keys)
    now = [1000.0]
    signing = OpenIdKeys(("https://login.example/openid",), documents, monotonic=lambda: now[0])
    assert await signing.key(TRUSTED_KID) is not None
    rotated = dict(keys.jwks()[0], kid="published-today")
    documents.keys = type("Rotated", (), {"jwks": lambda self: [*keys.jwks(), rotated]})()

    now[0] += 5
    assert await signing.key("published-today") is None  # within the rate limit: no refetch yet
    assert len(documents.fetched) == 2
    now[0] += 30  # half a minute later, not five
    assert await signing.key("published-today") is not None
    assert len(documents.fetched) == 4
