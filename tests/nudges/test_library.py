"""Network names and free-text activities. (How texts are counted: tests/content/test_counting.py.)"""

from __future__ import annotations

import pytest

from nudges.activities import ActivityKind, parse_activity
from nudges.words import network


def test_network_aliases() -> None:
    assert network(" Twitter ") == "x"
    assert network("LinkedIn") == "linkedin"
    assert network("myspace") is None


def test_free_text_activities() -> None:
    assert parse_activity("I shared an article") == ActivityKind.SHARED
    assert parse_activity("shared a post with my own comment") == ActivityKind.SHARED_WITH_COMMENT
    assert parse_activity("I wrote a blog post about hiring") == ActivityKind.ORIGINAL_PIECE
    assert parse_activity("posted a short tweet") == ActivityKind.SHORT_POST
    assert parse_activity("replied to comments on my post") == ActivityKind.REPLIED
    assert parse_activity("followed three people in cloud security") == ActivityKind.FOLLOWED
    assert parse_activity("short_post") == ActivityKind.SHORT_POST
    assert parse_activity("what a lovely day") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I commented on a post", ActivityKind.REPLIED),
        ("I left a comment under a post", ActivityKind.REPLIED),
        ("wrote a comment under Sam's post about hiring", ActivityKind.REPLIED),
        ("commented on a thread about cloud costs", ActivityKind.REPLIED),
        ("I commented on a colleague's draft", ActivityKind.FEEDBACK),
        ("I posted my first article", ActivityKind.ORIGINAL_PIECE),
        ("posted an article on LinkedIn", ActivityKind.ORIGINAL_PIECE),
        ("I posted a link to an article I liked", ActivityKind.SHARED),
        ("I posted a short update", ActivityKind.SHORT_POST),
        ("I shared a post and added a comment", ActivityKind.SHARED_WITH_COMMENT),
        ("commented and reposted it", ActivityKind.SHARED_WITH_COMMENT),
        ("I replied to comments", ActivityKind.REPLIED),
    ],
)
def test_free_text_comments_posts_and_articles(text: str, kind: ActivityKind) -> None:
    assert parse_activity(text) == kind
