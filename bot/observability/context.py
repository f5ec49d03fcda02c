"""Which request or delivery a log line belongs to, carried by context variables.

A context variable follows the work across ``await`` and into the tasks it starts, so a line logged
deep in an adapter still names the request that caused it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
delivery_id: ContextVar[str | None] = ContextVar("delivery_id", default=None)

# A caller's X-Request-Id is kept only if it looks like an id: it lands in every log line.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def new_request_id(offered: str | None = None) -> str:
    if offered and _ACCEPTABLE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex[:16]


@contextmanager
def delivering(row_id: int | str) -> Iterator[None]:
    """Log lines inside name this outbox row."""
    token = delivery_id.set(str(row_id))
    try:
        yield
    finally:
        delivery_id.reset(token)
