"""Pick at most one next nudge for a person: gentle, capped, never repetitive, mostly their own interests.

The rules, in the order they apply:

1. Nothing for a person who opted out, has not finished onboarding, or is paused. Unless the person
   asked (``on_demand``: they typed "next"), nothing outside their window (working days and hours in
   their own time zone, minus quiet hours).
2. Celebrations first: a milestone not yet celebrated. They do not count toward the cap, but they
   respect the window like everything else.
3. The cap (skipped on demand): at most ``weekly_allowance`` counting offers in any rolling
   ``CAP_WINDOW``. The allowance starts at ``person.weekly_cap`` and halves for every
   ``IGNORED_STREAK_TO_HALVE`` consecutive ignored nudges (no answer after ``IGNORED_AFTER``), so a
   person who is busy hears less, without anyone saying so. Below 1 it means one nudge per
   ``7 / allowance`` days. And at most ``MAX_PER_LOCAL_DAY`` counting nudge per local calendar day.
4. Follow-ups before new suggestions: a step or prompt answered "Later" (or not at all) between
   ``FOLLOW_UP_AFTER`` and ``FOLLOW_UP_UNTIL`` ago, whose template has a follow-up text, gets one
   "did you get to …?" — unless the person has since logged the very activity it asked for.
5. New suggestions: steps and prompts of the person's zone; once they show most of their zone's
   core steps (``progression.ready_for_stretch`` over ``done_evidence``), *stretch* steps from the zone above, which count
   toward it, for ``progression.STRETCH_SHARE`` of suggestions, and for all of them when the zone
   has nothing left; steps of the zones below only when the person asks for basics. Never a key
   offered in the last ``NO_REPEAT_WITHIN``,
   never outside the person's networks (nor one written for several networks to someone with
   fewer); content items that match their zone, team, topics (the whole topic or any meaningful word
   of it, on either side: "cloud security" meets [cloud]; an item without topics matches everyone)
   and networks, are live (started, not expired, not withdrawn) and were never offered before,
   with company items at most ``1 / COMPANY_ONE_IN`` of all counting offers and at most one in any
   ``COMPANY_ONE_IN`` consecutive ones. When a content item qualifies it is preferred with
   probability ``CONTENT_PREFERENCE``. When nothing fits at all, one kind "you're all caught up"
   note (at most every ``CAUGHT_UP_EVERY``) offers a stretch step or a break instead of silence.
6. A kind retired by "Not for me" (on the person, or answered so anywhere in the history) never
   returns, ever: not as a suggestion, a follow-up, a share or a celebration.

Randomness comes only from the ``rng`` passed in; candidates are sorted before choosing, so a seed
reproduces the same choice.

This module is the rules, top to bottom. What makes them fast enough to plan for a whole
organisation (lists sorted once per library, memoised per combination of a person's choices) lives
in ``nudges/selection_cache.py`` and decides nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from operator import attrgetter

from nudges.activities import ActivityKind
from nudges.library import Category, ContentItem, Library, Template
from nudges.messages import Answer
from nudges.person import Earlier, History, Offer, Person
from nudges.progression import STRETCH_SHARE, ZONE_EVIDENCE, ready_for_stretch
from nudges.schedule import in_window, local_time, local_to_utc, next_window_start
from nudges.selection_cache import LiveItems, Shortlist, index_of, network_set, topic_term_set
from nudges.zones import Zone

# The cap is counted over a rolling week, not calendar weeks, so there is no Monday rush.
CAP_WINDOW = timedelta(days=7)
# An offer with no answer after this long counts as ignored (two days leaves room for a busy day).
IGNORED_AFTER = timedelta(hours=48)
# This many ignored nudges in a row halve the weekly allowance: silence is an answer too. Two: someone
# who never answers hears at most six nudges in their first eight weeks, then at most one a month.
IGNORED_STREAK_TO_HALVE = 2
# Even with room in the weekly cap, one counting nudge per local calendar day is plenty.
MAX_PER_LOCAL_DAY = 1
# A follow-up waits a couple of days (room to do it) and stops after ten (it would feel like nagging).
FOLLOW_UP_AFTER = timedelta(days=2)
FOLLOW_UP_UNTIL = timedelta(days=10)
# "Never repeat the same prompt within 60 days."
NO_REPEAT_WITHIN = timedelta(days=60)
# The "all caught up" note comes at most this often: a kind word, not a weekly reminder.
CAUGHT_UP_EVERY = timedelta(days=21)
CAUGHT_UP_KEY = "caught_up"
# Company content is at most one in this many counting offers: 10 of 10 company posts looks like a bot.
COMPANY_ONE_IN = 3
# When a content item qualifies, how often it wins over a template (the rest is the person's own voice).
CONTENT_PREFERENCE = 0.5
# Only these template categories are suggestions; intros and celebrations are sent by other rules.
SUGGESTED_CATEGORIES = frozenset({Category.STEP, Category.PROMPT})
SHARE_KIND = "share"
CELEBRATION_KIND = "celebration"
# What ``Offer.counts_toward_cap`` leaves out, as a set: the cap is counted for everyone every tick.
_NOT_COUNTING = frozenset({Category.CELEBRATION, Category.INTRO})
# Two instants on the same local calendar day are less than a day apart on the wall clock, plus at
# most a day of offset change (Samoa skipped a whole day in 2011): anything further is another day.
_SAME_DAY_AT_MOST = timedelta(days=3)


@dataclass(frozen=True)
class Nudge:
    """One chosen next step, before it becomes an ``Offer`` in the person's history."""

    category: Category
    key: str  # template id; "content:<id>"; "celebrate:<milestone>"; "follow_up:<offer id>"
    kind: str  # the family "Not for me" retires; a follow-up keeps the followed template's kind
    company: bool = False
    template: Template | None = None
    content: ContentItem | None = None
    milestone: str | None = None
    follows: Offer | None = None

    def to_offer(self, offer_id: str, now: datetime) -> Offer:
        return Offer(
            id=offer_id,
            key=self.key,
            kind=self.kind,
            category=self.category,
            offered_at=now,
            company=self.company,
        )


def choose_nudge(
    person: Person,
    history: History,
    library: Library,
    now: datetime,
    rng: random.Random,
    *,
    on_demand: bool = False,
    basics: bool = False,
) -> Nudge | None:
    """The one next nudge for this person now, or None (see the module docstring for the rules).

    ``basics``: the person asked for something simpler, so steps come from the zones below theirs."""
    return _choose(person, history, library, now, rng, on_demand, basics, None)


def choose_or_next_due(
    person: Person, history: History, library: Library, now: datetime, rng: random.Random,
    *, until: datetime | None = None,
) -> tuple[Nudge | None, datetime | None]:  # fmt: skip
    """``choose_nudge`` as the scheduler asks it (not on demand), and when it has nothing,
    ``next_due_at`` too: the scheduler asks both of everyone who is capped (half of a long-standing
    organisation, any tick), and both read the same kinds, celebrations and counting offers, so
    they are read once. The second is None when there is a nudge (and for "never").

    ``until``: as ``next_due_at``'s."""
    look = _Look(person, history)
    nudge = _choose(person, history, library, now, rng, False, False, look)
    return (nudge, None) if nudge is not None else (None, _next_due(person, history, now, look, until))


class _Look:
    """What the rules read of one person's history, read once for ``choose_nudge`` and
    ``next_due_at`` together (``choose_or_next_due``). Each part is read when first needed, as each
    function would have; ``frees`` keeps what the cap said at ``now`` (``_cap_frees_at``, then the
    local day's answer, which is None when it was not needed: the weekly cap had no room)."""

    __slots__ = ("_celebration", "_counting", "_retired", "frees", "history", "person")

    def __init__(self, person: Person, history: History) -> None:
        self.person, self.history = person, history
        self._retired: frozenset[str] | None = None
        self._celebration: tuple[Nudge | None] | None = None
        self._counting: list[Offer] | None = None
        self.frees: tuple[datetime | None, datetime | None] | None = None  # the cap at now, if asked

    @property
    def retired(self) -> frozenset[str]:
        if self._retired is None:
            self._retired = retired_kinds(self.person, self.history)
        return self._retired

    @property
    def celebration(self) -> Nudge | None:
        if self._celebration is None:
            # Without milestones there is nothing to celebrate: the retired kinds need not be read.
            found = _celebration(self.person, self.history, self.retired) if self.person.milestones else None
            self._celebration = (found,)
        return self._celebration[0]

    @property
    def counting(self) -> list[Offer]:
        if self._counting is None:
            self._counting = _counting(self.history)
        return self._counting


def _choose(
    person: Person, history: History, library: Library, now: datetime, rng: random.Random, on_demand: bool,
    basics: bool, look: _Look | None,
) -> Nudge | None:  # fmt: skip
    if not _reachable(person, now):
        return None
    if not on_demand and not in_window(person.schedule, now):
        return None
    look = look or _Look(person, history)
    celebration = look.celebration
    if celebration is not None:
        return celebration
    counting = look.counting  # sorted once, read by the cap and the company guard
    if not on_demand:
        frees = _cap_frees_at(person, counting, history.earlier, now)
        # Today's count matters only if the week has room now (``_next_due`` works it out otherwise).
        look.frees = (frees, _next_free_local_day(person, counting, now) if frees == now else None)
        if look.frees != (now, now):
            return None
    retired = look.retired
    if basics:
        return _basics(person, history, library, now, rng, retired)
    return _follow_up(history, library, now, retired) or _suggestion(
        person, history, counting, library, now, rng, retired
    )


def weekly_allowance(person: Person, history: History, now: datetime) -> float:
    """The weekly cap after back-off: halved for every few consecutive ignored nudges."""
    return _allowance(person, _counting(history), history.earlier, now)


def counted_this_week(history: History, now: datetime) -> int:
    """Counting offers within the cap's rolling week."""
    return sum(1 for o in _counting(history) if now - o.offered_at < CAP_WINDOW)


def ignored_streak(history: History, now: datetime) -> int:
    """Consecutive ignored counting offers, from the most recent ignored one back to the last answer.

    Offers still waiting (unanswered and younger than ``IGNORED_AFTER``) neither count nor break it.
    """
    return _ignored_streak(_counting(history), history.earlier, now)


def _allowance(person: Person, counting: list[Offer], earlier: Earlier, now: datetime) -> float:
    return person.weekly_cap / 2.0 ** (_ignored_streak(counting, earlier, now) // IGNORED_STREAK_TO_HALVE)


def _ignored_streak(counting: list[Offer], earlier: Earlier, now: datetime) -> int:
    streak = 0
    for offer in reversed(counting):
        if offer.answer is not None:
            return streak
        if now - offer.offered_at > IGNORED_AFTER:
            streak += 1
    # Compacted offers are long past ``IGNORED_AFTER``: the unanswered ones at their end all count.
    return streak + earlier.ignored_tail


def retired_kinds(person: Person, history: History) -> frozenset[str]:
    """Kinds retired on the person, plus any kind ever answered "Not for me" (in case nobody wrote it
    back to the person: the person's word wins either way)."""
    answered = {o.kind for o in history.offers if o.answer == Answer.NOT_FOR_ME}
    return person.retired_kinds | answered | history.earlier.not_for_me


def celebration_pending(person: Person, history: History) -> bool:
    """Whether a milestone of the person's waits to be celebrated (``choose_nudge``'s first rule)."""
    return _Look(person, history).celebration is not None


def next_due_at(
    person: Person, history: History, now: datetime, *, until: datetime | None = None
) -> datetime | None:
    """The earliest instant ≥ now at which ``choose_nudge`` could return something, whatever the library
    holds: the end of a pause, the cap freeing up, the next local day, the next window start, whichever
    is last. None for a person who opted out or is not onboarded, or who has no window or no allowance.

    ``until``: the caller looks again by then whatever the answer, so the answer is the earlier of
    the two ("never" being later than anything). Most capped people's cap frees days away: their
    window and local days need not be worked out at all."""
    return _next_due(person, history, now, _Look(person, history), until)


def _next_due(
    person: Person, history: History, now: datetime, look: _Look, until: datetime | None = None
) -> datetime | None:
    due = _due_before(person, history, now, look, until)
    return due if until is None or (due is not None and due < until) else until


def _due_before(
    person: Person, history: History, now: datetime, look: _Look, until: datetime | None
) -> datetime | None:
    """``next_due_at``'s answer, or anything at or after ``until`` once it is sure to be there."""
    if person.opted_out or not person.onboarded:
        return None
    due = max(now, person.paused_until) if person.paused_until is not None else now
    capped = look.celebration is None
    counting = look.counting
    # Each constraint can only push the instant later, so alternate them until none moves it.
    for _ in range(64):
        if until is not None and due >= until:
            return due
        candidate = due
        if capped:
            # At now, what choose_nudge's cap check found is the answer.
            known = look.frees if due == now else None
            frees, free_day = known or (_cap_frees_at(person, counting, history.earlier, due), None)
            if frees is None:
                return None
            if until is not None and frees >= until:
                return frees
            candidate = free_day or _next_free_local_day(person, counting, frees)
        opens = next_window_start(person.schedule, candidate)
        if opens is None or opens == due:
            return opens
        due = opens
    return due


def activities_read_since(now: datetime) -> datetime:
    """The oldest activity ``choose_nudge`` and ``next_due_at`` can read at ``now``: only a follow-up
    looks at activities (logged since its offer, which is at most ``FOLLOW_UP_UNTIL`` old), so a
    caller may leave older ones out of the ``History`` it passes."""
    return now - FOLLOW_UP_UNTIL


def _reachable(person: Person, now: datetime) -> bool:
    return not person.opted_out and person.onboarded and not person.paused(now)


def _counting(history: History) -> list[Offer]:
    """The offers that count toward the cap, oldest first (``Offer.counts_toward_cap``, inlined)."""
    counting = [o for o in history.offers if o.category not in _NOT_COUNTING]
    counting.sort(key=attrgetter("offered_at"))
    return counting


def _cap_frees_at(person: Person, counting: list[Offer], earlier: Earlier, now: datetime) -> datetime | None:
    """now if the (backed-off) weekly allowance has room for one more counting offer now, else when
    it will at this allowance; None if the allowance is zero. (The allowance can still shrink as
    waiting offers turn "ignored": next_due_at asks again at the instant this returns.)"""
    allowance = _allowance(person, counting, earlier, now)
    if allowance <= 0:
        return None
    offered = [o.offered_at for o in counting if o.offered_at <= now]
    if allowance < 1:
        last = offered[-1] if offered else earlier.last_counting_at  # compacted ones are all past
        frees = last + CAP_WINDOW / allowance if last is not None else now
    else:
        recent = [at for at in offered if at > now - CAP_WINDOW]
        room = int(allowance) - 1  # offers that may stay in the window when one more is added
        frees = recent[len(recent) - room - 1] + CAP_WINDOW if len(recent) > room else now
    return max(frees, now)


def _next_free_local_day(person: Person, counting: list[Offer], now: datetime) -> datetime:
    """now, or the start of the next local day if today already had its counting nudge."""
    today = local_time(person.schedule, now).date()
    # Only offers near now can share its local date; the rest skip the time zone conversion.
    used = sum(
        1
        for o in counting
        if -_SAME_DAY_AT_MOST < o.offered_at - now < _SAME_DAY_AT_MOST
        and _local_date(person, o.offered_at) == today
    )
    if used < MAX_PER_LOCAL_DAY:
        return now
    return local_to_utc(person.schedule, datetime.combine(today + timedelta(days=1), time()))


def _local_date(person: Person, instant: datetime) -> date:
    return local_time(person.schedule, instant).date()


def _celebration(person: Person, history: History, retired: frozenset[str]) -> Nudge | None:
    if not person.milestones or CELEBRATION_KIND in retired:
        return None
    offered = offered_keys(history)
    for milestone in sorted(person.milestones):
        key = f"celebrate:{milestone}"
        if key not in offered:
            return Nudge(Category.CELEBRATION, key, CELEBRATION_KIND, milestone=milestone)
    return None


def _follow_up(history: History, library: Library, now: datetime, retired: frozenset[str]) -> Nudge | None:
    """The oldest open step or prompt still worth a "did you get to …?" (it is the next to age out)."""
    keys = offered_keys(history)
    for offer in sorted(history.offers, key=lambda o: o.offered_at):
        template = library.by_id.get(offer.key)
        if (
            offer.category in SUGGESTED_CATEGORIES
            and offer.answer in (None, Answer.LATER)
            and FOLLOW_UP_AFTER <= now - offer.offered_at <= FOLLOW_UP_UNTIL
            and template is not None
            and template.follow_up
            and f"follow_up:{offer.id}" not in keys
            and offer.kind not in retired
            and template.kind not in retired
            # They already logged what it asked for: asking "did you get to it?" would be noise.
            and not any(a.kind == template.evidence and a.at >= offer.offered_at for a in history.activities)
        ):
            return Nudge(
                Category.FOLLOW_UP, f"follow_up:{offer.id}", template.kind, template=template, follows=offer
            )
    return None


def _suggestion(
    person: Person,
    history: History,
    counting: list[Offer],
    library: Library,
    now: datetime,
    rng: random.Random,
    retired: frozenset[str],
) -> Nudge | None:
    recent = _recent(history, now)
    templates = _eligible_templates(person, recent, library, retired)
    stretch = _eligible_templates(person, recent, library, retired, person.zone + 1)
    items = _eligible_content(person, history, counting, library, now, retired)
    if items and (not (templates or stretch) or rng.random() < CONTENT_PREFERENCE):
        item = rng.choice(items)
        return Nudge(Category.SHARE, f"content:{item.id}", SHARE_KIND, company=item.company, content=item)
    # The draw comes first, so the (costlier) readiness is read for only half the people planned.
    if stretch and (
        not templates
        or (rng.random() < STRETCH_SHARE and ready_for_stretch(person.zone, done_evidence(history, library)))
    ):
        templates = stretch
    if templates:
        template = rng.choice(templates)
        return Nudge(template.category, template.id, template.kind, template=template)
    return _caught_up(person, history, library, now, retired)


def done_evidence(history: History, library: Library) -> Counter[ActivityKind]:
    """The evidence of the bot's own suggestions answered "Done" (a follow-up's Done is written to
    the step it followed too). Read from offers, not activities: the planner passes only recent
    activities (``activities_read_since``), and readiness must not change with what it leaves out."""
    counts: Counter[ActivityKind] = Counter()
    earlier = history.earlier
    if earlier.done_shares:
        counts[ActivityKind.SHARED] += earlier.done_shares
    for key, done in earlier.done_keys:
        if (template := library.by_id.get(key)) is not None:
            counts[template.evidence] += done
    for offer in history.offers:
        if offer.answer != Answer.DONE:
            continue
        if offer.category == Category.SHARE:
            counts[ActivityKind.SHARED] += 1
        elif (template := library.by_id.get(offer.key)) is not None:
            counts[template.evidence] += 1
    return counts


def _basics(
    person: Person,
    history: History,
    library: Library,
    now: datetime,
    rng: random.Random,
    retired: frozenset[str],
) -> Nudge | None:
    """A step from the zones below the person's, nearest first: only when they ask for basics."""
    recent = _recent(history, now)
    for zone in range(person.zone - 1, 0, -1):
        templates = _eligible_templates(person, recent, library, retired, zone)
        if templates:
            template = rng.choice(templates)
            return Nudge(template.category, template.id, template.kind, template=template)
    return None


def _caught_up(
    person: Person, history: History, library: Library, now: datetime, retired: frozenset[str]
) -> Nudge | None:
    """Everything that fits was offered lately: say so kindly (not more than every few weeks).

    Only where the zone has steps at all (an organisation that disabled them all gets silence, not
    praise). The key carries the local day, so it is never the same key twice."""
    last = history.earlier.last_caught_up_at
    if (
        CAUGHT_UP_KEY in retired
        or (last is not None and now - last < CAUGHT_UP_EVERY)
        or any(o.kind == CAUGHT_UP_KEY and now - o.offered_at < CAUGHT_UP_EVERY for o in history.offers)
    ):
        return None
    if not _shortlist(person, library, retired, person.zone).weighted:
        return None
    day = local_time(person.schedule, now).date().isoformat()
    return Nudge(Category.CAUGHT_UP, f"{CAUGHT_UP_KEY}:{day}", CAUGHT_UP_KEY)


def _recent(history: History, now: datetime) -> set[str]:
    """Keys offered within ``NO_REPEAT_WITHIN``: not offered again yet."""
    keys = {o.key for o in history.offers if now - o.offered_at < NO_REPEAT_WITHIN}
    if history.earlier.recent:
        keys.update(key for key, at in history.earlier.recent if now - at < NO_REPEAT_WITHIN)
    return keys


def _eligible_templates(
    person: Person,
    recent: set[str],
    library: Library,
    retired: frozenset[str],
    zone: int | None = None,
) -> Sequence[Template]:
    """Eligible templates of the person's zone (or of ``zone``), sorted by id, none of ``recent``. A
    zone above the person's gives its stretch steps: those whose evidence counts toward it."""
    zone = person.zone if zone is None else zone
    if not 1 <= zone <= 4:
        return ()
    return _shortlist(person, library, retired, zone).without(recent)


def _shortlist(person: Person, library: Library, retired: frozenset[str], zone: int) -> Shortlist:
    """The templates ``_fitting_templates`` gives for the person's choices in ``zone``."""
    networks = network_set(tuple(person.networks))
    counting = ZONE_EVIDENCE[Zone(zone)] if zone > person.zone else None
    index = index_of(library)
    return index.memoised(
        ("templates", zone, networks, retired, counting),
        lambda: Shortlist.of(_fitting_templates(index.templates, zone, networks, retired, counting)),
    )


def _fitting_templates(
    templates: Sequence[tuple[Template, frozenset[str]]],
    zone: int,
    networks: frozenset[str],
    retired: frozenset[str],
    evidence: frozenset[ActivityKind] | None,
) -> tuple[Template, ...]:
    """Suggestions (steps and prompts) of ``zone``, of a kind not retired, that fit the person's
    ``networks``; with ``evidence`` (a zone above theirs), only the stretch steps whose *Done*
    leaves evidence of that zone. In the given order (by id); ``templates`` pairs each template
    with its networks."""
    return tuple(
        template
        for template, written_for in templates
        if template.category in SUGGESTED_CATEGORIES
        and template.zone == zone
        and template.kind not in retired
        and _fits_networks(template, written_for, networks)
        and (evidence is None or template.evidence in evidence)
    )


def _fits_networks(template: Template, written_for: frozenset[str], networks: frozenset[str]) -> bool:
    """Written for any network or one of the person's, and not for more networks than they have."""
    return (not written_for or bool(networks & written_for)) and len(networks) >= template.min_networks


def _eligible_content(
    person: Person,
    history: History,
    counting: list[Offer],
    library: Library,
    now: datetime,
    retired: frozenset[str],
) -> Sequence[ContentItem]:
    """Content items that fit the person (``_fitting_content``), never offered to them before and
    live at ``now``; company items only while the authenticity guard allows one more."""
    if SHARE_KIND in retired:
        return []
    offered = offered_keys(history)
    earlier = history.earlier
    company_offers = earlier.company + sum(1 for o in counting if o.company)
    # Company content is at most 1 in COMPANY_ONE_IN of what a person is offered, counting this one:
    # over the whole history, and in any COMPANY_ONE_IN consecutive offers, so a long run of
    # templates cannot be paid back with company items back to back.
    last_few = (*earlier.company_tail, *(o.company for o in counting))[-(COMPANY_ONE_IN - 1) :]
    company_allowed = (company_offers + 1) * COMPANY_ONE_IN <= earlier.counting + len(
        counting
    ) + 1 and not any(last_few)
    topics, networks = topic_term_set(tuple(person.topics)), network_set(tuple(person.networks))
    index = index_of(library)
    team = person.team.casefold()
    fitting = index.memoised(
        ("content", person.zone, topics, networks, company_allowed, index.team_key(team)),
        lambda: LiveItems.of(
            _fitting_content(index.items, person.zone, topics, networks, company_allowed, team)
        ),
    )
    return fitting.keep(offered, now, lambda item: _fresh(item, offered, now))


def _fitting_content(
    items: Sequence[tuple[ContentItem, frozenset[str], frozenset[str]]],
    zone: Zone,
    topics: frozenset[str],
    networks: frozenset[str],
    company_allowed: bool,
    team: str,
) -> tuple[ContentItem, ...]:
    """Items meant for ``zone``, about one of the person's topics (a topic's terms: the whole
    topic or any meaningful word of it, on either side, so "cloud security" meets [cloud]), with a
    text for one of their networks; company items only if ``company_allowed``. An item without
    topics is for everyone its zones reach; an item for some teams only for people in one of them.
    In the given order (by id); ``items`` pairs each item with its topics' terms and its networks."""
    return tuple(
        item
        for item, about, posted_on in items
        if zone in item.zones
        and (not about or topics & about)
        and networks & posted_on
        and (company_allowed or not item.company)
        and item.for_team(team)
    )


def _fresh(item: ContentItem, offered: set[str], now: datetime) -> bool:
    """Never offered to the person, and live at ``now`` (started, not expired, not withdrawn)."""
    return f"content:{item.id}" not in offered and item.live(now)


def offered_keys(history: History) -> set[str]:
    """Every key offered, as far as a rule can tell: those in ``offers`` and the compacted ones that
    are never offered twice (content, celebrations; a compacted follow-up's key can no longer be
    asked for, so ``Earlier`` does not keep it)."""
    keys = {o.key for o in history.offers}
    if history.earlier.keys:
        keys |= history.earlier.keys
    return keys


# Offers older than this can be compacted into ``Earlier`` without changing a decision: no rule reads
# anything of them but what ``Earlier`` keeps. The longer looks back read only keys and instants,
# which ``Earlier`` keeps (``NO_REPEAT_WITHIN``: ``recent``; ``CAUGHT_UP_EVERY``: ``last_caught_up_at``),
# so they do not make a summary carry weeks of whole offers: every person's summary is read each
# tick, and its whole offers were most of its bytes.
COMPACT_AFTER = max(FOLLOW_UP_UNTIL, CAP_WINDOW, IGNORED_AFTER)
_CONTENT = "content:"
_KEPT_FOREVER = (_CONTENT, "celebrate:")
# A follow-up's key is read only while what it followed may still be followed up: at most
# ``FOLLOW_UP_UNTIL`` after that offer, which came at least ``FOLLOW_UP_AFTER`` before the follow-up.
# So once a follow-up is folded (older than ``COMPACT_AFTER``), no rule can ask for its key again, and
# keeping it would make every summary grow by one key per follow-up for as long as the person stays.
_FOLLOW_UP = "follow_up:"


def _template_id(key: str) -> bool:
    """Whether an offer's key may be a template's id (``Template`` ids have no colon). Only a
    template's "Done" is evidence (``done_evidence`` looks keys up in ``Library.by_id``): the "Done"
    of a follow-up ("follow_up:<offer id>", a new key each time) or of a celebration is never read,
    and keeping it would make every summary grow by one key per answered follow-up for good."""
    return ":" not in key


def compact(history: History, before: datetime, library: Library | None = None) -> History:
    """The same history with the offers made before ``before`` folded into ``History.earlier``.

    Every rule decides the same on it as on the whole history at any instant at or after
    ``before + COMPACT_AFTER`` (offers must be oldest first, as everywhere). Activities are kept as
    they are: callers pass only recent ones (``activities_read_since``).

    ``library``: the content not ended at that instant (not expired, not withdrawn). An item that has
    ended is never offered again, so its key is not kept: a summary then holds the content a person
    may still be offered, not every item of their years. This holds as long as an ended item stays
    ended; the store empties the summaries of everyone offered an item it brings back
    (``Store.upsert_content``)."""
    offers = history.offers
    cut = 0
    while cut < len(offers) and offers[cut].offered_at < before:
        cut += 1
    earlier = history.earlier
    if cut:
        earlier = fold(earlier, offers[:cut])
        # A key offered this long before ``before + COMPACT_AFTER`` is free again by then.
        stale = before + COMPACT_AFTER - NO_REPEAT_WITHIN
        if any(at <= stale for _, at in earlier.recent):
            earlier = replace(earlier, recent=tuple((key, at) for key, at in earlier.recent if at > stale))
    if library is not None:
        # Whether or not anything was folded now: a summary rewritten by turns (which fold little
        # at a time) would otherwise keep what ended since it was last folded with a library.
        ended = {
            key
            for key in earlier.keys
            if key.startswith(_CONTENT) and key[len(_CONTENT) :] not in library.content_ids
        }
        if ended:
            earlier = replace(earlier, keys=earlier.keys - ended)
    if earlier is history.earlier:
        return history
    return replace(history, offers=offers[cut:], earlier=earlier)


def fold(earlier: Earlier, offers: Sequence[Offer]) -> Earlier:
    """``earlier`` with ``offers`` (oldest first, all after what it sums up) added."""
    counting, company, tail = earlier.counting, earlier.company, list(earlier.company_tail)
    ignored, last = earlier.ignored_tail, earlier.last_counting_at
    # (Summaries written before follow-ups were left out still hold some: they go at the next fold.)
    keys = {key for key in earlier.keys if not key.startswith(_FOLLOW_UP)}
    not_for_me = set(earlier.not_for_me)
    # (Summaries written before only templates' were kept still hold others: they go here too.)
    done = {key: count for key, count in earlier.done_keys if _template_id(key)}
    shares = earlier.done_shares
    recent = dict(earlier.recent)
    caught_up = earlier.last_caught_up_at
    for offer in offers:
        if offer.kind == CAUGHT_UP_KEY:
            caught_up = offer.offered_at if caught_up is None else max(caught_up, offer.offered_at)
        elif offer.key.startswith(_KEPT_FOREVER):
            keys.add(offer.key)
        elif offer.key.startswith(_FOLLOW_UP):
            pass  # never asked for again (``_FOLLOW_UP``)
        else:  # only what can be offered again needs its instant (``_recent``)
            recent[offer.key] = max(recent.get(offer.key, offer.offered_at), offer.offered_at)
        if offer.category not in _NOT_COUNTING:
            counting += 1
            company += offer.company
            tail = [*tail, offer.company][-(COMPANY_ONE_IN - 1) :]
            ignored = 0 if offer.answer is not None else ignored + 1
            last = offer.offered_at if last is None else max(last, offer.offered_at)
        if offer.answer == Answer.NOT_FOR_ME:
            not_for_me.add(offer.kind)
        elif offer.answer == Answer.DONE:
            if offer.category == Category.SHARE:
                shares += 1
            elif _template_id(offer.key):
                done[offer.key] = done.get(offer.key, 0) + 1
    return Earlier(
        counting=counting, company=company, company_tail=tuple(tail), ignored_tail=ignored,
        last_counting_at=last, keys=frozenset(keys), not_for_me=frozenset(not_for_me),
        done_keys=tuple(sorted(done.items())), done_shares=shares, recent=tuple(sorted(recent.items())),
        last_caught_up_at=caught_up,
    )  # fmt: skip
