"""Logging for operators: JSON lines off a terminal, readable lines on one, never a secret.

Every line carries the request id (``X-Request-Id``, or one made up at the door) or the outbox row
being delivered, so one person's trouble can be followed through the log.

Secrets stay out three ways, because no single one is enough:

1. Libraries that write whole payloads at DEBUG — slack_sdk and Bolt (request and response bodies,
   OAuth installations with their tokens), the Agents SDK (activities), aiosqlite (every statement
   with its parameters), SQLAlchemy's engine echo — are held at INFO whatever ``LOG_LEVEL`` says;
   ``LOG_LEVEL=DEBUG`` is for this bot's own lines.
2. SQLAlchemy engines are made with ``hide_parameters`` (``bot/store/database.py``), so SQL
   parameters — personal data — are not in its log nor in the text of its exceptions.
3. ``Redactor``, a filter on the handler (so it sees every record that is written, from any logger,
   at any level), replaces the configured secrets' values, anything shaped like a token (Slack
   ``xox…-``/``xapp-``, JWTs, bearer tokens, ``secret=…``), SQL parameter lists and message texts in
   payload-like fragments (``"text": …``, pydantic's ``input_value=…``), in the message, its
   arguments, the traceback and any extra field.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import IO, Any

from pydantic import BaseModel, SecretStr
from pythonjsonlogger.json import JsonFormatter

from bot.observability import context

REDACTED = "[redacted]"
# Loggers that dump payloads, parameters or tokens below INFO (see the module docstring).
CHATTY_LIBRARIES = (
    "slack_sdk",
    "slack_bolt",
    "microsoft_agents",
    "aiosqlite",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "psycopg",
    "aiohttp.access",
    "asyncio",
)
# Of those, the ones whose INFO is as bad: SQLAlchemy's engine logs every statement at INFO (that is
# what ``echo`` switches on), its pool every checkout; aiohttp's access log has OAuth codes in query
# strings (``bot/main/server.py`` logs each request's path instead, at DEBUG).
SILENT_BELOW_WARNING = frozenset({"sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "aiohttp.access"})
# The Agents SDK logs every activity that fails validation at ERROR, values included; those are
# requests from outside, and ``adapters/teams/web.py`` logs the refusal itself (at INFO, values left out).
VALIDATION_LOGGER = "microsoft_agents.activity.activity"
# Secrets shorter than this are not searched for: a four-letter "secret" would redact half the log.
MIN_SECRET_LENGTH = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Slack tokens: bot, user, app-level, refresh, configuration.
    (re.compile(r"\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+"), REDACTED),
    # JWTs (Bot Framework tokens, ours and theirs): three base64url parts, the first a JSON header.
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {REDACTED}"),
    # key=value and "key": "value" for anything named like a credential.
    (
        re.compile(
            r"""(?ix)
            (["']?\b(?:[a-z_]*_)?(?:token|secret|password|passwd|authorization|api_key|client_secret)
            ["']?\s*[:=]\s*)
            (["']?)([^"'\s,&}]+)"""
        ),
        rf"\1\2{REDACTED}",
    ),
    # SQL parameters as SQLAlchemy and the DB-API drivers print them.
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\(|$|\n))", re.DOTALL), f"[parameters: {REDACTED}]"),
    # Message texts inside payloads: JSON or Python-repr "text"/"title"/"value", pydantic's input_value.
    (
        re.compile(
            r"""(["'](?:text|title|value|fallback|summary|speak)["']\s*:\s*)(["'])(?:\\.|(?!\2).)*\2"""
        ),
        rf"\1\2{REDACTED}\2",
    ),
    (
        re.compile(r"input_value=(?:'(?:\\.|[^'])*'|\"(?:\\.|[^\"])*\"|\{.*?\}|\[.*?\])"),
        f"input_value={REDACTED}",
    ),
)
_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class Redactor(logging.Filter):
    """Rewrites each record so that nothing below can write a secret (see the module docstring)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the line, nor print its arguments
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _RESERVED and isinstance(value, str):
                setattr(record, name, self.redact(value))
        return True


class HeldLibraries(logging.Filter):
    """Drops the chatty libraries' records below their floor, whatever level their own logger has:
    Bolt gives each app's logger the root logger's level at creation, past any parent's setting."""

    def __init__(self, floor: int) -> None:
        super().__init__()
        self.floors = {
            name: logging.WARNING if name in SILENT_BELOW_WARNING else floor for name in CHATTY_LIBRARIES
        }
        self.floors[VALIDATION_LOGGER] = logging.CRITICAL

    def filter(self, record: logging.LogRecord) -> bool:
        name = record.name
        for library, floor in self.floors.items():
            if name == library or name.startswith(library + "."):
                return record.levelno >= floor
        return True


class WithContext(logging.Filter):
    """Adds ``request_id`` and ``delivery_id`` from ``bot.observability.context`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = context.request_id.get()
        if getattr(record, "delivery_id", None) is None:
            record.delivery_id = context.delivery_id.get()
        return True


class Readable(logging.Formatter):
    """One line for a person at a terminal: time, level, logger, message, then the ids if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = [
            f"{label}={value}"
            for label, value in (
                ("request", getattr(record, "request_id", None)),
                ("delivery", getattr(record, "delivery_id", None)),
            )
            if value
        ]
        return f"{line}  [{' '.join(ids)}]" if ids else line


def json_formatter() -> logging.Formatter:
    return JsonFormatter(
        "{asctime}{levelname}{name}{message}",
        style="{",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def secret_values(settings: BaseModel) -> list[str]:
    """The values of every ``SecretStr`` setting, for ``Redactor`` to look for."""
    return [
        value.get_secret_value()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
    ]


def configure_logging(
    level: str,
    secrets: Iterable[str] = (),
    *,
    stream: IO[str] | None = None,
    as_json: bool | None = None,
) -> logging.Handler:
    """Replace the root logger's handlers with one that redacts, adds ids and formats; the handler.

    ``as_json`` defaults to "stream is not a terminal": a container's or a service manager's log
    collector gets JSON lines, a person at a terminal readable ones."""
    stream = stream or sys.stderr
    if as_json is None:
        as_json = not _is_terminal(stream)
    root = logging.getLogger()
    root.setLevel(level.upper())
    quiet = max(root.level, logging.INFO)
    handler = logging.StreamHandler(stream)
    handler.addFilter(HeldLibraries(quiet))
    handler.addFilter(WithContext())
    handler.addFilter(Redactor(secrets))
    handler.setFormatter(json_formatter() if as_json else Readable())
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING if name in SILENT_BELOW_WARNING else quiet)
    logging.getLogger(VALIDATION_LOGGER).setLevel(logging.CRITICAL)
    # Alembic reports every step at INFO; SQLite databases are upgraded on every start, so at the
    # default level each command would open with a screenful of migration lines (kept at DEBUG).
    logging.getLogger("alembic").setLevel(logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING)
    return handler


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
