"""People's and files' words for networks, topics and zones, understood in one place.

Onboarding answers, ``set networks`` and the settings forms, marketing's content file and an
organisation's catalogue file all name networks, topics and zones in their own words. Each kind of
word is read here and only here, so the same words mean the same thing wherever they are typed:
"linkedin/x" is LinkedIn and X in onboarding and in ``set networks`` alike, and "Content-Sharer"
is the sharer zone in the content file and in the catalogue file alike.

What a caller says when the words cannot be understood is its own business (a question asks
again, a file names its line): these functions return None or raise a small exception holding
what was not understood.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nudges.library import NETWORK_LIMITS
from nudges.zones import Zone

# --- networks ---------------------------------------------------------------------------------

# Other names people give the networks the bot knows (``NETWORK_LIMITS``), lower-case.
NETWORK_ALIASES = {
    "twitter": "x",
    "x/twitter": "x",
    "x (twitter)": "x",
    "fb": "facebook",
    "insta": "instagram",
}
# What separates networks in a phrase: "LinkedIn, X", "linkedin/x", "LinkedIn + Mastodon",
# "LinkedIn and a bit of X", "X (Twitter)". No network's name contains any of these.
_NETWORK_SEPARATORS = re.compile(r"[,;/+&()\n]|\b(?:and|or|plus)\b")
# Words around a network's name that say how much, not which: "a bit of X", "mostly LinkedIn".
_NETWORK_FILLER = re.compile(
    r"^(?:(?:a little bit of|a little|a bit of|bit of|some|mostly|mainly|also|maybe|just|only"
    r"|sometimes|occasionally|i use|i'm on|im on|on)\s+)+"
    r"|(?:\s+(?:a bit|a little|too|as well|sometimes|occasionally|mostly|now and then))+$"
)
# A whole answer meaning "no networks" (onboarding takes "none" as a skip before asking here).
NO_NETWORKS = frozenset({"none", "none yet", "no networks", "nothing"})


class UnknownNetworks(ValueError):
    """Names in a phrase that are not networks the bot knows."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(f"unknown networks: {', '.join(names)}")
        self.names = names


def network(name: str) -> str | None:
    """One network's name as people and files write it ("LinkedIn", " Twitter ", "X (Twitter)",
    "fb") → the bot's key for it ("linkedin", "x" …), or None for a network it does not know."""
    key = " ".join(name.split()).lower()
    key = NETWORK_ALIASES.get(key, key)
    return key if key in NETWORK_LIMITS else None


def networks(text: str) -> tuple[str, ...]:
    """The networks named in a phrase, in order, each once: "LinkedIn, X", "linkedin/x",
    "LinkedIn and a bit of X", "x (twitter)". Empty text, or "none", names none.

    Raises ``UnknownNetworks`` (with the words it could not place) if any name is not a network.
    """
    if " ".join(text.split()).lower() in NO_NETWORKS:
        return ()
    whole = network(text)  # an alias with a separator in it: "X (Twitter)", "x/twitter"
    if whole is not None:
        return (whole,)
    found: list[str] = []
    unknown: list[str] = []
    for part in _NETWORK_SEPARATORS.split(text.lower()):
        name = _NETWORK_FILLER.sub("", " ".join(part.split()))
        if not name:
            continue
        key = network(name)
        if key is None:
            unknown.append(name)
        else:
            found.append(key)
    if unknown:
        raise UnknownNetworks(tuple(unknown))
    return tuple(dict.fromkeys(found))


# Tokens that name a network inside a free sentence ("linkedin i guess"); "x" only as a word alone.
_NETWORK_TOKEN = re.compile(r"[a-z][a-z0-9.]*")


def networks_in(text: str) -> tuple[str, ...]:
    """The known networks a free sentence mentions, in order, each once: "linkedin i guess" →
    ("linkedin",), "mostly LinkedIn, and a bit of twitter maybe" → ("linkedin", "x")."""
    lowered = text.lower()
    found = [network(whole) for whole in ("x (twitter)", "x/twitter") if whole in lowered]
    for token in _NETWORK_TOKEN.findall(lowered):
        found.append(network(token))
    return tuple(dict.fromkeys(n for n in found if n is not None))


# --- topics -----------------------------------------------------------------------------------

# A person's topics: each short, and a handful at most (every suggestion is matched to them).
TOPIC_MAX_LENGTH = 60
TOPICS_KEPT = 10
# Words too common to say what a topic is about: "diversity and inclusion" and "security and
# compliance" are not one topic.
_TOPIC_STOPWORDS = frozenset(
    "and the for with from into about our your their its of in on at to by or a an my new".split()
)


class TopicTooLong(ValueError):
    """A topic longer than ``TOPIC_MAX_LENGTH``."""


def topics(words: str | Iterable[str]) -> tuple[str, ...]:
    """Topics from comma-separated text or a file's list: each trimmed, spaces collapsed,
    lower-cased, in order, each once. Empty entries are dropped."""
    entries = words.split(",") if isinstance(words, str) else words
    return tuple(dict.fromkeys(" ".join(e.split()).lower() for e in entries if e.strip()))


# Words around an answer that hedge, not name: "cloud i guess", "maybe hiring".
_HEDGES = re.compile(
    r"\b(?:i guess|i think|i suppose|probably|maybe|mostly|mainly|perhaps|kind of|sort of|i'd say|id say)\b",
    re.IGNORECASE,
)


def without_hedges(text: str) -> str:
    """``text`` without hedging words ("cloud i guess" → "cloud"), separators kept."""
    return ",".join(" ".join(_HEDGES.sub(" ", part).split()) for part in text.split(","))


def person_topics(text: str) -> tuple[str, ...]:
    """A person's own topics ("cloud security, hiring"): ``topics``, the first ``TOPICS_KEPT``.

    Raises ``TopicTooLong`` if any is longer than ``TOPIC_MAX_LENGTH``."""
    found = topics(text)
    if any(len(t) > TOPIC_MAX_LENGTH for t in found):
        raise TopicTooLong(f"topics are {TOPIC_MAX_LENGTH} characters at most")
    return found[:TOPICS_KEPT]


def topic_terms(topic: str) -> tuple[str, ...]:
    """A topic, case-folded, and each word of it that carries meaning.

    People write topics in their own words ("cloud security") and marketing tags content with
    single ones ([cloud, security]), or the other way round: a topic matches when the whole of it
    or any meaningful word of it is among a content item's terms (found the same way).
    """
    folded = " ".join(topic.casefold().replace("-", " ").replace("/", " ").split())
    words = [w for w in folded.split(" ") if len(w) > 1 and w not in _TOPIC_STOPWORDS]
    return (folded, *words)


# --- zones ------------------------------------------------------------------------------------

# The words that name a zone on their own; "content" or "socially" may come before any of them.
ZONE_WORDS: dict[str, Zone] = {
    "consumer": Zone.CONSUMER,
    "reader": Zone.CONSUMER,
    "lurker": Zone.CONSUMER,
    "sharer": Zone.SHARER,
    "creator": Zone.CREATOR,
    "writer": Zone.CREATOR,
    "engaged": Zone.ENGAGED,
    "ambassador": Zone.ENGAGED,
}
_ZONE_PREFIXES = ("content ", "socially ")
# Word stems found anywhere in an answer to "how do you use social media today?" ("I share a lot").
_ZONE_STEMS: dict[Zone, tuple[str, ...]] = {
    Zone.ENGAGED: ("socially engaged", "engaged", "ambassador"),
    Zone.CREATOR: ("creator", "create", "writer"),
    Zone.SHARER: ("sharer", "share"),
    Zone.CONSUMER: ("consumer", "reader", "lurker", "consume"),
}
_NAME = "|".join(ZONE_WORDS)
# "I'm a sharer", "I am now a content creator", "I'm more of a reader", "I'm socially engaged",
# "zone 2": the whole sentence must be a declaration, so "I'm not a creator" or "I'm engaged in a
# thread" never moves anyone (a substring match did).
_DECLARED = re.compile(
    rf"(?:i'?m|i am)\s+(?:now\s+|really\s+|more\s+of\s+|more\s+)?(?:an?\s+)?((?:content\s+|socially\s+)?(?:{_NAME}))"
    r"(?:\s+now)?"
    r"|(?:my\s+)?zone(?:\s+is)?:?\s+((?:content\s+|socially\s+)?\w+)"
)


def _zone_text(text: str) -> str:
    """Lower case, one space between words, "-" and "_" as spaces, curly apostrophes straight."""
    return " ".join(text.lower().replace("’", "'").replace("-", " ").replace("_", " ").split())


def zone(value: object) -> Zone | None:
    """A zone's name or number as a file, a button or a person writes it: "sharer",
    "Content Sharer", "content-sharer", "CONTENT_SHARER", "socially engaged", "writer", 2, "2"."""
    if isinstance(value, bool):  # YAML's yes/no are not zone numbers
        return None
    if isinstance(value, int):
        return Zone(value) if 1 <= value <= 4 else None
    if not isinstance(value, str):
        return None
    name = _zone_text(value)
    if name in ("1", "2", "3", "4"):
        return Zone(int(name))
    for prefix in _ZONE_PREFIXES:
        name = name.removeprefix(prefix)
    return ZONE_WORDS.get(name)


def declared_zone(text: str) -> Zone | None:
    """The zone of a sentence that is, as a whole, someone saying where they are: "I'm a sharer",
    "I'm a content-creator now", "my zone is 2". None for anything else."""
    match = _DECLARED.fullmatch(_zone_text(text).strip(" .!"))
    return zone(match.group(1) or match.group(2)) if match else None


def zone_in(text: str) -> Zone | None:
    """A zone read from a free answer about how someone uses social media: a zone's name or a
    word like it anywhere in it ("I share things", "creator"), or its number."""
    words = _zone_text(text)
    for found, stems in _ZONE_STEMS.items():
        if any(stem in words for stem in stems):
            return found
    stripped = words.strip(" .!")
    return Zone(int(stripped)) if stripped in ("1", "2", "3", "4") else None


SHOWN = 40  # characters of a value an error message may show


def short(value: object) -> str:
    """``repr(value)``, cut to ``SHOWN`` characters: enough to find it, never a whole document."""
    shown = repr(value)
    return shown if len(shown) <= SHOWN else shown[: SHOWN - 1] + "…"
