"""Ids for content items: stable for a title in any script, never a silent collision.

The id is what the history, the report and ``utm_campaign`` refer to, so it must not change when
the same title is submitted again, and two different titles must not quietly become one id (the
old ASCII-only slug turned every Japanese or Russian title into ``item``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_ID_LENGTH = 80
_NOT_WORD = re.compile(r"[^\w]+")  # \w is Unicode-aware: Cyrillic, CJK, accented letters are kept
VALID_ID = re.compile(r"^[\w][\w.-]{0,79}$")


def slug(title: str) -> str:
    """A readable id from a title: lower-case words joined by hyphens, in the title's own script.

    A title with no letters or digits at all (only emoji or punctuation) gets ``item-`` and a short
    hash of the title, which is just as stable."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    words = _NOT_WORD.sub("-", folded.replace("_", "-")).strip("-")
    if words:
        return words[:60].rstrip("-")
    return "item-" + hashlib.sha256(title.strip().encode()).hexdigest()[:10]


def valid_id(value: str) -> bool:
    return VALID_ID.match(value) is not None
