"""The neutral text markup as Slack mrkdwn, escaped, and cut to a limit without breaking it.

Slack reads ``&``, ``<`` and ``>`` as control characters (``<@U1>`` mentions someone, ``<!channel>``
pings a whole channel), so every piece of text is escaped *before* markup becomes mrkdwn: a person
who calls themselves ``<!channel>`` is shown, never obeyed.
"""

from __future__ import annotations

import re

from nudges.messages import plain

ELLIPSIS = "…"
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's escaping undone, for text a person typed (``&gt;`` back to ``>``)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(match: re.Match[str]) -> str:
    # "|" would end the URL part early; "%7C" is the same URL and "¦" reads the same in a label.
    label, url = match.group(1).replace("|", "¦"), match.group(2).replace("|", "%7C")
    return f"<{url}|{label}>"


def to_mrkdwn(text: str) -> str:
    """``**bold**`` → ``*bold*``, ``[label](url)`` → ``<url|label>``, ``- `` → ``•``; ``_italic_`` stays."""
    text = _LINK.sub(_link, escape(text))
    text = _BOLD.sub(r"*\1*", text)
    lines = [f"• {line[2:]}" if line.startswith("- ") else line for line in text.split("\n")]
    return "\n".join(lines)


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending in "…" when shortened, preferring a word break."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return text[:limit]
    head = text[: limit - len(ELLIPSIS)]
    space = head.rfind(" ")
    if space >= len(head) * 2 // 3:  # a word break not too far back reads better than a cut word
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def mrkdwn_within(text: str, limit: int) -> str:
    """The markup as mrkdwn in at most ``limit`` characters.

    Cutting happens on the neutral text, then it is converted again, so a cut never lands inside
    an ``&amp;`` entity or a ``<url|label>`` link: Slack would show the debris or refuse the block.
    """
    converted = to_mrkdwn(text)
    if len(converted) <= limit:
        return converted
    low, high = 0, len(text)
    while low < high:  # the longest cut of the source whose conversion still fits
        middle = (low + high + 1) // 2
        if len(to_mrkdwn(cut(text, middle))) <= limit:
            low = middle
        else:
            high = middle - 1
    return to_mrkdwn(cut(text, low)) if low else ""


def plain_within(text: str, limit: int) -> str:
    """Markup removed, for plain_text objects (headers, buttons, modal titles), within ``limit``."""
    return cut(plain(text).replace("\n", " ").strip() or " ", limit)
