"""What the engine can suggest: catalogue templates (steps and writing prompts) and content items.

The built-in catalogue lives in ``nudges/catalogue.py`` as plain Python data; an organisation can
extend or override it with a YAML file that ``bot/`` parses into the same ``Template`` objects.
Content items are pushed by marketing and stored in the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
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

    def __post_init__(self) -> None:
        # Every other offer's key has a colon ("content:…", "follow_up:…"): a planning summary keeps
        # the "Done" of template ids only (``nudges.selection.fold``), and tells them apart by it.
        if ":" in self.id:
            raise ValueError(f"a template id has no colon: {self.id!r}")


# Networks the bot knows, with the length limit of one post as each network counts it. The counting
# itself (X's weighted count, graphemes for Bluesky, links as 23 on Mastodon …) needs Unicode
# libraries, so it lives in ``bot/content/counting.py``; the engine only ever sees texts that fit.
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

# People's and files' names for networks (aliases such as "Twitter") are read in ``nudges/words.py``.


def network_label(network: str) -> str:
    """The short name people know a network by ("X", not "X (Twitter)")."""
    return NETWORK_LABELS.get(network, network).split(" (")[0]


@dataclass(frozen=True)
class ContentItem:
    """A marketing-suggested piece to share, with ready text per network.

    Every text was checked against its network's count when the item was created (``bot/content``),
    so the engine shows them as they are. ``variants`` are further ready texts per network: each
    person gets one of them (``text_for``), so a team does not post twenty identical lines.
    """

    id: str
    title: str
    url: str
    topics: tuple[str, ...]  # empty: offered to everyone whose zone (and team) fits
    texts: dict[str, str]  # network -> ready-to-post text that fits it
    zones: frozenset[Zone] = frozenset(Zone)  # the audience
    company: bool = True  # the organisation's own content (counts toward the authenticity guard)
    created_at: datetime | None = None
    expires_at: datetime | None = None
    summary: str = ""  # one or two lines shown with the suggestion
    teams: frozenset[str] = frozenset()  # case-folded team names; empty: every team
    starts_at: datetime | None = None  # not offered before this
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # Accounts and hashtags worth following: what a Content Consumer is offered instead of a share.
    follow: tuple[str, ...] = ()
    withdrawn_at: datetime | None = None

    def networks(self) -> tuple[str, ...]:
        return tuple(self.texts)

    def live(self, now: datetime) -> bool:
        start = self.starts_at or self.created_at
        return (
            self.withdrawn_at is None
            and (start is None or start <= now)
            and (self.expires_at is None or now < self.expires_at)
        )

    def for_team(self, team: str) -> bool:
        return not self.teams or team.casefold() in self.teams

    def text_for(self, network: str, person_key: str) -> str:
        """This person's ready text for ``network``: the same one every time they see the item, and
        spread evenly over the item's variants across people."""
        choices = (self.texts[network], *self.variants.get(network, ()))
        if len(choices) == 1:
            return choices[0]
        digest = hashlib.sha256(f"{self.id}\0{network}\0{person_key}".encode()).digest()
        return choices[int.from_bytes(digest[:4], "big") % len(choices)]


def posted_text(text: str, url: str, link: str) -> str:
    """A ready text as a person posts it: the item's URL (or the URL written without its
    ``https://``) replaced by their own link, or the link added on a line of its own when the text
    does not mention the URL."""
    bare = url.partition("://")[2]
    for written in (url, bare):
        if written and written in text:
            return text.replace(written, link)
    return f"{text}\n{link}"


# The link a person shares for an item on a network, made by the shell (``bot/content/tracking.py``):
# (item, offer id, network) -> URL.
ShareLink = Callable[[ContentItem, str, str], str]


@dataclass(frozen=True)
class Library:
    templates: tuple[Template, ...]
    content: tuple[ContentItem, ...] = ()
    by_id: dict[str, Template] = field(default_factory=dict, compare=False)
    share_link: ShareLink | None = field(default=None, compare=False)
    content_ids: frozenset[str] = field(init=False, default=frozenset(), compare=False)

    def link(self, item: ContentItem, offer_id: str, network: str) -> str:
        return item.url if self.share_link is None else self.share_link(item, offer_id, network)

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.templates})
        object.__setattr__(self, "content_ids", frozenset(item.id for item in self.content))  # frozen
