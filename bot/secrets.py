"""Platform credentials at rest: encrypted with ``JOURNEYBOT_SECRET_KEY`` before they reach the database.

Fernet (from ``cryptography``) gives authenticated encryption with a timestamped token; MultiFernet
gives key rotation: ``JOURNEYBOT_SECRET_KEY`` may hold several comma-separated keys, newest first.
The newest one encrypts; every one of them decrypts, so a new key can be put in front of the old one,
``journeybot secrets rotate`` re-encrypts every stored value with it, and then the old key can go.

A stored value says what it is: ``fernet:`` and a Fernet token, or (written before encryption
existed, or with ``JOURNEYBOT_INSECURE_DEV=true`` and no key) the plain value. Slack's tokens start
with ``xox``, so the prefix cannot be mistaken for one.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.settings import Settings

PREFIX = "fernet:"


class SecretKeyError(ValueError):
    """A key that is missing, malformed, or not the one a stored value was encrypted with."""


class Secrets:
    """Encrypts and decrypts stored credentials; ``None`` passes through (no token is no token)."""

    def __init__(self, keys: list[str], *, allow_plain: bool = False) -> None:
        self.allow_plain = allow_plain
        fernets = [_fernet(key, position) for position, key in enumerate(keys, 1)]
        self._fernet: MultiFernet | None = MultiFernet(fernets) if fernets else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Secrets:
        raw = settings.journeybot_secret_key.get_secret_value() if settings.journeybot_secret_key else ""
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        return cls(keys, allow_plain=settings.journeybot_insecure_dev)

    @property
    def has_key(self) -> bool:
        return self._fernet is not None

    def check_can_store(self) -> None:
        """Raise before a write, not inside it: a failing bind would put the value in the error."""
        if self._fernet is None and not self.allow_plain:
            raise SecretKeyError(
                "JOURNEYBOT_SECRET_KEY is not set, so platform tokens cannot be stored; generate one with "
                "`journeybot secrets new-key` (or set JOURNEYBOT_INSECURE_DEV=true on a development machine)"
            )

    def encrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        self.check_can_store()
        if self._fernet is None:
            return value  # insecure dev, as asked
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, stored: str | None) -> str | None:
        if stored is None or not stored.startswith(PREFIX):
            return stored  # plain: written before encryption (until `secrets rotate`) or in insecure dev
        if self._fernet is None:
            raise SecretKeyError(
                "a stored platform token is encrypted but JOURNEYBOT_SECRET_KEY is not set; "
                "set the key it was stored with"
            )
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretKeyError(
                "a stored platform token does not decrypt with JOURNEYBOT_SECRET_KEY: it was stored with "
                "another key (keep the old key after the new one, comma-separated, until `journeybot "
                "secrets rotate` has run)"
            ) from None

    def reencrypt(self, stored: str | None) -> str | None:
        """``stored`` under the newest key (a plain value gets encrypted); None stays None."""
        if stored is None:
            return None
        if self._fernet is None:
            raise SecretKeyError("JOURNEYBOT_SECRET_KEY is not set: there is no key to rotate to")
        return self.encrypt(self.decrypt(stored))


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError:
        # Never print the key itself: say which one and what a good one looks like.
        raise SecretKeyError(
            f"JOURNEYBOT_SECRET_KEY: key {position} is not a Fernet key (32 url-safe base64-encoded bytes, "
            "44 characters); generate one with `journeybot secrets new-key`"
        ) from None


def check_secret_key(settings: Settings) -> None:
    """At start: a malformed key, or OAuth (which stores tokens) with no key, is one clear line."""
    secrets = Secrets.from_settings(settings)
    if settings.slack_client_id and not secrets.has_key and not settings.journeybot_insecure_dev:
        raise SecretKeyError(
            "Slack OAuth stores each workspace's tokens and JOURNEYBOT_SECRET_KEY is not set to encrypt "
            "them: generate a key with `journeybot secrets new-key` (or set JOURNEYBOT_INSECURE_DEV=true "
            "on a development machine)"
        )
