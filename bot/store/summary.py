"""What planning needs of a person's offers, kept on their row (``people.plan_summary``).

The planner used to read every offer of everyone due, each tick: a year of history made a tick
seven times slower. Instead each person's row carries their history compacted at the instant it
was written (``nudges.selection.compact``: the offers of the last ``COMPACT_AFTER`` as they are,
the older ones summed up in ``nudges.person.Earlier``), and a tick reads that one value. Plans from
it are the plans from the whole history, at any instant at or after it was written.

Who keeps it current:

- the planner writes it for everyone it nudged (their new offer appended, ``appended``) and for
  everyone whose summary it had to build from their offers; a turn writes it when it had to build
  it, or changed offers it holds;
- every other change of an offer (the outbox dropping an unsent one, a test or an operator with
  plain SQL) empties it, by database triggers (migrations ``0016_planning_summary`` and
  ``0021_plan_triggers``: an inserted offer the summary already holds leaves it be), and the next
  reader builds it again from that person's offers.

No SQLAlchemy here: planning worker processes and the migration's backfill use it. The text starts
with the instant it was written, in microseconds since the epoch, so a claim can tell without
parsing the rest whether a summary is usable at its ``now``; the offers' instants inside are ISO
text (version 2; the first version's microseconds still read).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from bot.store.values import offer_from_values
from nudges.person import NOTHING_EARLIER, Earlier, History, Offer
from nudges.selection import COMPACT_AFTER, compact

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PREFIX = '{"w":'
# How long a summary may carry offers older than ``COMPACT_AFTER`` before it is compacted again.
RECOMPACT = timedelta(days=14)


@lru_cache(maxsize=64)  # a tick asks for its own instant for every person it reads
def _us(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _at(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def summarise(offers: Sequence[Offer], now: datetime, earlier: Earlier | None = None) -> History:
    """The offers (oldest first, after what ``earlier`` sums up) compacted as of ``now``."""
    history = History(tuple(offers)) if earlier is None else History(tuple(offers), earlier=earlier)
    return compact(history, now - COMPACT_AFTER)


def encode(history: History, written: datetime) -> str:
    """A compacted history (``summarise``) as the column's text."""
    e = history.earlier
    earlier = None if e == NOTHING_EARLIER else {
        "c": e.counting, "co": e.company, "ct": [int(c) for c in e.company_tail], "it": e.ignored_tail,
        "lc": None if e.last_counting_at is None else _us(e.last_counting_at), "k": sorted(e.keys),
        "n": sorted(e.not_for_me), "d": [list(d) for d in e.done_keys], "ds": e.done_shares,
        "r": [[key, at.astimezone(UTC).isoformat()] for key, at in e.recent],
    }  # fmt: skip
    offers = [_offer(o) for o in history.offers]
    body = json.dumps({"v": 2, "e": earlier, "o": offers}, separators=(",", ":"))
    return f"{_PREFIX}{_us(written)},{body[1:]}"


def appended(text: str, history: History, offer: Offer, now: datetime) -> str:
    """The summary ``text`` (``history`` decoded from it) with ``offer``, made at ``now``, added.

    The planner adds an offer to everyone it nudges: re-encoding every offer for that was a sixth of
    a tick. A summary whose offers are not all compacted yet is still exact (``compact`` only folds
    what no rule reads one by one any more), so the new offer is appended to the text as it is, and
    the whole is compacted again (``encode``) only once its oldest offer is ``RECOMPACT`` past due."""
    offers = history.offers
    if offers and (
        (offers[-1].offered_at, offers[-1].id) >= (offer.offered_at, offer.id)  # not the newest
        or offers[0].offered_at < now - COMPACT_AFTER - RECOMPACT
    ):
        after = sorted((*offers, offer), key=lambda o: (o.offered_at, o.id))  # the order they are read in
        return encode(summarise(after, now, history.earlier), now)
    rest = text[text.index(",") : -2]  # from after the instant it was written to the offers' "]}"
    added = json.dumps(_offer(offer), separators=(",", ":"))
    return f"{_PREFIX}{_us(now)}{rest}{',' if offers else ''}{added}]}}"


def _offer(o: Offer) -> list[Any]:
    # Instants as ISO text: ``datetime.fromisoformat`` reads them back four times faster than an
    # epoch count becomes a datetime, and a tick decodes every due person's offers.
    answered = None if o.answered_at is None else o.answered_at.astimezone(UTC).isoformat()
    answer = None if o.answer is None else o.answer.value
    offered = o.offered_at.astimezone(UTC).isoformat()
    return [o.id, o.key, o.kind, o.category.value, int(o.company), offered, answer, answered]


def usable(text: str | None, now: datetime) -> bool:
    """Whether a stored summary plans exactly at ``now``: there is one, written at or before ``now``."""
    return (
        text is not None
        and text.startswith(_PREFIX)
        and int(text[len(_PREFIX) : text.index(",")]) <= _us(now)
    )


def decode(text: str) -> History:
    """The compacted history a summary holds (no activities: the planner reads recent ones)."""
    value: dict[str, Any] = json.loads(text)
    e = value["e"]
    earlier = NOTHING_EARLIER if e is None else Earlier(
        counting=e["c"], company=e["co"], company_tail=tuple(map(bool, e["ct"])), ignored_tail=e["it"],
        last_counting_at=None if e["lc"] is None else _at(e["lc"]), keys=frozenset(e["k"]),
        not_for_me=frozenset(e["n"]), done_keys=tuple(map(tuple, e["d"])), done_shares=e["ds"],
        # Summaries written before ``Earlier.recent`` kept two months of whole offers instead.
        recent=tuple((key, datetime.fromisoformat(at)) for key, at in e.get("r", ())),
    )  # fmt: skip
    # The first version (migration 0016's backfill) counted microseconds since the epoch.
    at: Callable[[Any], datetime] = datetime.fromisoformat if value.get("v") == 2 else _at
    offers = tuple(
        offer_from_values(i, k, kind, c, co, at(t), a, None if aa is None else at(aa))
        for i, k, kind, c, co, t, a, aa in value["o"]
    )
    return History(offers, earlier=earlier)
