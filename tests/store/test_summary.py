"""A nudged person's summary gets the new offer appended to its text (``bot.store.summary.appended``)
rather than encoded again: what it decodes to must be the fully compacted history, or one that
compacts to exactly it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot.store.summary import (
    INSTANT_DIGITS,
    INSTANT_FROM,
    RECOMPACT,
    appended,
    decode,
    encode,
    instant_digits,
    summarise,
    usable,
)
from nudges.library import Category
from nudges.messages import Answer
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


def test_a_summary_of_the_first_format_reads_as_it_did() -> None:
    """Migration 0016 wrote instants as microseconds since the epoch; such summaries stay usable."""
    first = (
        '{"w":1773140820000000,"e":{"c":3,"co":1,"ct":[0,1],"it":2,"lc":1767225600000000,"k":["content:a"],'
        '"n":["follow"],"d":[["follow-a-peer",2]],"ds":1},'
        '"o":[["o1","follow-a-peer","follow","step",0,1773054420000000,"done",1773058020000000],'
        '["o2","content:b","share","share",1,1773140760000000,null,null]]}'
    )
    history = decode(first)
    assert (
        usable(first, NOW)
        and history.earlier.counting == 3
        and history.earlier.done_keys == (("follow-a-peer", 2),)
    )
    assert [(o.id, o.offered_at, o.answered_at) for o in history.offers] == [
        ("o1", NOW - timedelta(days=1), NOW - timedelta(days=1) + timedelta(hours=1)),
        ("o2", NOW - timedelta(minutes=1), None),
    ]
    assert decode(encode(history, NOW)) == history  # and the current format holds the same


def test_a_summary_of_the_second_format_reads_as_it_did() -> None:
    """Version 2 (ISO instants, offers as lists, ``Earlier.recent``) is still in rows after an upgrade."""
    second = (
        '{"w":1773140820000000,"v":2,"e":{"c":1,"co":0,"ct":[0],"it":0,"lc":1767225600000000,"k":[],'
        '"n":[],"d":[],"ds":0,"r":[["follow-a-peer","2026-03-01T09:00:00+00:00"]]},'
        '"o":[["o1","follow-a-peer","follow","step",0,"2026-03-09T11:07:00+00:00","done","2026-03-09T12:07:00+00:00"]]}'
    )
    history = decode(second)
    assert history.earlier.recent[0][0] == "follow-a-peer" and history.offers[0].answer == Answer.DONE
    assert history.offers[0].offered_at == NOW - timedelta(days=1)
    after = appended(second, history, offer_at("new"), NOW)  # written again in the current format
    assert after.startswith('{"w":') and '"v":3,' in after and decode(after).offers[-1] == offer_at("new")
    assert decode(encode(history, NOW)) == history


@pytest.mark.parametrize("seed", range(20))
def test_the_instant_a_summary_was_written_compares_as_its_digits(seed: int) -> None:
    """What ``Store.upsert_content`` compares in SQL (``substr``) to find summaries written since."""
    rng = random.Random(seed)
    written, since = (
        NOW + timedelta(microseconds=rng.randrange(-(10**15) // 2, 10**15 // 2)) for _ in range(2)
    )
    text = encode(History(()), written)
    digits = text[INSTANT_FROM - 1 : INSTANT_FROM - 1 + INSTANT_DIGITS]
    assert (digits >= instant_digits(since)) == (written >= since)
    assert (digits >= instant_digits(written)) and digits.isdigit()
