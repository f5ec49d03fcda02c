"""Per-person tracked links for suggested shares, and the check behind ``GET /r/{token}``.

A person's link for an item on a network carries ``utm_source`` (the network), ``utm_medium``
(``employee_advocacy``), ``utm_campaign`` (the item id) and ``utm_content``: an opaque token made of
the offer's id (random, per person and item), a one-letter network code and an HMAC signature. It
holds no name and no email; the report counts clicks by team and zone, never by person.

With ``PUBLIC_URL`` set, the link is the bot's own short ``{PUBLIC_URL}/r/{token}``, which counts
the click and redirects (302) to the item's own URL with those parameters, and nowhere else: the
target is looked up from the stored item, never read from the request, and a token that does not
verify is a 404. Without ``PUBLIC_URL`` the text carries the item's URL with the parameters
directly (the web analytics still see them; the bot cannot count clicks then).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nudges.library import NETWORK_LIMITS, ContentItem

MEDIUM = "employee_advocacy"
# One letter per network in a token (a letter, not the name: the token stays short and opaque).
NETWORK_CODES: dict[str, str] = {network: "abcdefghijklmnop"[i] for i, network in enumerate(NETWORK_LIMITS)}
_CODE_NETWORKS = {code: network for network, code in NETWORK_CODES.items()}
_SIGNATURE_LENGTH = 12
# Offer ids are hex (16 from planning, about 25 from a chat turn); anything else is not ours.
TOKEN = re.compile(
    rf"^(?P<offer>[0-9a-f]{{8,40}})(?P<code>[a-p])(?P<sig>[A-Za-z0-9_-]{{{_SIGNATURE_LENGTH}}})$"
)
TOKEN_MAX_LENGTH = 40 + 1 + _SIGNATURE_LENGTH
SECRET_SETTING = "link_secret"


def new_secret() -> str:
    return secrets.token_hex(32)


@dataclass(frozen=True)
class Links:
    """Makes and checks tracked links. ``secret`` signs tokens; ``public_url`` is where the bot's
    ``/r/`` route is reachable from the internet (None: links go straight to the item)."""

    secret: bytes
    public_url: str | None = None

    def token(self, offer_id: str, network: str) -> str:
        code = NETWORK_CODES[network]
        return f"{offer_id}{code}{self._signature(offer_id, code)}"

    def parse(self, token: str) -> tuple[str, str] | None:
        """``(offer_id, network)`` of a token we made; None for anything else."""
        match = TOKEN.match(token)
        if match is None:
            return None
        offer_id, code = match["offer"], match["code"]
        if code not in _CODE_NETWORKS:
            return None
        if not hmac.compare_digest(match["sig"], self._signature(offer_id, code)):
            return None
        return offer_id, _CODE_NETWORKS[code]

    def target(self, item: ContentItem, network: str, token: str) -> str:
        """The item's own URL with the campaign parameters (those already in it are kept)."""
        parts = urlsplit(item.url)
        query = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")
        ]
        query += [
            ("utm_source", network),
            ("utm_medium", MEDIUM),
            ("utm_campaign", item.id),
            ("utm_content", token),
        ]
        return urlunsplit(parts._replace(query=urlencode(query)))

    def link(self, item: ContentItem, offer_id: str, network: str) -> str:
        """What goes into this person's text for ``network``."""
        token = self.token(offer_id, network)
        if self.public_url:
            return f"{self.public_url.rstrip('/')}/r/{token}"
        return self.target(item, network, token)

    def longest_link(self, item: ContentItem, network: str) -> str:
        """A link as long as any this item can get on ``network``: texts are counted with it."""
        token = "0" * 40 + NETWORK_CODES[network] + "0" * _SIGNATURE_LENGTH
        if self.public_url:
            return f"{self.public_url.rstrip('/')}/r/{token}"
        return self.target(item, network, token)

    def _signature(self, offer_id: str, code: str) -> str:
        digest = hmac.new(self.secret, f"{offer_id}:{code}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:_SIGNATURE_LENGTH]
