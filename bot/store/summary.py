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
  plain SQL) empties it, by database triggers (migrations ``0016_planning_summary``, ``0021`` and
  ``0022``: an inserted offer the summary already holds leaves it be), and the next reader builds
  it again from that person's offers.

No SQLAlchemy here: planning worker processes and the migration's backfill use it. The text starts
with the instant it was written, in microseconds since the epoch, so a claim can tell without
parsing the rest whether a summary is usable at its ``now``.

The format (version 3) is the engine's own dataclasses as JSON objects, ``Earlier`` as ``"e"`` and
the offers last as ``"o"``, so that msgspec decodes a summary straight into ``Earlier`` and
``Offer`` in C: a tick decodes one per person, and building them in Python (versions 1 and 2:
positional lists, still read) was a quarter of planning with a year of history. Each offer's object
starts with its id and key (``{"id":"…","key":"…",``), which migration ``0022_summary_v3``'s insert
trigger looks for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import msgspec

from bot.store.values import offer_from_values
from nudges.library import Library
from nudges.person import NOTHING_EARLIER, Earlier, History, Offer
from nudges.selection import COMPACT_AFTER, compact

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PREFIX = '{"w":'
# How long a summary may carry offers older than ``COMPACT_AFTER`` before it is compacted again.
RECOMPACT = timedelta(days=14)
VERSION = 3


class _Summary(msgspec.Struct):
    """Version 3 as written: fields in this order (``w`` first for ``usable``, ``o`` last for
    ``appended``)."""

    w: int  # when it was written, microseconds since the epoch
    v: int
    e: Earlier | None  # None: nothing earlier
    o: tuple[Offer, ...]


_DECODER = msgspec.json.Decoder(_Summary)
# Sets sorted: the same history is always the same text.
_ENCODER = msgspec.json.Encoder(order="deterministic")
_V3 = f'"v":{VERSION},'


@lru_cache(maxsize=64)  # a tick asks for its own instant for every person it reads
def _us(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _at(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def summarise(
    offers: Sequence[Offer], now: datetime, earlier: Earlier | None = None, library: Library | None = None
) -> History:
    """The offers (oldest first, after what ``earlier`` sums up) compacted as of ``now``; with the
    ``library`` of ``now``, without the keys of content that has ended (``compact``)."""
    history = History(tuple(offers)) if earlier is None else History(tuple(offers), earlier=earlier)
    return compact(history, now - COMPACT_AFTER, library)


def encode(history: History, written: datetime) -> str:
    """A compacted history (``summarise``) as the column's text."""
    earlier = None if history.earlier == NOTHING_EARLIER else history.earlier
    return _ENCODER.encode(_Summary(_us(written), VERSION, earlier, history.offers)).decode()


def appended(text: str, history: History, offer: Offer, now: datetime, library: Library | None = None) -> str:
    """The summary ``text`` (``history`` decoded from it) with ``offer``, made at ``now``, added.

    The planner adds an offer to everyone it nudges: re-encoding every offer for that was a sixth of
    a tick. A summary whose offers are not all compacted yet is still exact (``compact`` only folds
    what no rule reads one by one any more), so the new offer is appended to the text as it is, and
    the whole is compacted again (``encode``) only once its oldest offer is ``RECOMPACT`` past due."""
    offers = history.offers
    if not _current(text) or (  # an older format is written again in the current one
        offers
        and (
            (offers[-1].offered_at, offers[-1].id) >= (offer.offered_at, offer.id)  # not the newest
            or offers[0].offered_at < now - COMPACT_AFTER - RECOMPACT
        )
    ):
        after = sorted((*offers, offer), key=lambda o: (o.offered_at, o.id))  # the order they are read in
        return encode(summarise(after, now, history.earlier, library), now)
    rest = text[text.index(",") : -2]  # from after the instant it was written to the offers' "]}"
    added = _ENCODER.encode(offer).decode()
    return f"{_PREFIX}{_us(now)}{rest}{',' if offers else ''}{added}]}}"


# Where a summary's instant starts, counted from 1 as SQL's ``substr`` does, and how many digits it
# has (microseconds since the epoch, 16 digits from 2001 to 2286): a summary written at or after an
# instant has these characters at or after ``instant_digits`` of it, compared as digits only, so that
# no collation's way with punctuation matters.
INSTANT_FROM, INSTANT_DIGITS = len(_PREFIX) + 1, 16


def instant_digits(at: datetime) -> str:
    return f"{_us(at):0{INSTANT_DIGITS}d}"


def usable(text: str | None, now: datetime) -> bool:
    """Whether a stored summary plans exactly at ``now``: there is one, written at or before ``now``."""
    return text is not None and text.startswith(_PREFIX) and _written(text) <= _us(now)


def written_at(text: str) -> datetime:
    """When a summary (of a version that starts with its instant) was written."""
    return _at(_written(text))


def _written(text: str) -> int:
    return int(text[len(_PREFIX) : text.index(",")])


def _current(text: str) -> bool:
    return text.startswith(_V3, text.index(",") + 1)


def decode(text: str) -> History:
    """The compacted history a summary holds (no activities: the planner reads recent ones)."""
    if not _current(text):
        return _decode_list_format(text)
    value = _DECODER.decode(text)
    return History(value.o, earlier=NOTHING_EARLIER if value.e is None else value.e)


def _decode_list_format(text: str) -> History:
    """Versions 1 (migration 0016's backfill: instants as microseconds since the epoch) and 2
    (instants as ISO text): offers as positional lists, ``Earlier`` under short names."""
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
