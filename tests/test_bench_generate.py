"""The benchmarks' year of history is one the planner could have made: the plan bench compares a
tick over it with a fresh organisation's, so a history no real person has would measure nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.generate import ITEM_LIVE, NOW, YEAR_ITEMS, generate, long_history
from bot.store.summary import decode, usable
from nudges.selection import FOLLOW_UP_AFTER, FOLLOW_UP_UNTIL


def test_a_year_of_history_has_what_the_planner_makes() -> None:
    rng = random.Random(7)
    published = {item: at for item, at, _ in YEAR_ITEMS}
    kinds: dict[str, int] = {}
    for person in range(200):
        offers, activities = long_history(person, rng, 100)
        assert len(offers) == 100 and len(activities) == 50
        by_id = {offer["id"]: offer for offer in offers}
        shared = [offer["key"] for offer in offers if offer["category"] == "share"]
        assert len(shared) == len(set(shared))  # an item is offered to someone once
        for offer in offers:
            kinds[offer["category"]] = kinds.get(offer["category"], 0) + 1
            assert NOW - timedelta(days=365) <= offer["offered_at"] <= NOW - timedelta(days=2)
            if offer["category"] == "share":  # while the item was live
                start = published[offer["key"].removeprefix("content:")]
                assert start <= offer["offered_at"] < start + ITEM_LIVE
            if offer["category"] == "follow_up":  # of a step left open, 2 to 10 days before
                followed = by_id[offer["key"].removeprefix("follow_up:")]
                assert followed["category"] in ("step", "prompt") and followed["answer"] != "done"
                assert FOLLOW_UP_AFTER <= offer["offered_at"] - followed["offered_at"] <= FOLLOW_UP_UNTIL
    # About the planner's mix (``journeybot simulate``): a quarter shares, a sixth follow-ups.
    assert 0.2 < kinds["share"] / 20_000 < 0.35 and 0.1 < kinds["follow_up"] / 20_000 < 0.25


def test_the_last_days_alone_are_the_same_people_without_the_rest(tmp_path: Path) -> None:
    year, recent = f"sqlite:///{tmp_path / 'year.db'}", f"sqlite:///{tmp_path / 'recent.db'}"
    generate(year, 30, offers_each=100)
    generate(recent, 30, offers_each=100, only_last=timedelta(days=60))
    cutoff = (NOW - timedelta(days=60)).strftime("%Y-%m-%d %H:%M:%S")
    counts = "SELECT count(*) FROM offers WHERE offered_at >= :cut"
    with create_engine(year).connect() as a, create_engine(recent).connect() as b:
        assert a.scalar(text(counts), {"cut": cutoff}) == b.scalar(text("SELECT count(*) FROM offers"))
        assert b.scalar(text("SELECT count(*) FROM offers WHERE offered_at < :cut"), {"cut": cutoff}) == 0
        for (summary,) in a.execute(text("SELECT plan_summary FROM people")):
            assert usable(summary, NOW) and decode(summary).earlier.counting > 0
