"""How long a ready text is, counted the way its network counts it.

Hand-written rules got this wrong (a bare domain, an emoji family, a flag): the counts come from
well-kept libraries instead. X: twitter-text's own weighted count (``twitter-text-parser``, the
port of the library X publishes), where every URL, bare domains included, counts 23. Bluesky: 300
grapheme clusters (``regex``'s ``\\X``, kept in step with Unicode). Mastodon: 500 grapheme
clusters with every http(s) link counted as 23, as Mastodon's own length validator does. The rest
(LinkedIn, Facebook, Instagram, Threads, XING) publish a number of "characters" without saying
more; they are counted in UTF-16 code units, the strictest reading (an emoji is 2), so a text we
accept is never cut off.
"""

from __future__ import annotations

import regex
from twitter_text import extract_urls, parse_tweet  # type: ignore[import-untyped]

from nudges.library import NETWORK_LIMITS

# Mastodon counts each link as this many characters, whatever its length (as X does).
MASTODON_URL_WEIGHT = 23
_GRAPHEME = regex.compile(r"\X")
# Mastodon's own rule links only addresses with a scheme; a bare domain is text there.
_SCHEMED_URL = regex.compile(r"https?://\S+")
# Letters, digits and symbols (emoji included): anything that says something besides the link.
_MEANING = regex.compile(r"[\p{L}\p{N}\p{S}]")

HOW_COUNTED: dict[str, str] = {
    "x": "as X counts it (every link 23, an emoji or CJK character 2)",
    "bluesky": "as Bluesky counts it (in graphemes: an emoji is 1)",
    "mastodon": "as Mastodon counts it (every link 23)",
}


def graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def counted_length(network: str, text: str) -> int:
    """The length ``network`` sees; its limit is ``nudges.library.NETWORK_LIMITS[network]``."""
    if network == "x":
        return int(parse_tweet(text).weightedLength)
    if network == "bluesky":
        return graphemes(text)
    if network == "mastodon":
        links = _SCHEMED_URL.findall(text)
        return graphemes(_SCHEMED_URL.sub("", text)) + MASTODON_URL_WEIGHT * len(links)
    return utf16_units(text)


def limit(network: str) -> int:
    return NETWORK_LIMITS[network]


def only_links(text: str) -> bool:
    """True for a text with links (bare domains included) and nothing else but punctuation: seed
    003's classic failure, a link cross-posted with no word of its own."""
    urls = sorted(extract_urls(text), key=len, reverse=True) + _SCHEMED_URL.findall(text)
    if not urls:
        return False
    rest = text
    for url in urls:
        rest = rest.replace(url, " ")
    return _MEANING.search(rest) is None
