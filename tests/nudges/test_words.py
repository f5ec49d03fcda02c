"""People's and files' words for networks, topics and zones, read by the one parser."""

from __future__ import annotations

import pytest

from nudges import words
from nudges.zones import Zone


@pytest.mark.parametrize(
    ("text", "networks"),
    [
        ("LinkedIn", ("linkedin",)),
        (" Twitter ", ("x",)),
        ("X (Twitter)", ("x",)),
        ("x/twitter", ("x",)),
        ("linkedin/x", ("linkedin", "x")),
        ("LinkedIn, X", ("linkedin", "x")),
        ("linkedin + mastodon", ("linkedin", "mastodon")),
        ("LinkedIn and a bit of X", ("linkedin", "x")),
        ("mostly LinkedIn, sometimes Bluesky", ("linkedin", "bluesky")),
        ("Instagram & fb", ("instagram", "facebook")),
        ("LinkedIn or XING", ("linkedin", "xing")),
        ("linkedin, LinkedIn", ("linkedin",)),
        ("", ()),
        ("none", ()),
    ],
)
def test_networks_in_a_phrase(text: str, networks: tuple[str, ...]) -> None:
    assert words.networks(text) == networks


def test_unknown_networks_are_named_and_nothing_is_returned() -> None:
    with pytest.raises(words.UnknownNetworks) as raised:
        words.networks("LinkedIn and a bit of MySpace, friendster")
    assert raised.value.names == ("myspace", "friendster")


def test_one_network_name() -> None:
    assert [words.network(n) for n in ("LinkedIn", "fb", "X (Twitter)", "myspace", "linkedin/x")] == [
        "linkedin",
        "facebook",
        "x",
        None,
        None,  # two networks are not one name: a text per network, a list entry per network
    ]


def test_topics_are_trimmed_lower_case_and_each_once() -> None:
    assert words.topics(" Cloud  Security, hiring,, cloud security ") == ("cloud security", "hiring")
    assert words.topics(["Cloud", " AI ", "cloud"]) == ("cloud", "ai")


def test_a_persons_topics_are_short_and_a_handful() -> None:
    assert len(words.person_topics(", ".join(f"topic {n}" for n in range(15)))) == words.TOPICS_KEPT
    with pytest.raises(words.TopicTooLong):
        words.person_topics("cloud, " + "x" * (words.TOPIC_MAX_LENGTH + 1))


def test_topic_terms_are_the_whole_topic_and_its_meaningful_words() -> None:
    assert words.topic_terms("Security and Compliance") == (
        "security and compliance",
        "security",
        "compliance",
    )


@pytest.mark.parametrize(
    "value",
    [
        "sharer",
        "Sharer",
        "content sharer",
        "Content Sharer",
        "Content-Sharer",
        "content_sharer",
        "CONTENT_SHARER",
        2,
        "2",
        " 2 ",
    ],
)
def test_every_spelling_of_a_zone_name(value: object) -> None:
    assert words.zone(value) == Zone.SHARER


@pytest.mark.parametrize("value", ["influencer", "content", 5, "0", True, None, 2.0, "sharers"])
def test_what_is_not_a_zone_name(value: object) -> None:
    assert words.zone(value) is None


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("i'm a sharer", Zone.SHARER),
        ("I’m a Content-Creator now!", Zone.CREATOR),
        ("i am more of a reader", Zone.CONSUMER),
        ("I'm socially engaged.", Zone.ENGAGED),
        ("my zone is 2", Zone.SHARER),
        ("zone: content creator", Zone.CREATOR),
        ("i'm not a creator", None),
        ("i'm engaged in a thread", None),
        ("zone 7", None),
    ],
)
def test_a_declared_zone_is_a_whole_sentence(text: str, zone: Zone | None) -> None:
    assert words.declared_zone(text) == zone


def test_a_zone_in_a_free_answer() -> None:
    assert words.zone_in("I share things now and then") == Zone.SHARER
    assert words.zone_in("3") == Zone.CREATOR
    assert words.zone_in("no idea") is None
