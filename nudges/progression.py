"""Moving along the journey: evidence thresholds and milestones.

The zone follows the evidence, upward only: the bot never moves anyone back (no place on the
journey is worse than another), and a person can always say where they are themselves. What they
say stands until *new* evidence crosses a threshold: activities that were already there when they
said it do not undo their word on the next unrelated log.

Thresholds, counted over everything a person has logged or answered "Done" to:

=============  ==========================================================================
zone           reached when
=============  ==========================================================================
Sharer         3 shares (with or without a line of their own)
Creator        2 original pieces (a habit starts with the second one)
Engaged        5 original pieces, 10 shares and 10 conversation acts (replies, questions,
               answers, feedback, helping, group chats, talking to another team)
=============  ==========================================================================
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum

from nudges.activities import CONVERSATION_KINDS, OWN_CONTENT_KINDS, SHARE_KINDS, Activity, ActivityKind
from nudges.zones import Zone

SHARES_FOR_SHARER = 3
ORIGINALS_FOR_CREATOR = 2
ORIGINALS_FOR_ENGAGED = 5
SHARES_FOR_ENGAGED = 10
CONVERSATIONS_FOR_ENGAGED = 10


class Milestone(StrEnum):
    FIRST_SHARE = "first_share"
    FIRST_OWN_COMMENT = "first_own_comment"
    FIRST_OWN_POST = "first_own_post"
    FIRST_CONVERSATION = "first_conversation"
    FIVE_ORIGINALS = "five_originals"
    REACHED_SHARER = "reached_sharer"
    REACHED_CREATOR = "reached_creator"
    REACHED_ENGAGED = "reached_engaged"

    @property
    def cheer(self) -> str:
        return CHEERS[self]


CHEERS: dict[Milestone, str] = {
    Milestone.FIRST_SHARE: "Your first share! Passing on something you find interesting is how it all starts.",
    Milestone.FIRST_OWN_COMMENT: "Your first share with a line of your own. That's your voice out there.",
    Milestone.FIRST_OWN_POST: "You wrote your first post of your own. However it lands, that took courage.",
    Milestone.FIRST_CONVERSATION: "Your first conversation logged. Replies and questions are the real heart of it.",
    Milestone.FIVE_ORIGINALS: "Five original pieces! Steady creating deserves a cheer, whatever the numbers say.",
    Milestone.REACHED_SHARER: "You're a **Content Sharer** now: people can see what you care about.",
    Milestone.REACHED_CREATOR: "You're a **Content Creator** now: your own ideas are out in the world.",
    Milestone.REACHED_ENGAGED: "You're **Socially Engaged**: others will look to you. Thank you for leading the way.",
}

_ZONE_MILESTONES = {
    Zone.SHARER: Milestone.REACHED_SHARER,
    Zone.CREATOR: Milestone.REACHED_CREATOR,
    Zone.ENGAGED: Milestone.REACHED_ENGAGED,
}


def tally(activities: Iterable[Activity]) -> Counter[ActivityKind]:
    return Counter(a.kind for a in activities)


def evidence_zone(counts: Counter[ActivityKind]) -> Zone:
    shares = sum(counts[k] for k in SHARE_KINDS)
    originals = counts[ActivityKind.ORIGINAL_PIECE]
    conversations = sum(counts[k] for k in CONVERSATION_KINDS)
    if (
        originals >= ORIGINALS_FOR_ENGAGED
        and shares >= SHARES_FOR_ENGAGED
        and conversations >= CONVERSATIONS_FOR_ENGAGED
    ):
        return Zone.ENGAGED
    if originals >= ORIGINALS_FOR_CREATOR:
        return Zone.CREATOR
    if shares >= SHARES_FOR_SHARER:
        return Zone.SHARER
    return Zone.CONSUMER


def progress(current: Zone, before: Counter[ActivityKind], after: Counter[ActivityKind]) -> Zone:
    """The zone after new evidence (``before`` the new activities, and ``after`` them).

    The evidence lifts a person only when the new activities carry it into a zone it did not support
    before them, and above where the person is; it never lowers anyone. So someone with three shares
    who says "I'm a consumer" stays one when they next log a reply, and moves on when their second
    original piece makes them a creator.
    """
    reached = evidence_zone(after)
    return reached if reached > current and reached > evidence_zone(before) else current


def zone_milestone(zone: Zone) -> Milestone | None:
    """The milestone of arriving in a zone by evidence (a zone a person declares is not celebrated)."""
    return _ZONE_MILESTONES.get(zone)


def milestones_reached(counts: Counter[ActivityKind]) -> frozenset[Milestone]:
    """Every activity milestone the evidence supports."""
    reached: set[Milestone] = set()
    if any(counts[k] for k in SHARE_KINDS):
        reached.add(Milestone.FIRST_SHARE)
    if counts[ActivityKind.SHARED_WITH_COMMENT]:
        reached.add(Milestone.FIRST_OWN_COMMENT)
    if any(counts[k] for k in OWN_CONTENT_KINDS):
        reached.add(Milestone.FIRST_OWN_POST)
    if any(counts[k] for k in CONVERSATION_KINDS):
        reached.add(Milestone.FIRST_CONVERSATION)
    if counts[ActivityKind.ORIGINAL_PIECE] >= 5:
        reached.add(Milestone.FIVE_ORIGINALS)
    return frozenset(reached)


def to_next_zone(zone: Zone, counts: Counter[ActivityKind]) -> list[str]:
    """What the evidence still lacks for the next zone, in friendly words.

    Empty at the last zone, and also when the evidence already meets the next zone's thresholds
    (the person said they are somewhere earlier): more of the same would not move them.
    """
    shares = sum(counts[k] for k in SHARE_KINDS)
    originals = counts[ActivityKind.ORIGINAL_PIECE]
    conversations = sum(counts[k] for k in CONVERSATION_KINDS)
    gaps: list[tuple[int, str]] = []
    if zone == Zone.CONSUMER:
        gaps = [(SHARES_FOR_SHARER - shares, "share")]
    elif zone == Zone.SHARER:
        gaps = [(ORIGINALS_FOR_CREATOR - originals, "original piece")]
    elif zone == Zone.CREATOR:
        gaps = [
            (ORIGINALS_FOR_ENGAGED - originals, "original piece"),
            (SHARES_FOR_ENGAGED - shares, "share"),
            (CONVERSATIONS_FOR_ENGAGED - conversations, "conversation"),
        ]
    return [_more(n, what) for n, what in gaps if n > 0]


def _more(n: int, what: str) -> str:
    return f"{n} more {what}" + ("s" if n != 1 else "")
