"""What a person can log having done, and how free text maps onto it.

Activities are the evidence the journey moves on: small exchanges (a reply, a question, a bit of
feedback) count as much as posts, because conversations, not vanity totals, are the goal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ActivityKind(StrEnum):
    ACCOUNT = "account"  # set up or revived an account on a network
    FOLLOWED = "followed"  # followed / connected with people, groups, hashtags
    SHARED = "shared"  # liked, shared, reposted
    SHARED_WITH_COMMENT = "shared_with_comment"  # passed something on with a line of their own
    AMPLIFIED = "amplified"  # passed on a colleague's own piece ("a chorus, not a solo")
    SHORT_POST = "short_post"  # a short post of their own (10–15 minutes)
    ORIGINAL_PIECE = "original_piece"  # an original, longer piece (article, blog post)
    CHECKED_ANALYTICS = "checked_analytics"
    REPLIED = "replied"  # replied to comments or questions
    ASKED = "asked"  # asked a question in public
    ANSWERED = "answered"  # answered someone's question
    FEEDBACK = "feedback"  # gave feedback on a colleague's draft or post
    HELPED = "helped"  # helped a colleague get started
    SPOKE_TO_GROUP = "spoke_to_group"  # told another team about their experience
    GROUP_CHAT = "group_chat"  # took part in a group chat / tweet chat
    PREPARED = "prepared"  # groundwork: ideas, a draft to the copy editors, a plan (counts toward no zone)

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[ActivityKind, str] = {
    ActivityKind.ACCOUNT: "set up or revived an account",
    ActivityKind.FOLLOWED: "followed people, groups or hashtags",
    ActivityKind.SHARED: "liked or shared something",
    ActivityKind.SHARED_WITH_COMMENT: "shared with a line of your own",
    ActivityKind.AMPLIFIED: "passed on a colleague's piece",
    ActivityKind.SHORT_POST: "wrote a short post",
    ActivityKind.ORIGINAL_PIECE: "wrote an original piece",
    ActivityKind.CHECKED_ANALYTICS: "looked at who saw your post",
    ActivityKind.REPLIED: "replied to comments",
    ActivityKind.ASKED: "asked a question",
    ActivityKind.ANSWERED: "answered a question",
    ActivityKind.FEEDBACK: "gave feedback",
    ActivityKind.HELPED: "helped a colleague",
    ActivityKind.SPOKE_TO_GROUP: "spoke to another group",
    ActivityKind.GROUP_CHAT: "joined a group chat",
    ActivityKind.PREPARED: "did some groundwork for a piece",
}

# Conversation acts: the "small exchanges" seed 002 asks us to measure.
CONVERSATION_KINDS = frozenset(
    {
        ActivityKind.REPLIED,
        ActivityKind.ASKED,
        ActivityKind.ANSWERED,
        ActivityKind.FEEDBACK,
        ActivityKind.HELPED,
        ActivityKind.SPOKE_TO_GROUP,
        ActivityKind.GROUP_CHAT,
    }
)
SHARE_KINDS = frozenset({ActivityKind.SHARED, ActivityKind.SHARED_WITH_COMMENT, ActivityKind.AMPLIFIED})
OWN_CONTENT_KINDS = frozenset({ActivityKind.SHORT_POST, ActivityKind.ORIGINAL_PIECE})


@dataclass(frozen=True)
class Activity:
    kind: ActivityKind
    at: datetime
    note: str = ""


# Ordered: the first pattern that matches wins, so the more specific phrases come first.
_PATTERNS: tuple[tuple[ActivityKind, str], ...] = (
    (
        ActivityKind.AMPLIFIED,
        r"\bamplif(y|ied)\b|\b(shared|reposted|boosted|passed on) (a |my )?colleague'?s\b",
    ),
    (
        ActivityKind.SHARED_WITH_COMMENT,
        r"\b(shared|reposted|retweeted|passed)\b.*\b(comment|thought|line|note|view|take)",
    ),
    (
        ActivityKind.SHARED_WITH_COMMENT,
        r"\b(comment(ed)?|added (a|my) (line|thought|view))\b.*\b(shar|repost)",
    ),
    # Comments on a colleague's draft are feedback; on a post out there, a conversation.
    (ActivityKind.FEEDBACK, r"\b(comment(ed|s)?|notes?)\b.*\bdrafts?\b"),
    # A link passed on is a share, even when the verb is "posted" and the link is to an article.
    (ActivityKind.SHARED, r"\b(posted|shared|dropped)\b.*\blinks?\b"),
    (
        ActivityKind.ORIGINAL_PIECE,
        r"\b(wrote|written|write|published|posted|finished|drafted)\b.*\b(article|blog|essay|piece|newsletter|long(er)? post)",
    ),
    (ActivityKind.ORIGINAL_PIECE, r"\boriginal (piece|post|article)"),
    (ActivityKind.CHECKED_ANALYTICS, r"\b(analytics|stats|impressions|who saw)\b"),
    # Before short posts: "wrote a comment under a post" is a reply, not a post of one's own.
    (
        ActivityKind.REPLIED,
        r"\b(commented|comment(ed)? (on|under)|(left|wrote|added|posted) (a |an |some |my )?(short )?comments?)\b",
    ),
    (ActivityKind.SHORT_POST, r"\b(posted|tweeted|wrote|published)\b|\bshort post\b"),
    (ActivityKind.SHARED, r"\b(shar(e|ed|ing)|repost(ed)?|retweet(ed)?|lik(e|ed)|boost(ed)?)\b"),
    (ActivityKind.REPLIED, r"\b(repl(y|ied|ies)|respond(ed)?|answered comments?)\b"),
    (ActivityKind.ANSWERED, r"\banswer(ed)?\b"),
    (ActivityKind.ASKED, r"\b(ask(ed)?|question)\b"),
    (ActivityKind.FEEDBACK, r"\b(feedback|review(ed)?|proofread)\b"),
    (ActivityKind.HELPED, r"\b(help(ed)?|mentor(ed)?|coach(ed)?)\b"),
    (
        ActivityKind.SPOKE_TO_GROUP,
        r"\b(spoke|talk(ed)?|present(ed)?)\b.*\b(team|group|department|hr|finance|sales)\b",
    ),
    (ActivityKind.GROUP_CHAT, r"\b(group chat|tweet ?chat|chat)\b"),
    (ActivityKind.FOLLOWED, r"\b(follow(ed)?|connect(ed)?|subscrib(e|ed)|hashtag)\b"),
    (ActivityKind.ACCOUNT, r"\b(account|profile|sign(ed)? up|revived?)\b"),
)


def parse_activity(text: str) -> ActivityKind | None:
    """Best-effort reading of 'I shared an article with my thoughts' and friends.

    Exact kind names ('short_post') and labels are accepted too, so buttons and CLIs can be precise.
    """
    lowered = text.lower().strip()
    for kind in ActivityKind:
        if lowered in (kind.value, kind.value.replace("_", " "), kind.label):
            return kind
    for kind, pattern in _PATTERNS:
        if re.search(pattern, lowered):
            return kind
    return None
