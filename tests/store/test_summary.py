"""A nudged person's summary gets the new offer appended to its text (``bot.store.summary.appended``)
rather than encoded again: what it decodes to must be the fully compacted history, or one that
compacts to exactly it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.store.summary import RECOMPACT, appended, decode, encode, summarise, usable
from nudges.library import Category
from nudges.person import History, Offer
from nudges.selection import COMPACT_AFTER, compact
from tests.nudges.test_compact import NOW, random_history


def offer_at(offer_id: str, at_minutes: int = 0) -> Offer:
    return Offer(offer_id, "follow-a-peer", "follow", Category.STEP, NOW + timedelta(minutes=at_minutes))


def whole(history: History, offer: Offer) -> History:
    """What encoding the history with the offer from scratch gives (the reference)."""
    after = sorted((*history.offers, offer), key=lambda o: (o.offered_at, o.id))
    return decode(encode(summarise(after, NOW, history.earlier), NOW))


@pytest.mark.parametrize("seed", range(60))
def test_an_appended_summary_is_the_whole_summary_once_compacted(seed: int) -> None:
    rng = random.Random(seed)
    written = NOW - timedelta(days=rng.choice((0, 3, 20, 80)))
    full = random_history(rng, rng.choice((0, 1, 3, 40, 100)), never_answers=False)
    before = History(tuple(o for o in full.offers if o.offered_at < written))
    text = encode(summarise(before.offers, written), written)
    history = decode(text)
    offer = offer_at(f"n{seed}")

    after = appended(text, history, offer, NOW)

    assert usable(after, NOW) and not usable(after, NOW - timedelta(microseconds=1))
    got, expected = decode(after), whole(history, offer)
    assert compact(got, NOW - COMPACT_AFTER) == expected
    assert got.offers[-1] == offer
    # Offers carried uncompacted are never more than RECOMPACT past due.
    assert all(o.offered_at >= NOW - COMPACT_AFTER - RECOMPACT for o in got.offers)


def test_an_empty_summary_takes_its_first_offer() -> None:
    text = encode(summarise((), NOW), NOW)
    after = appended(text, decode(text), offer_at("a"), NOW)
    assert decode(after).offers == (offer_at("a"),)


def test_an_offer_that_is_not_the_newest_is_put_in_its_place() -> None:
    history = History((offer_at("b", -5), offer_at("z", 0)))
    text = encode(summarise(history.offers, NOW), NOW)
    after = decode(appended(text, decode(text), offer_at("c", 0), NOW))
    assert [o.id for o in after.offers] == ["b", "c", "z"]


def test_a_summary_carrying_offers_long_past_due_is_compacted_again() -> None:
    old = NOW - COMPACT_AFTER - RECOMPACT - timedelta(days=1)
    history = History((Offer("old", "follow-a-peer", "follow", Category.STEP, old),))
    text = encode(history, old)  # as written back then: nothing to fold yet
    after = decode(appended(text, decode(text), offer_at("new"), NOW))
    assert [o.id for o in after.offers] == ["new"] and after.earlier.counting == 1
