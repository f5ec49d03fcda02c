"""The log's shape (JSON off a terminal, readable on one, ids on every line) and its redaction."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from io import StringIO

import pytest

from bot.observability import context
from bot.observability.logs import REDACTED, Redactor, configure_logging, secret_values
from bot.settings import Settings
from tests.observability.test_log_redaction import log_buffer as log_buffer

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    yield logging.getLogger("journeybot.test")


def test_secret_values_are_every_secret_setting() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_signing_secret=SIGNING_SECRET,
        teams_app_password="a-teams-password",
        teams_app_id="not-a-secret-id",
    )
    assert sorted(secret_values(settings)) == sorted([SIGNING_SECRET, "a-teams-password"])


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (f"signing with {SIGNING_SECRET} now", "signing with"),
        ("token xoxb-123-456-abcdef was refused", "was refused"),
        ("app token xapp-1-A1-123-abc", "app token"),
        ("refresh xoxe-1-abcdef", "refresh"),
        ("Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", "Authorization"),
        ("a JWT eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.abc-def_ghi", "a JWT"),
        ("client_secret=hunter2hunter2&grant_type=client_credentials", "grant_type=client_credentials"),
        ('{"access_token": "abc.def.ghi", "expires_in": 3599}', '"expires_in": 3599'),
        ("INSERT INTO people VALUES (?, ?) [parameters: ('ana@example.com', 'Ana')]", "INSERT INTO people"),
        ('{"type": "message", "text": "my private words"}', '"type": "message"'),
        ("{'text': 'my private words', 'channel': 'D1'}", "'channel': 'D1'"),
        ("1 validation error input_value='my private words', input_type=str", "input_type=str"),
    ],
)
def test_the_redactor_removes_secrets_tokens_parameters_and_texts(line: str, kept: str) -> None:
    redacted = Redactor([SIGNING_SECRET]).redact(line)
    assert REDACTED in redacted and kept in redacted
    for gone in (
        SIGNING_SECRET,
        "xoxb-123",
        "xapp-1",
        "xoxe-1",
        "eyJ",
        "hunter2",
        "abc.def",
        "ana@",
        "private",
    ):
        assert gone not in redacted


def test_every_part_of_a_record_is_redacted_at_every_level(
    log_buffer: StringIO,
    logger: logging.Logger,
) -> None:
    configure_logging("DEBUG", [SIGNING_SECRET], stream=log_buffer, as_json=True)
    logger.debug("secret %s", SIGNING_SECRET)
    logger.info("token %s", "xoxb-1-2-3")
    try:
        raise ValueError(f"it failed with {SIGNING_SECRET}")
    except ValueError:
        logger.exception("failure")
    logger.warning("with extra", extra={"detail": f"secret={SIGNING_SECRET}"})
    logger.error("stack", stack_info=True, extra={"note": SIGNING_SECRET})
    written = log_buffer.getvalue()
    assert len(written.splitlines()) == 5 and "Traceback" in written and "ValueError" in written
    assert SIGNING_SECRET not in written and "xoxb-1" not in written


def test_json_off_a_terminal_with_the_request_and_delivery_ids(
    log_buffer: StringIO,
    logger: logging.Logger,
) -> None:
    configure_logging("INFO", stream=log_buffer)  # a StringIO is no terminal: JSON
    token = context.request_id.set("req-1")
    try:
        with context.delivering(42):
            logger.info("hello %s", "there")
    finally:
        context.request_id.reset(token)
    logger.debug("not at INFO")
    (line,) = [json.loads(text) for text in log_buffer.getvalue().splitlines()]
    assert (
        line["message"] == "hello there" and line["level"] == "INFO" and line["logger"] == "journeybot.test"
    )
    assert (line["request_id"], line["delivery_id"]) == ("req-1", "42")
    assert line["time"]


def test_readable_lines_on_a_terminal(
    log_buffer: StringIO,
    logger: logging.Logger,
) -> None:
    terminal = Terminal()
    configure_logging("INFO", stream=terminal)
    with context.delivering(7):
        logger.warning("slow platform")
    line = terminal.getvalue().strip()
    assert not line.startswith("{")
    assert "WARNING" in line and "journeybot.test: slow platform" in line and line.endswith("[delivery=7]")


def test_debug_holds_the_libraries_that_write_payloads_and_parameters(
    log_buffer: StringIO,
) -> None:
    configure_logging("DEBUG", stream=log_buffer)
    assert logging.getLogger("journeybot").isEnabledFor(logging.DEBUG)
    for name in ("slack_sdk", "slack_bolt", "microsoft_agents"):
        assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    for name in ("sqlalchemy.engine", "aiosqlite"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name  # INFO is echo
