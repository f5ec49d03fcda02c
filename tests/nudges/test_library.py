"""Network limits: a suggested text must fit where it will be posted."""

from __future__ import annotations

import pytest

from nudges.activities import ActivityKind, parse_activity
from nudges.library import fits, post_length
from nudges.words import network


def test_x_counts_links_as_23_whatever_their_length_and_after_newlines_too() -> None:
    text = "Read this\nhttps://example.com/" + "a" * 200
    assert post_length("x", text) == len("Read this\n") + 23


def test_x_counts_emoji_and_cjk_twice() -> None:
    assert post_length("x", "hi 😀") == 5
    assert post_length("x", "日本") == 4
    assert post_length("linkedin", "日本") == 2


def test_fits_respects_each_networks_limit() -> None:
    assert fits("x", "a" * 280)
    assert not fits("x", "a" * 281)
    assert fits("linkedin", "a" * 3000)
    assert not fits("bluesky", "a" * 301)


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
