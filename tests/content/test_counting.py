"""Texts counted the way each network counts them, with the issue's own examples."""

from __future__ import annotations

import pytest

from bot.content.counting import counted_length, graphemes, only_links, utf16_units
from nudges.library import NETWORK_LIMITS

FAMILY = "👨‍👩‍👧‍👦"  # one grapheme: four people joined by three zero-width joiners (11 UTF-16 units)


def test_a_272_character_x_text_with_a_bare_domain_is_286_for_x() -> None:
    text = "a" * 262 + " acme.io/r"
    assert len(text) == 272
    assert counted_length("x", text) == 286 > NETWORK_LIMITS["x"]


def test_four_bare_domains_count_23_each_on_x() -> None:
    text = "Worth a look: a.io b.io c.io d.io"
    assert counted_length("x", text) == len("Worth a look: ") + 4 * 23 + 3
    # 280 characters by code points, far more for X.
    padded = "w" * (280 - len(text) - 1) + " " + text
    assert len(padded) == 280
    assert counted_length("x", padded) == 280 - 4 * len("a.io") + 4 * 23 == 356


def test_links_with_a_scheme_are_23_on_x_whatever_their_length() -> None:
    text = "Read this\nhttps://example.com/" + "a" * 200
    assert counted_length("x", text) == len("Read this\n") + 23


def test_a_family_emoji_weighs_2_on_x_and_is_one_grapheme() -> None:
    assert len(FAMILY) == 7 and utf16_units(FAMILY) == 11  # what the old count saw
    assert counted_length("x", FAMILY) == 2
    assert graphemes(FAMILY) == 1


def test_cjk_weighs_2_on_x_and_1_elsewhere() -> None:
    assert counted_length("x", "日本") == 4
    assert counted_length("linkedin", "日本") == 2


def test_bluesky_counts_graphemes_so_emoji_posts_fit() -> None:
    text = "Launch day! " + FAMILY * 100 + " 🇩🇪" * 20
    assert len(text) > NETWORK_LIMITS["bluesky"]  # in code points: the old count refused it
    assert counted_length("bluesky", text) == 12 + 100 + 40 <= NETWORK_LIMITS["bluesky"]
    assert counted_length("bluesky", "é" * 301) == 301  # still a limit


def test_mastodon_counts_links_as_23_and_graphemes() -> None:
    text = "Good read " + FAMILY + " https://example.com/" + "x" * 300
    assert counted_length("mastodon", text) == len("Good read ") + 1 + 1 + 23


@pytest.mark.parametrize("network", ["linkedin", "facebook", "instagram", "threads", "xing"])
def test_other_networks_count_utf16_units_the_strict_reading(network: str) -> None:
    assert counted_length(network, "a" * 10) == 10
    assert counted_length(network, "😀") == 2  # never under-counted: an accepted text is never cut


def test_only_a_link_is_recognised_bare_domains_included() -> None:
    assert only_links("https://acme.io/r")
    assert only_links("acme.io/r")
    assert only_links("  https://acme.io/a — acme.io/b ")
    assert not only_links("Why our customers moved: acme.io/r")
    assert not only_links("Новый релиз https://acme.io/r")
    assert not only_links("🎉 https://acme.io/r")  # an emoji says something too
    assert not only_links("No link at all")
