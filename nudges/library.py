"""What the engine can suggest: catalogue templates (steps and writing prompts) and content items.

The built-in catalogue lives in ``nudges/catalogue.py`` as plain Python data; an organisation can
extend or override it with a YAML file that ``bot/`` parses into the same ``Template`` objects.
Content items are pushed by marketing and stored in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from nudges.activities import ActivityKind
from nudges.zones import Zone


class Category(StrEnum):
    STEP = "step"  # a small concrete step of the zone (follow three voices, revive an account …)
    PROMPT = "prompt"  # a 10–15 minute writing prompt
    SHARE = "share"  # a marketing-suggested content item with ready text
    FOLLOW_UP = "follow_up"  # "did you get to …?" on an earlier offer
    CELEBRATION = "celebration"  # a milestone reached
    INTRO = "intro"  # the one introduction a rolled-out person receives
    CAUGHT_UP = "caught_up"  # everything that fits was offered lately: a stretch step or a break?


@dataclass(frozen=True)
class Template:
    """One catalogue nudge.

    ``kind`` is the family a "Not for me" retires (e.g. ``tweet-chat``): several templates may share
    it. ``text`` may use ``{topic}`` and ``{network}``, filled from the person's own choices.
    """

    id: str
    zone: Zone
    category: Category
    kind: str
    title: str
    text: str
    minutes: int
    evidence: ActivityKind
    follow_up: str = ""
    networks: tuple[str, ...] = ()  # empty: fits any network
    min_networks: int = 0  # only for people who chose at least this many networks


# Networks the bot knows, with the length limit of one post (characters). A suggested text longer
# than its network's limit is refused at import: a cut-off post is a classic failure.
NETWORK_LIMITS: dict[str, int] = {
    "linkedin": 3000,
    "x": 280,
    "facebook": 63206,
    "instagram": 2200,
    "mastodon": 500,
    "bluesky": 300,
    "threads": 500,
    "xing": 420,
}
NETWORK_LABELS: dict[str, str] = {
    "linkedin": "LinkedIn",
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "xing": "XING",
}
URL_WEIGHT_ON_X = 23  # X counts every link as 23 characters, whatever its length.

# People's and files' names for networks (aliases such as "Twitter") are read in ``nudges/words.py``.

_URL = re.compile(r"https?://\S+")


def _x_weight(char: str) -> int:
    """X counts Latin-ish characters once and the rest (emoji, CJK …) twice."""
    code = ord(char)
    single = (
        code <= 0x10FF or 0x2000 <= code <= 0x200D or 0x2010 <= code <= 0x201F or 0x2032 <= code <= 0x2037
    )
    return 1 if single else 2


def post_length(network: str, text: str) -> int:
    """The length a network counts. X weighs every link as 23 characters and wide characters as 2."""
    if network != "x":
        return len(text)
    links = _URL.findall(text)
    rest = _URL.sub("", text)
    return URL_WEIGHT_ON_X * len(links) + sum(_x_weight(c) for c in rest)


def fits(network: str, text: str) -> bool:
    return post_length(network, text) <= NETWORK_LIMITS[network]


@dataclass(frozen=True)
class ContentItem:
    """A marketing-suggested piece to share, with ready text per network."""

    id: str
    title: str
    url: str
    topics: tuple[str, ...]
    texts: dict[str, str]  # network -> ready-to-post text that fits it
    zones: frozenset[Zone] = frozenset(Zone)  # the audience
    company: bool = True  # the organisation's own content (counts toward the authenticity guard)
    created_at: datetime | None = None
    expires_at: datetime | None = None

    def networks(self) -> tuple[str, ...]:
        return tuple(self.texts)


@dataclass(frozen=True)
class Library:
    templates: tuple[Template, ...]
    content: tuple[ContentItem, ...] = ()
    by_id: dict[str, Template] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.templates})
