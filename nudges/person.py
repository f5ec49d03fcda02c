"""A person as the engine sees them: their place on the journey, their choices, and their history."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta

from nudges.activities import Activity, ActivityKind
from nudges.library import Category
from nudges.messages import Answer, literal
from nudges.zones import Zone

WEEKDAYS = frozenset(range(5))  # Monday = 0


@dataclass(frozen=True)
class Schedule:
    """When a person may hear from the bot, in their own time zone."""

    timezone: str = "UTC"
    work_days: frozenset[int] = WEEKDAYS
    work_start: time = time(9, 30)
    work_end: time = time(16, 30)
    # Quiet hours may wrap midnight (22:00–07:00); None means none beyond the working window.
    quiet_start: time | None = None
    quiet_end: time | None = None


DEFAULT_WEEKLY_CAP = 2


@dataclass(frozen=True)
class Person:
    key: str  # the organisation's id for them: email by default
    name: str = ""
    zone: Zone = Zone.CONSUMER
    networks: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)
    weekly_cap: int = DEFAULT_WEEKLY_CAP
    paused_until: datetime | None = None
    retired_kinds: frozenset[str] = frozenset()
    # Onboarding as what it means: the question waiting for an answer (its name, one of
    # ``nudges.onboarding.QUESTIONS``), and when the person finished the questions. Neither: they
    # have not started. (A name, not a position: adding a question must not move anyone.)
    pending_question: str | None = None
    onboarded_at: datetime | None = None
    opted_out: bool = False
    roles: frozenset[str] = frozenset({"employee"})
    milestones: frozenset[str] = frozenset()
    team: str = ""  # from the roster; content may be aimed at some teams only
    # Their yes to having milestones named in the team's digest channel (``set celebrate public``).
    celebrate_publicly: bool = False
    # The phrasings the person saw last ("fallback.2", "ack.5"; ``nudges.phrases``), newest last,
    # so a reply is not the same sentence as the one before.
    recent_lines: tuple[str, ...] = ()
    # What the bot's last question waits for, so a typed "yes" or "two weeks" answers it as its
    # buttons would: "note:<kind>|<words>" (shall I note it?) or "pause" (a break, or stop?).
    # Whatever else they say or press next clears it.
    awaiting: str | None = None

    @property
    def onboarded(self) -> bool:
        return self.onboarded_at is not None

    @property
    def mid_onboarding(self) -> bool:
        """Started the questions and not finished them."""
        return self.pending_question is not None and self.onboarded_at is None

    def first_name(self) -> str:
        """For greetings, safe inside markup (a name is whatever the platform profile says)."""
        return literal(self.name.split(" ")[0]) if self.name else "there"

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and now < self.paused_until

    def evolve(self, **changes: object) -> Person:
        return replace(self, **changes)  # type: ignore[arg-type]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def offer_id(at: datetime, random_bits: int) -> str:
    """An offer's id: the instant it was made, in microseconds since the epoch (hex), then 48 random
    bits from the caller. The instant leads so that a restart replaying the same seed, or a replica
    with the same seed, cannot hand out an id already stored, and so that ids grow with time: they are
    added at the end of the offers' primary key index, where random ones each landed on a page of their
    own (with ten million offers SQLite read that page in first: bench/RESULTS.md 1g). The random part
    separates offers made within one microsecond."""
    return f"{(at - _EPOCH) // timedelta(microseconds=1):x}{random_bits:012x}"


@dataclass(frozen=True)
class Offer:
    """A nudge the bot offered, and the person's answer if any."""

    id: str
    key: str  # template id, "content:<id>", "celebrate:<milestone>", "follow_up:<offer id>", "intro"
    kind: str  # the family "Not for me" retires
    category: Category
    offered_at: datetime
    company: bool = False
    answer: Answer | None = None
    answered_at: datetime | None = None

    @property
    def counts_toward_cap(self) -> bool:
        # Celebrations and the one introduction are not nudges to do anything.
        return self.category not in (Category.CELEBRATION, Category.INTRO)


@dataclass(frozen=True)
class Earlier:
    """What older offers add up to when a ``History`` leaves them out of ``offers`` (the planner keeps
    this per person instead of every offer: ``nudges.selection.compact``). Each field is what a rule
    reads of those offers; all of them came before every offer in ``offers``."""

    counting: int = 0  # offers that count toward the cap
    company: int = 0  # of which company content
    company_tail: tuple[bool, ...] = ()  # the company flags of the last few counting ones, oldest first
    ignored_tail: int = 0  # counting offers after the last answered counting one (none answered since)
    last_counting_at: datetime | None = None
    # The keys never offered twice: content and celebrations (a follow-up's key, once compacted, can
    # never be asked for again: ``nudges.selection._FOLLOW_UP``).
    keys: frozenset[str] = frozenset()
    not_for_me: frozenset[str] = frozenset()  # kinds answered "Not for me"
    # (template id, how many) of the template offers answered "Done", one entry per template.
    done_keys: tuple[tuple[str, int], ...] = ()
    done_shares: int = 0  # share offers answered "Done"
    # (key, when last offered) of keys offered lately enough that they are not offered again yet
    # (``NO_REPEAT_WITHIN``, longer than anything else a rule looks back): sorted by key. Only keys
    # that can come again (templates'; the one "intro"): content and celebrations are in ``keys`` for
    # good, follow-ups never come again, and a caught-up note's key is unique (``last_caught_up_at``
    # keeps its instant).
    recent: tuple[tuple[str, datetime], ...] = ()
    last_caught_up_at: datetime | None = None  # the latest "you're caught up" note (``CAUGHT_UP_EVERY``)


NOTHING_EARLIER = Earlier()


@dataclass(frozen=True)
class Logged:
    """What older activities add up to when a turn's ``History`` leaves them out of ``activities``
    (a turn reads the recent ones and these sums: ``bot/store/unit_of_work.py``). All of them came
    in weeks (Monday to Sunday, UTC) before the first activity in ``activities``."""

    count: int = 0
    kinds: tuple[tuple[ActivityKind, int], ...] = ()  # how many of each kind
    weeks: int = 0  # in how many distinct weeks (``progression.steady_weeks``)


NOTHING_LOGGED = Logged()


class Incomplete(LookupError):
    """A bounded history (``History.bounded``) leaves out what an answer needs: the shell loads the
    whole history and asks again. Raised only where the answer could differ, never guessed around."""


@dataclass(frozen=True)
class History:
    """What the engine needs of the past: offers and activities, oldest first; ``earlier`` sums up
    offers left out (none, unless the planner compacted the history), ``logged`` activities left out
    (none, unless a turn bounded its read).

    ``bounded``: offers before the first of ``offers`` may be left out (summed in ``earlier``) and
    activities are left out as ``logged`` says; the dialogue then raises ``Incomplete`` wherever it
    would need one of them (the planner's compacted histories are not bounded: its rules need
    nothing more)."""

    offers: tuple[Offer, ...] = ()
    activities: tuple[Activity, ...] = ()
    earlier: Earlier = NOTHING_EARLIER
    logged: Logged = NOTHING_LOGGED
    bounded: bool = False

    def offer(self, offer_id: str) -> Offer | None:
        found = next((o for o in self.offers if o.id == offer_id), None)
        if found is None and self.bounded:
            raise Incomplete(f"offer {offer_id}")
        return found
