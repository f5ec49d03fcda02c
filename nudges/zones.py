"""The four zones of the social media journey (seed 004).

A zone is a place on a personal journey, never a grade: the wording here is shown to people, so it
describes and invites, it never ranks. People's and files' words for zones ("I'm a sharer",
"Content-Sharer", 2) are read in ``nudges/words.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Zone(IntEnum):
    CONSUMER = 1
    SHARER = 2
    CREATOR = 3
    ENGAGED = 4

    @property
    def info(self) -> ZoneInfo:
        return ZONES[self]

    @property
    def label(self) -> str:
        return ZONES[self].label

    def next(self) -> Zone | None:
        return Zone(self + 1) if self < Zone.ENGAGED else None


@dataclass(frozen=True)
class ZoneInfo:
    label: str
    emoji: str
    summary: str
    steps: tuple[str, ...]
    value: str


ZONES: dict[Zone, ZoneInfo] = {
    Zone.CONSUMER: ZoneInfo(
        label="Content Consumer",
        emoji="🌱",
        summary="You read and listen. A fine place to start: your feed becomes your own news source.",
        steps=(
            "Have an account on the one or two networks that matter to you (revive a dormant one first)",
            "Follow a few thought leaders, groups or hashtags in your field",
        ),
        value="News and views of your market, customers and peers, delivered to you.",
    ),
    Zone.SHARER: ZoneInfo(
        label="Content Sharer",
        emoji="🔁",
        summary="You like, share and pass things on, sometimes with a line of your own.",
        steps=(
            "Like or share what you find interesting",
            "Add one line of your own when you pass something on, agreeing or not",
            "Share a suggested item from your organisation when it matches your interests",
            "Write a short post of your own (10–15 minutes) and peek at who saw it",
        ),
        value="Your interests become visible and like-minded people find you.",
    ),
    Zone.CREATOR: ZoneInfo(
        label="Content Creator",
        emoji="✍️",
        summary="You write your own, longer pieces, as a habit rather than a one-off.",
        steps=(
            "Join a peer group that swaps ideas and early drafts",
            "Use the copy-editing path: grammar help, your voice stays yours",
            "Keep a steady rhythm you enjoy; five pieces is a lovely milestone",
            "Let colleagues know when a new piece is out, and look at what it sparked",
        ),
        value="Thought leadership, and credibility before you walk into a meeting.",
    ),
    Zone.ENGAGED: ZoneInfo(
        label="Socially Engaged",
        emoji="🌟",
        summary="You read, share, create and converse; people come to you for advice.",
        steps=(
            "Tell sales and marketing which topics you could cover",
            "Start a small group or tweet chat with four or five peers",
            "Tell another team (HR, finance, pre-sales …) what social media gave you",
        ),
        value="People seek your view; you help others start their own journey.",
    ),
}
