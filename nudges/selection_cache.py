"""What ``nudges.selection`` computes again and again, computed once: speed only, no rules.

Planning asks for the next nudge of every person of an organisation (100,000 in the benchmark).
Most of what the rules look at depends only on the library and a few of a person's choices (their
zone, networks, topics and retired kinds), which people share: a few hundred combinations for a
whole organisation. So per library this module keeps

- the templates and content items sorted by id (the order the rules choose from, so ``rng.choice``
  picks exactly what it would from a full sort), with their networks and topic terms normalised;
- a bounded memo of the lists the rules build from them for one combination (``memoised``);

and per process the normalised networks and topic terms of each distinct list a person holds.
What depends on a person's own history (recent keys, offered items) and on ``now`` is filtered
per call from the short, already sorted lists (``Shortlist``, ``LiveItems``).

Nothing here decides what fits whom: every list is built by a function of ``nudges.selection``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from nudges.library import ContentItem, Library, Template
from nudges.words import topic_terms

V = TypeVar("V")


# A person's networks and topics are one of a few combinations in an organisation: normalise each once.
@lru_cache(maxsize=4096)
def network_set(names: tuple[str, ...]) -> frozenset[str]:
    """Networks as a set of lower-case keys."""
    return frozenset(n.lower() for n in names)


@lru_cache(maxsize=4096)
def topic_term_set(names: tuple[str, ...]) -> frozenset[str]:
    """Topics as the terms they match on (``nudges.words.topic_terms`` of each)."""
    return frozenset(term for name in names for term in topic_terms(name))


@dataclass(frozen=True)
class Shortlist:
    """Templates that fit a combination of choices, before the person's recent ones are left out."""

    weighted: tuple[Template, ...]
    ids: frozenset[str]

    @classmethod
    def of(cls, weighted: tuple[Template, ...]) -> Shortlist:
        return cls(weighted, frozenset(t.id for t in weighted))

    def without(self, recent: set[str]) -> Sequence[Template]:
        """Those whose id is not in ``recent``, in order."""
        if self.ids.isdisjoint(recent):
            return self.weighted  # the usual case: nothing recent among them, nothing to copy
        return [t for t in self.weighted if t.id not in recent]


@dataclass(frozen=True)
class LiveItems:
    """Content items that fit a combination of choices, before the person's own history and ``now``."""

    items: tuple[ContentItem, ...]
    keys: frozenset[str]  # their offer keys, "content:<id>"
    live_from: datetime | None  # the latest created_at among them: all exist from then on
    live_until: datetime | None  # the earliest expires_at among them: all live until then

    @classmethod
    def of(cls, items: tuple[ContentItem, ...]) -> LiveItems:
        starts = (i.starts_at or i.created_at for i in items)
        created = [start for start in starts if start is not None]
        expires = [i.expires_at for i in items if i.expires_at is not None]
        if any(i.withdrawn_at is not None for i in items):
            expires.append(datetime.min.replace(tzinfo=UTC))  # never the fast path
        return cls(
            items,
            frozenset(f"content:{i.id}" for i in items),
            max(created) if created else None,
            min(expires) if expires else None,
        )

    def keep(
        self, offered: set[str], now: datetime, fresh: Callable[[ContentItem], bool]
    ) -> Sequence[ContentItem]:
        """Those ``fresh`` keeps, in order. ``fresh`` must keep every item that was never offered
        (its key not in ``offered``) and exists and has not expired at ``now``: then, when that holds
        for all of them, the whole list is returned without asking it item by item."""
        if (
            self.keys.isdisjoint(offered)
            and (self.live_from is None or self.live_from <= now)
            and (self.live_until is None or now < self.live_until)
        ):
            return self.items  # the usual case: the whole list stands
        return [item for item in self.items if fresh(item)]


class LibraryIndex:
    """A library's templates and content items sorted and normalised once, and a memo of what the
    rules build from them."""

    # Distinct combinations kept per library before starting over: bounds memory for odd rosters.
    MEMO_LIMIT = 4096

    def __init__(self, library: Library) -> None:
        # (template, its networks as lower-case keys), by id
        self.templates = [
            (t, frozenset(n.lower() for n in t.networks))
            for t in sorted(library.templates, key=lambda t: t.id)
        ]
        # (item, its topics' terms, its networks as lower-case keys), by id
        self.items = [
            (item, topic_term_set(item.topics), frozenset(n.lower() for n in item.networks()))
            for item in sorted(library.content, key=lambda i: i.id)
        ]
        # Teams some item is meant for: a person of any other team sees what a person of no team
        # sees, so the memo keys them all as one (else every team of a roster is its own entry).
        self.item_teams = frozenset(team for item in library.content for team in item.teams)
        self.memo: dict[tuple[Any, ...], Any] = {}

    def team_key(self, team: str) -> str | None:
        """What of a (case-folded) team the content lists depend on: the team if some item names it."""
        return team if team in self.item_teams else None

    def memoised(self, key: tuple[Any, ...], build: Callable[[], V]) -> V:
        """``build()``, computed once per ``key`` (which must name everything ``build`` reads
        besides this library)."""
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) >= self.MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[key] = build()
        return found


# The last few libraries' indexes, by identity (a Library holds dicts, so it is not hashable). The
# entry keeps its library alive, so an id cannot be reused while its index is here.
_INDEXES: dict[int, tuple[Library, LibraryIndex]] = {}
_INDEXES_KEPT = 8


def index_of(library: Library) -> LibraryIndex:
    entry = _INDEXES.get(id(library))
    if entry is None or entry[0] is not library:
        if len(_INDEXES) >= _INDEXES_KEPT:
            _INDEXES.clear()
        entry = _INDEXES[id(library)] = (library, LibraryIndex(library))
    return entry[1]
