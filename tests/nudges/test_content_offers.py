"""Suggested shares in the engine: who is offered an item (no topics: everyone whose zone fits; teams;
start, expiry, withdrawal), how it looks per zone (consumers follow, sharers pick a network and add
a line), variants per person, and what pressing its buttons records."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from nudges import views
from nudges.activities import ActivityKind
from nudges.dialogue import Turn, respond
from nudges.events import Pressed
from nudges.library import Category, ContentItem, Library
from nudges.messages import Action, Buttons, Quote
from nudges.person import History, Offer, Person
from nudges.selection import CONTENT_PREFERENCE, choose_nudge
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, inside the default window


def person(
    zone: Zone = Zone.SHARER, topics: tuple[str, ...] = ("gardening",), team: str = "Sales", **kw: object
) -> Person:
    return Person(
        "ana@example.com", "Ana", zone=zone, networks=("linkedin", "x"), topics=topics,
        onboarded_at=NOW - timedelta(days=30), team=team, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def item(**kw: object) -> ContentItem:
    values: dict[str, object] = {
        "id": "launch",
        "title": "Our launch",
        "url": "https://example.com/launch",
        "topics": (),
        "texts": {"linkedin": "We launched https://example.com/launch", "x": "Launched! example.com/launch"},
        "company": False,
        "created_at": NOW - timedelta(days=1),
    } | kw
    return ContentItem(**values)  # type: ignore[arg-type]


def offered(who: Person, content: ContentItem, now: datetime = NOW) -> bool:
    """Whether the item is ever chosen for ``who`` (the engine prefers content half the time)."""
    library = Library((), (content,))
    return any(
        (n := choose_nudge(who, History(), library, now, random.Random(seed), on_demand=True)) is not None
        and n.content == content
        for seed in range(20)
    )


def test_an_item_without_topics_reaches_everyone_whose_zone_fits() -> None:
    assert CONTENT_PREFERENCE > 0
    assert offered(person(topics=()), item())
    assert offered(person(topics=("cloud",)), item())
    assert not offered(person(zone=Zone.CREATOR), item(zones=frozenset({Zone.SHARER})))


def test_topics_still_narrow_an_item_that_has_them() -> None:
    assert not offered(person(topics=("cloud",)), item(topics=("gardening",)))
    assert offered(person(topics=("gardening tips",)), item(topics=("gardening",)))


def test_teams_start_expiry_and_withdrawal() -> None:
    assert offered(person(team="sales"), item(teams=frozenset({"sales", "support"})))
    assert not offered(person(team="Finance"), item(teams=frozenset({"sales"})))
    assert offered(person(team="Finance"), item(teams=frozenset()))
    assert not offered(person(), item(starts_at=NOW + timedelta(hours=1)))
    assert offered(person(), item(starts_at=NOW - timedelta(hours=1)))
    assert not offered(person(), item(expires_at=NOW))
    assert not offered(person(), item(withdrawn_at=NOW - timedelta(minutes=1)))


def test_a_consumer_is_invited_to_follow_not_to_share() -> None:
    message = views.share_nudge(item(follow=("@acme", "#launches")), person(zone=Zone.CONSUMER), "o1")
    text = str(message.blocks)
    assert "worth a follow" in text and "@acme" in text and "#launches" in text
    assert [b.action for b in message.buttons] == [Action.FOLLOWED, Action.LATER, Action.NOT_FOR_ME]
    assert not any(isinstance(b, Quote) for b in message.blocks)  # no ready text to post
    from_topics = views.share_nudge(item(topics=("cloud native",)), person(zone=Zone.CONSUMER), "o1")
    assert "#cloudnative" in str(from_topics.blocks)


def test_a_sharer_picks_a_network_then_sees_its_text_with_their_link() -> None:
    links = {"linkedin": "https://bot.example/r/tok-li", "x": "https://bot.example/r/tok-x"}
    card = views.share_nudge(item(), person(), "o1", links.__getitem__)
    assert [b.label for b in card.buttons][:2] == ["LinkedIn", "X"]
    assert [b.value for b in card.buttons][:2] == ["o1 linkedin", "o1 x"]
    text = views.share_text(item(), person(), "o1", "x", links.__getitem__)
    (quote,) = [b for b in text.blocks if isinstance(b, Quote)]
    assert quote.text == "Launched! https://bot.example/r/tok-x"  # the bare domain became their link
    assert "line of your own" in str(text.blocks)
    assert [b.action for b in text.buttons][:2] == [Action.SHARED_IT, Action.SHARED_WITH_LINE]


def test_variants_spread_over_people_and_stay_put_for_each() -> None:
    varied = item(variants={"x": ("Second text example.com/launch", "Third text example.com/launch")})
    chosen = {varied.text_for("x", f"p{n}@example.com") for n in range(60)}
    assert len(chosen) == 3
    assert varied.text_for("x", "ana@example.com") == varied.text_for("x", "ana@example.com")


def turn(who: Person, content: ContentItem, offers: tuple[Offer, ...]) -> Turn:
    return Turn(who, History(offers=offers), Library((), (content,)), NOW, random.Random(1))


def test_pressing_a_network_replaces_the_card_and_i_shared_it_records_the_network() -> None:
    offer = Offer("o1", "content:launch", "share", Category.SHARE, NOW - timedelta(hours=1))
    picked = respond(turn(person(), item(), (offer,)), Pressed(Action.PICK_NETWORK, "o1 x"))
    assert picked.replace is not None and picked.offers == () and picked.answers == ()
    shared = respond(turn(person(), item(), (offer,)), Pressed(Action.SHARED_WITH_LINE, "o1 x"))
    assert [(s.item_id, s.network, s.with_own_line) for s in shared.shares] == [("launch", "x", True)]
    assert [a.kind for a in shared.activities] == [ActivityKind.SHARED_WITH_COMMENT]
    assert shared.replace is not None and not any(isinstance(b, Buttons) for b in shared.replace.blocks)


def test_a_consumer_who_followed_logs_a_follow_and_no_share() -> None:
    offer = Offer("o1", "content:launch", "share", Category.SHARE, NOW - timedelta(hours=1))
    followed = respond(turn(person(zone=Zone.CONSUMER), item(), (offer,)), Pressed(Action.FOLLOWED, "o1"))
    assert [a.kind for a in followed.activities] == [ActivityKind.FOLLOWED] and followed.shares == ()


def test_buttons_of_an_ended_item_say_so_and_record_nothing() -> None:
    offer = Offer("o1", "content:launch", "share", Category.SHARE, NOW - timedelta(hours=1))
    gone = Turn(person(), History(offers=(offer,)), Library(()), NOW, random.Random(1))
    answer = respond(gone, Pressed(Action.SHARED_IT, "o1 x"))
    assert "has ended" in answer.replies[0].fallback and answer.shares == () and answer.answers == ()
    assert views.suggestion_ended(item()).buttons == ()
