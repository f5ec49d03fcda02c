"""What planning needs of a person's offers, kept on their row (``people.plan_summary``).

The planner used to read every offer of everyone due, each tick: a year of history made a tick
seven times slower. Instead each person's row carries their history compacted at the instant it
was written (``nudges.selection.compact``: the offers of the last ``COMPACT_AFTER`` as they are,
the older ones summed up in ``nudges.person.Earlier``), and a tick reads that one value. Plans from
it are the plans from the whole history, at any instant at or after it was written.

Who keeps it current:

- the planner writes it for everyone it nudged (their new offer folded in) and for everyone whose
  summary it had to build from their offers;
- every other change of an offer (a turn's answers and offers, the outbox dropping an unsent one,
  a test or an operator with plain SQL) empties it, by database triggers (migration
  ``0016_planning_summary``), and the next tick builds it again from that person's offers.

No SQLAlchemy here: planning worker processes and the migration's backfill use it. Instants are
microseconds since the epoch (cheap to parse); the text starts with the instant it was written, so
a claim can tell without parsing the rest whether a summary is usable at its ``now``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.values import offer_from_values
from nudges.person import Earlier, History, Offer
from nudges.selection import COMPACT_AFTER, compact

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PREFIX = '{"w":'
# How long a summary may carry offers older than ``COMPACT_AFTER`` before it is compacted again.
RECOMPACT = timedelta(days=14)


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
    earlier = {
        "c": e.counting, "co": e.company, "ct": [int(c) for c in e.company_tail], "it": e.ignored_tail,
        "lc": None if e.last_counting_at is None else _us(e.last_counting_at), "k": sorted(e.keys),
        "n": sorted(e.not_for_me), "d": [list(d) for d in e.done_keys], "ds": e.done_shares,
    }  # fmt: skip
    offers = [_offer(o) for o in history.offers]
    return f"{_PREFIX}{_us(written)}," + json.dumps({"e": earlier, "o": offers}, separators=(",", ":"))[1:]


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
    answered = None if o.answered_at is None else _us(o.answered_at)
    answer = None if o.answer is None else o.answer.value
    return [o.id, o.key, o.kind, o.category.value, int(o.company), _us(o.offered_at), answer, answered]


def written_at(text: str) -> datetime:
    """When a summary was written, read off its start."""
    return _at(int(text[len(_PREFIX) : text.index(",")]))


def usable(text: str | None, now: datetime) -> bool:
    """Whether a stored summary plans exactly at ``now``: there is one, written at or before ``now``."""
    return text is not None and text.startswith(_PREFIX) and written_at(text) <= now


def decode(text: str) -> History:
    """The compacted history a summary holds (no activities: the planner reads recent ones)."""
    value: dict[str, Any] = json.loads(text)
    e = value["e"]
    earlier = Earlier(
        counting=e["c"], company=e["co"], company_tail=tuple(bool(c) for c in e["ct"]), ignored_tail=e["it"],
        last_counting_at=None if e["lc"] is None else _at(e["lc"]), keys=frozenset(e["k"]),
        not_for_me=frozenset(e["n"]), done_keys=tuple((k, n) for k, n in e["d"]), done_shares=e["ds"],
    )  # fmt: skip
    offers = tuple(
        offer_from_values(i, k, kind, c, bool(co), _at(at), a, None if aa is None else _at(aa))
        for i, k, kind, c, co, at, a, aa in value["o"]
    )
    return History(offers, earlier=earlier)
