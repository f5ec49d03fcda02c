"""Moving along the journey: evidence thresholds, stretch steps and milestones, in one place.

The zone follows the evidence, upward only: the bot never moves anyone back (no place on the
journey is worse than another), and a person can always say where they are themselves. What they
say stands until *new* evidence crosses a threshold: activities that were already there when they
said it do not undo their word on the next unrelated log. ``docs/journey.md`` explains the numbers.

Thresholds, counted over everything a person has logged or answered "Done" to:

=============  ==========================================================================
zone           reached when
=============  ==========================================================================
Sharer         3 shares or short posts of their own (seed 004's sharer steps)
Creator        2 original pieces (a habit starts with the second one)
Engaged        5 original pieces, 10 shares or short posts, and 10 conversation acts
               (replies, questions, answers, feedback, helping, group chats, another team)
=============  ==========================================================================

Stretch steps: each zone's core steps (seed 004's list, as the evidence they leave) lead to the
next. Once a person shows ``READY_FOR_STRETCH`` of their zone's core kinds, the bot also offers
steps from the zone above, as optional ones; only steps whose *Done* counts toward that zone's
threshold are stretch steps, so trying one is real progress.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from nudges.activities import CONVERSATION_KINDS, OWN_CONTENT_KINDS, SHARE_KINDS, Activity, ActivityKind
from nudges.zones import Zone

SHARES_FOR_SHARER = 3
ORIGINALS_FOR_CREATOR = 2
ORIGINALS_FOR_ENGAGED = 5
SHARES_FOR_ENGAGED = 10
CONVERSATIONS_FOR_ENGAGED = 10

# What counts as sharing: passing things on, with or without a line, and short posts of one's own
# (seed 004's fourth sharer step: a post of 10-15 minutes is still a sharer's habit, not a creator's).
SHARING_KINDS = SHARE_KINDS | {ActivityKind.SHORT_POST}

# The evidence a zone's threshold counts: a stretch step from that zone must leave one of these.
ZONE_EVIDENCE: dict[Zone, frozenset[ActivityKind]] = {
    Zone.CONSUMER: frozenset({ActivityKind.ACCOUNT, ActivityKind.FOLLOWED}),
    Zone.SHARER: SHARING_KINDS,
    Zone.CREATOR: frozenset({ActivityKind.ORIGINAL_PIECE}),
    Zone.ENGAGED: CONVERSATION_KINDS,
}

# Each zone's core steps (seed 004), as the evidence they leave. Someone who shows most of them is
# ready to be offered steps from the zone above.
CORE_STEPS: dict[Zone, tuple[ActivityKind, ...]] = {
    # Have an account, follow voices, and a first small exchange (a comment or a question).
    Zone.CONSUMER: (ActivityKind.ACCOUNT, ActivityKind.FOLLOWED, ActivityKind.REPLIED, ActivityKind.ASKED),
    # Share, add a line, a short post of one's own, and a look at who saw it.
    Zone.SHARER: (
        ActivityKind.SHARED,
        ActivityKind.SHARED_WITH_COMMENT,
        ActivityKind.SHORT_POST,
        ActivityKind.CHECKED_ANALYTICS,
    ),
    # An original piece, a peer group's feedback, the copy-editing path, answering the comments.
    Zone.CREATOR: (
        ActivityKind.ORIGINAL_PIECE,
        ActivityKind.FEEDBACK,
        ActivityKind.PREPARED,
        ActivityKind.REPLIED,
    ),
}
# "Most" of a zone's core steps: this many of its four kinds.
READY_FOR_STRETCH = 2
# Once ready, this share of suggestions comes from the zone above (the rest stays in the zone).
STRETCH_SHARE = 0.5

# Small things worth a cheer (seed 002, "look down"): these counts, each celebrated once.
COMMENTS_FOR_MILESTONE = 5
STEADY_WEEKS_FOR_MILESTONE = 10


class Milestone(StrEnum):
    FIRST_SHARE = "first_share"
    FIRST_OWN_COMMENT = "first_own_comment"
    FIRST_OWN_POST = "first_own_post"
    FIRST_CONVERSATION = "first_conversation"
    FIVE_ORIGINALS = "five_originals"
    FIRST_QUESTION = "first_question"
    FIVE_COMMENTS = "five_comments"
    AMPLIFIED_A_COLLEAGUE = "amplified_a_colleague"
    TEN_STEADY_WEEKS = "ten_steady_weeks"
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
    Milestone.FIRST_QUESTION: (
        "You asked your first question out in the open. Not knowing, out loud, is how good conversations start."
    ),
    Milestone.FIVE_COMMENTS: (
        "Five comments and replies! Those small exchanges are where people get to know you."
    ),
    Milestone.AMPLIFIED_A_COLLEAGUE: (
        "You passed on a colleague's own piece. That's the chorus at work: their voice travels further with yours."
    ),
    Milestone.TEN_STEADY_WEEKS: (
        "Ten weeks with a step or two in each. No rush, no streak to keep: just a lovely steady rhythm."
    ),
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
    shares = sum(counts[k] for k in SHARING_KINDS)
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


def zone_of_milestone(milestone: str) -> Zone | None:
    """The zone whose arrival ``milestone`` celebrates, if it is a zone milestone."""
    return next((zone for zone, m in _ZONE_MILESTONES.items() if m == milestone), None)


def ready_for_stretch(zone: Zone, counts: Counter[ActivityKind]) -> bool:
    """Whether the person shows most of their zone's core steps (never at the last zone)."""
    core = CORE_STEPS.get(zone)
    return core is not None and sum(1 for kind in core if counts[kind]) >= READY_FOR_STRETCH


def steady_weeks(activities: Iterable[Activity]) -> int:
    """In how many distinct weeks (Monday to Sunday, UTC) the person did something."""
    return len({_monday(a.at.date()) for a in activities})


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


RECOGNITION_EVERY = 5  # original pieces (seed 004: "a regular internal recognition of 5 original pieces")


def recognitions(originals: int) -> frozenset[str]:
    """Recognition for steady creation, whatever the results: after every five original pieces
    beyond the first five (which ``Milestone.FIVE_ORIGINALS`` cheers): ``originals_10``, ``originals_15`` …"""
    return frozenset(f"originals_{n}" for n in range(2 * RECOGNITION_EVERY, originals + 1, RECOGNITION_EVERY))


def recognised_pieces(milestone: str) -> int | None:
    """The number of pieces a recognition milestone stands for; None for any other milestone."""
    number = milestone.removeprefix("originals_")
    return int(number) if milestone.startswith("originals_") and number.isdecimal() else None


def milestones_reached(counts: Counter[ActivityKind], weeks_active: int = 0) -> frozenset[Milestone]:
    """Every activity milestone the evidence supports (``weeks_active``: ``steady_weeks``)."""
    reached: set[Milestone] = set()
    if counts[ActivityKind.ASKED]:
        reached.add(Milestone.FIRST_QUESTION)
    if counts[ActivityKind.REPLIED] + counts[ActivityKind.SHARED_WITH_COMMENT] >= COMMENTS_FOR_MILESTONE:
        reached.add(Milestone.FIVE_COMMENTS)
    if counts[ActivityKind.AMPLIFIED]:
        reached.add(Milestone.AMPLIFIED_A_COLLEAGUE)
    if weeks_active >= STEADY_WEEKS_FOR_MILESTONE:
        reached.add(Milestone.TEN_STEADY_WEEKS)
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
    shares = sum(counts[k] for k in SHARING_KINDS)
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
