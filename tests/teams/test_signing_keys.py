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
