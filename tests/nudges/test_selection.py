"""Which one nudge comes next: the rules by example, then a 12-week simulation of random people."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudges import views
from nudges.activities import Activity, ActivityKind
from nudges.catalogue import BUILTIN
from nudges.library import Category, ContentItem, Library, Template
from nudges.messages import Answer
from nudges.person import WEEKDAYS, History, Offer, Person, Schedule
from nudges.schedule import in_quiet_hours, in_window, local_time
from nudges.selection import (
    CAP_WINDOW,
    CAUGHT_UP_EVERY,
    CAUGHT_UP_KEY,
    COMPACT_AFTER,
    IGNORED_STREAK_TO_HALVE,
    NO_REPEAT_WITHIN,
    Nudge,
    activities_read_since,
    choose_nudge,
    compact,
    next_due_at,
    weekly_allowance,
)
from nudges.zones import Zone
from tests.nudges.test_schedule import ZONES, instants, schedules

C, S, CR, E = Zone.CONSUMER, Zone.SHARER, Zone.CREATOR, Zone.ENGAGED
STEP, PROMPT = Category.STEP, Category.PROMPT


def template(
    id: str,
    zone: Zone,
    category: Category,
    kind: str,
    evidence: ActivityKind,
    follow_up: str = "",
    **kw: object,
) -> Template:
    return Template(
        id, zone, category, kind, id.replace("-", " "), f"Try: {id}", 10, evidence, follow_up, **kw
    )  # type: ignore[arg-type]


TEMPLATES = (
    template("revive-account", C, STEP, "account", ActivityKind.ACCOUNT, "Did you revive it?"),
    template("follow-three", C, STEP, "follow", ActivityKind.FOLLOWED, "Found three voices?"),
    template("follow-hashtag", C, STEP, "follow", ActivityKind.FOLLOWED),
    template("like-one", S, STEP, "share-something", ActivityKind.SHARED, "Did you pass one on?"),
    template("add-a-line", S, PROMPT, "own-line", ActivityKind.SHARED_WITH_COMMENT, "Added your line?"),
    template(
        "short-post", S, PROMPT, "short-post", ActivityKind.SHORT_POST, "Posted it?", networks=("linkedin",)
    ),
    template("x-thread", S, PROMPT, "short-post", ActivityKind.SHORT_POST, networks=("x",)),
    template("lesson-learned", CR, PROMPT, "lesson", ActivityKind.ORIGINAL_PIECE, "Wrote the lesson?"),
    template("peer-group", CR, STEP, "peer-group", ActivityKind.FEEDBACK),
    template("copy-edit", CR, STEP, "copy-edit", ActivityKind.ORIGINAL_PIECE),
    template("topics-for-sales", E, STEP, "topics", ActivityKind.HELPED),
    template(
        "tweet-chat", E, STEP, "tweet-chat", ActivityKind.GROUP_CHAT, "How was the chat?", networks=("x",)
    ),
    template("tell-a-team", E, STEP, "tell-a-team", ActivityKind.SPOKE_TO_GROUP),
    template("intro", C, Category.INTRO, "intro", ActivityKind.ACCOUNT),  # sent by its own rule, never chosen
)


def item(
    id: str, topics: tuple[str, ...], networks: tuple[str, ...], company: bool = True, **kw: object
) -> ContentItem:
    texts = {n: f"{id} on {n}" for n in networks}
    return ContentItem(id, id.title(), f"https://example.org/{id}", topics, texts, company=company, **kw)  # type: ignore[arg-type]


CONTENT = (
    item("cloud-report", ("Cloud",), ("linkedin", "x")),
    item("hiring-tips", ("hiring",), ("linkedin",)),
    item("industry-news", ("cloud", "security"), ("linkedin", "x"), company=False),
    item("old-news", ("cloud",), ("linkedin",), company=False, expires_at=datetime(2025, 1, 1, tzinfo=UTC)),
    item("creators-only", ("cloud",), ("linkedin",), company=False, zones=frozenset({CR, E})),
    item("toot", ("cloud",), ("mastodon",), company=False),
)
LIBRARY = Library(TEMPLATES, CONTENT)
TEMPLATES_ONLY = Library(TEMPLATES)

TUESDAY = datetime(2025, 7, 15, 10, tzinfo=UTC)  # inside the default window (UTC, Mon–Fri 09:30–16:30)
SATURDAY = datetime(2025, 7, 19, 10, tzinfo=UTC)
DAY = timedelta(days=1)


def person(**changes: object) -> Person:
    base = Person(
        key="ada@example.org",
        name="Ada Lovelace",
        zone=S,
        networks=("linkedin",),
        topics=("cloud",),
        onboarded_at=TUESDAY,
    )
    return base.evolve(**changes)


def offered(
    key: str,
    at: datetime,
    *,
    kind: str = "",
    category: Category = STEP,
    answer: Answer | None = Answer.DONE,
    company: bool = False,
    id: str = "",
) -> Offer:
    return Offer(
        id or f"{key}@{at:%Y%m%d%H%M}",
        key,
        kind or key,
        category,
        at,
        company,
        answer,
        at if answer else None,
    )


def history(*offers: Offer, activities: tuple[Activity, ...] = ()) -> History:
    return History(tuple(sorted(offers, key=lambda o: o.offered_at)), activities)


def choose(
    p: Person, h: History = History(), now: datetime = TUESDAY, seed: int = 0, **kw: object
) -> Nudge | None:
    library = kw.pop("library", LIBRARY)
    return choose_nudge(p, h, library, now, random.Random(seed), **kw)  # type: ignore[arg-type]


def choices(
    p: Person, h: History = History(), now: datetime = TUESDAY, n: int = 200, **kw: object
) -> set[str]:
    """The keys ``choose_nudge`` picks over many seeds: what is eligible at all."""
    return {nudge.key for seed in range(n) if (nudge := choose(p, h, now, seed, **kw)) is not None}


# --- who hears anything, and when ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        person(opted_out=True),
        person(pending_question="networks", onboarded_at=None),
        person(paused_until=TUESDAY + DAY),
    ],
    ids=["opted out", "not onboarded", "paused"],
)
@pytest.mark.parametrize("on_demand", [False, True])
def test_nothing_for_people_who_said_not_now(who: Person, on_demand: bool) -> None:
    assert choose(who, on_demand=on_demand) is None


def test_a_pause_ends_on_time() -> None:
    assert choose(person(paused_until=TUESDAY)) is not None


def test_nothing_outside_the_window_unless_asked() -> None:
    assert choose(person(), now=SATURDAY) is None
    assert choose(person(), now=TUESDAY.replace(hour=17)) is None
    assert choose(person(), now=SATURDAY, on_demand=True) is not None


def test_quiet_hours_win_over_working_hours() -> None:
    early = person(
        schedule=Schedule(work_start=time(6), work_end=time(18), quiet_start=time(22), quiet_end=time(7))
    )
    assert choose(early, now=TUESDAY.replace(hour=6, minute=30)) is None
    assert choose(early, now=TUESDAY.replace(hour=7)) is not None


def test_the_window_is_local_across_dst() -> None:
    berlin = person(schedule=Schedule(timezone="Europe/Berlin"))
    assert choose(berlin, now=datetime(2025, 7, 15, 8, tzinfo=UTC)) is not None  # 10:00 CEST
    assert choose(berlin, now=datetime(2025, 1, 14, 8, tzinfo=UTC)) is None  # 09:00 CET


# --- celebrations ---------------------------------------------------------------------------------------


def test_celebrations_come_first_once_each_and_ignore_the_cap() -> None:
    full = history(offered("like-one", TUESDAY - DAY), offered("add-a-line", TUESDAY - 2 * DAY))
    cheered = person(milestones=frozenset({"first_share", "first_own_comment"}))
    first = choose(cheered, full)
    assert first == Nudge(
        Category.CELEBRATION, "celebrate:first_own_comment", "celebration", milestone="first_own_comment"
    )
    both = history(*full.offers, first.to_offer("c1", TUESDAY - timedelta(hours=1)))
    assert choose(cheered, both) == Nudge(
        Category.CELEBRATION, "celebrate:first_share", "celebration", milestone="first_share"
    )
    all_three = history(
        *both.offers, offered("celebrate:first_share", TUESDAY, category=Category.CELEBRATION)
    )
    assert choose(cheered, all_three) is None  # the cap is full, and celebrations did not use it
    assert choose(cheered, all_three, on_demand=True) is not None


def test_celebrations_respect_the_window() -> None:
    assert choose(person(milestones=frozenset({"first_share"})), now=SATURDAY) is None


# --- the cap and the back-off ---------------------------------------------------------------------------


def test_weekly_cap_over_a_rolling_week() -> None:
    two = history(offered("like-one", TUESDAY - 6 * DAY), offered("add-a-line", TUESDAY - 2 * DAY))
    assert choose(person(), two) is None
    assert choose(person(weekly_cap=3), two) is not None
    assert choose(person(), two, now=TUESDAY + DAY) is not None  # the older one left the week
    assert choose(person(), two, on_demand=True) is not None


def test_one_counting_nudge_per_local_day() -> None:
    # Honolulu (UTC−10): 09:45 and 15:00 on the same Tuesday there are two different UTC dates.
    honolulu = person(schedule=Schedule(timezone="Pacific/Honolulu"), weekly_cap=5)
    morning = history(offered("like-one", datetime(2025, 7, 15, 19, 45, tzinfo=UTC)))
    afternoon, next_morning = datetime(2025, 7, 16, 1, tzinfo=UTC), datetime(2025, 7, 16, 19, 45, tzinfo=UTC)
    assert choose(honolulu, morning, now=afternoon) is None
    assert choose(honolulu, morning, now=next_morning) is not None


def ignored(n: int, before: datetime, every: timedelta = DAY) -> list[Offer]:
    return [offered(f"ignored-{i}", before - (i + 3) * every, answer=None) for i in range(n)]


def test_weekly_allowance_halves_for_every_two_ignored_in_a_row() -> None:
    assert IGNORED_STREAK_TO_HALVE == 2
    assert weekly_allowance(person(), history(*ignored(1, TUESDAY)), TUESDAY) == 2
    assert weekly_allowance(person(), history(*ignored(2, TUESDAY)), TUESDAY) == 1
    assert weekly_allowance(person(), history(*ignored(3, TUESDAY)), TUESDAY) == 1
    assert weekly_allowance(person(), history(*ignored(4, TUESDAY)), TUESDAY) == 0.5
    assert weekly_allowance(person(weekly_cap=5), history(*ignored(6, TUESDAY)), TUESDAY) == 0.625


def test_an_answer_ends_the_streak_and_fresh_offers_are_not_ignored_yet() -> None:
    answered = offered("like-one", TUESDAY - 2.5 * DAY, answer=Answer.LATER)
    older = ignored(2, TUESDAY - 3 * DAY)
    assert weekly_allowance(person(), history(*older, answered), TUESDAY) == 2
    waiting = offered("add-a-line", TUESDAY - timedelta(hours=47), answer=None)
    assert weekly_allowance(person(), history(*ignored(2, TUESDAY), waiting), TUESDAY) == 1
    assert weekly_allowance(person(), history(*ignored(1, TUESDAY), waiting), TUESDAY) == 2
    assert weekly_allowance(person(), history(*ignored(1, TUESDAY), waiting), TUESDAY + DAY) == 1
    # Celebrations are not nudges: unanswered, they are not ignored.
    cheers = [
        offered(f"celebrate:{n}", TUESDAY - 5 * DAY, category=Category.CELEBRATION, answer=None)
        for n in "abc"
    ]
    assert weekly_allowance(person(), history(*cheers), TUESDAY) == 2


def test_below_one_a_week_the_allowance_spaces_nudges_out() -> None:
    four_ignored = history(*ignored(4, TUESDAY + 2 * DAY, every=5 * DAY))  # the latest 13 days ago
    assert weekly_allowance(person(), four_ignored, TUESDAY) == 0.5
    assert choose(person(), four_ignored) is None  # one per 14 days
    assert choose(person(), four_ignored, now=TUESDAY + DAY) is not None
    assert choose(person(weekly_cap=0)) is None
    assert choose(person(weekly_cap=0), on_demand=True) is not None


# --- follow-ups -----------------------------------------------------------------------------------------


def later(key: str, days_ago: float, answer: Answer | None = Answer.LATER, **kw: object) -> Offer:
    return offered(key, TUESDAY - days_ago * DAY, answer=answer, id=f"o-{key}", **kw)  # type: ignore[arg-type]


def test_a_step_answered_later_gets_one_follow_up_between_two_and_ten_days() -> None:
    nudge = choose(person(), history(later("add-a-line", 3)))
    assert nudge is not None
    assert (nudge.category, nudge.key, nudge.kind) == (
        Category.FOLLOW_UP,
        "follow_up:o-add-a-line",
        "own-line",
    )
    assert nudge.follows == later("add-a-line", 3) and nudge.template is LIBRARY.by_id["add-a-line"]
    assert choose(person(), history(later("add-a-line", 3, answer=None))).category == Category.FOLLOW_UP
    for too_soon_or_late in (1.9, 10.1):
        assert choose(person(), history(later("add-a-line", too_soon_or_late))).category != Category.FOLLOW_UP


@pytest.mark.parametrize(
    ("offers", "activities", "p"),
    [
        ((later("add-a-line", 3, answer=Answer.DONE),), (), person()),
        ((later("add-a-line", 4), offered("follow_up:o-add-a-line", TUESDAY - 2 * DAY)), (), person()),
        ((later("add-a-line", 3),), (), person(retired_kinds=frozenset({"own-line"}))),
        ((later("peer-group", 3),), (), person()),  # its template has no follow-up text
        ((later("unknown-template", 3),), (), person()),
        ((later("add-a-line", 3, category=Category.SHARE),), (), person()),
        ((later("add-a-line", 3),), (Activity(ActivityKind.SHARED_WITH_COMMENT, TUESDAY - DAY),), person()),
    ],
    ids=["done", "already followed up", "kind retired", "no follow-up text", "unknown", "a share", "did it"],
)
def test_no_follow_up(offers: tuple[Offer, ...], activities: tuple[Activity, ...], p: Person) -> None:
    assert all(
        k.startswith("follow_up:") is False for k in choices(p, history(*offers, activities=activities))
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(LIBRARY.by_id)),
            st.floats(0, 20),
            st.sampled_from([None, Answer.LATER, Answer.DONE]),
        ),
        max_size=4,
    ),
    st.lists(st.tuples(st.sampled_from(list(ActivityKind)), st.floats(0, 20)), max_size=4),
    st.integers(0, 50),
)
def test_activities_before_activities_read_since_never_change_a_choice(
    offers: list[tuple[str, float, Answer | None]], logged: list[tuple[ActivityKind, float]], seed: int
) -> None:
    """The scheduler loads only the activities since ``activities_read_since(now)``."""
    full = history(
        *(
            offered(key, TUESDAY - days * DAY, answer=answer, id=f"o{i}")
            for i, (key, days, answer) in enumerate(offers)
        ),
        activities=tuple(Activity(kind, TUESDAY - days * DAY) for kind, days in logged),
    )
    since = activities_read_since(TUESDAY)
    recent = History(full.offers, tuple(a for a in full.activities if a.at >= since))
    assert choose(person(), full, seed=seed) == choose(person(), recent, seed=seed)
    assert next_due_at(person(), full, TUESDAY) == next_due_at(person(), recent, TUESDAY)


def test_follow_ups_count_toward_the_cap() -> None:
    full = history(later("add-a-line", 3), offered("like-one", TUESDAY - DAY))
    assert choose(person(), full) is None
    assert choose(person(), full, on_demand=True).category == Category.FOLLOW_UP


# --- new suggestions ------------------------------------------------------------------------------------


def test_templates_of_the_zone_within_the_persons_networks() -> None:
    assert choices(person(zone=C), library=TEMPLATES_ONLY) == {
        "revive-account",
        "follow-three",
        "follow-hashtag",
    }
    assert choices(person(zone=S), library=TEMPLATES_ONLY) == {"like-one", "add-a-line", "short-post"}
    on_x = choices(person(zone=S, networks=("x",)), library=TEMPLATES_ONLY)
    assert "x-thread" in on_x and "short-post" not in on_x
    engaged = choices(person(zone=E, networks=("x", "linkedin")), library=TEMPLATES_ONLY)
    assert engaged == {"topics-for-sales", "tweet-chat", "tell-a-team"}


def ready(*keys: str) -> History:
    """Suggestions answered Done a few days ago: what readiness for stretch steps is read from."""
    return history(*(offered(k, TUESDAY - 70 * DAY, answer=Answer.DONE) for k in keys))


def test_stretch_steps_from_the_zone_above_once_most_core_steps_are_done() -> None:
    consumer = person(zone=C)
    # One core step (an account) is not most of them: the zone's own steps only.
    assert choices(consumer, ready("revive-account"), library=TEMPLATES_ONLY) == {
        "revive-account",
        "follow-three",
        "follow-hashtag",
    }
    # An account and some follows: stretch steps join, those whose Done counts toward Sharer.
    both = choices(consumer, ready("revive-account", "follow-three"), library=TEMPLATES_ONLY)
    assert both == {
        "revive-account",
        "follow-three",
        "follow-hashtag",
        "like-one",
        "add-a-line",
        "short-post",
    }
    picks = [
        choose(consumer, ready("revive-account", "follow-three"), seed=seed, library=TEMPLATES_ONLY)
        for seed in range(2000)
    ]
    stretch = sum(1 for n in picks if n is not None and n.template is not None and n.template.zone == S)
    assert 0.4 < stretch / len(picks) < 0.6  # STRETCH_SHARE of them
    # A sharer ready for more gets Creator steps that leave an original piece, never the peer group's
    # feedback (it would not count toward Creator).
    sharer = choices(person(zone=S), ready("like-one", "short-post"), library=TEMPLATES_ONLY, n=400)
    assert {"lesson-learned", "copy-edit"} <= sharer and "peer-group" not in sharer


def test_stretch_steps_when_the_zone_has_nothing_left_and_basics_only_when_asked() -> None:
    consumer = person(zone=C)
    everything = history(*(offered(t.id, TUESDAY - 10 * DAY * (i + 1)) for i, t in enumerate(TEMPLATES[:3])))
    assert choices(consumer, everything, library=TEMPLATES_ONLY) == {"like-one", "add-a-line", "short-post"}
    creator = person(zone=CR)
    assert all(
        t.zone == CR for t in (choose(creator, seed=s, library=TEMPLATES_ONLY).template for s in range(200))
    )
    basics = {choose(creator, seed=s, library=TEMPLATES_ONLY, basics=True).key for s in range(200)}
    assert basics == {"like-one", "add-a-line", "short-post"}  # the nearest zone below first
    assert choose(person(zone=C), library=TEMPLATES_ONLY, basics=True, on_demand=True) is None


def test_never_the_same_key_within_sixty_days() -> None:
    consumer = person(zone=C)
    # (answered Later: two Done core steps would make the person ready for stretch steps too)
    recent = history(
        *(offered(k, TUESDAY - 59 * DAY, answer=Answer.LATER) for k in ("revive-account", "follow-three"))
    )
    assert choices(consumer, recent, library=TEMPLATES_ONLY) == {"follow-hashtag"}
    assert "revive-account" in choices(consumer, recent, now=TUESDAY + 2 * DAY, library=TEMPLATES_ONLY)
    assert NO_REPEAT_WITHIN == timedelta(days=60)


def test_a_retired_kind_never_returns_from_the_person_or_the_history() -> None:
    consumer = person(zone=C)
    assert choices(consumer.evolve(retired_kinds=frozenset({"follow"})), library=TEMPLATES_ONLY) == {
        "revive-account"
    }
    said_no = history(offered("follow-three", TUESDAY - 300 * DAY, kind="follow", answer=Answer.NOT_FOR_ME))
    assert choices(consumer, said_no, library=TEMPLATES_ONLY) == {"revive-account"}


def test_nothing_eligible_is_a_kind_caught_up_note_once_in_a_while() -> None:
    offered_all = history(*(offered(t.id, TUESDAY - 5 * DAY * (i + 1)) for i, t in enumerate(TEMPLATES[:7])))
    note = choose(person(zone=C), offered_all, library=TEMPLATES_ONLY)
    assert note is not None and note.category == Category.CAUGHT_UP and note.kind == CAUGHT_UP_KEY
    again = history(
        *offered_all.offers, offered(note.key, TUESDAY - CAUGHT_UP_EVERY + DAY, kind=CAUGHT_UP_KEY)
    )
    assert choose(person(zone=C), again, library=TEMPLATES_ONLY) is None
    assert choose(person(), library=Library(())) is None  # no steps at all: silence, not praise


def test_a_caught_up_note_folded_into_earlier_still_holds_the_next_one_back() -> None:
    """The planner keeps only the last ``COMPACT_AFTER`` of offers whole (``compact``); a note older
    than that still counts for ``CAUGHT_UP_EVERY``, and frees the next one on the same day as the
    whole history does."""
    offered_all = [offered(t.id, TUESDAY - 5 * DAY * (i + 1)) for i, t in enumerate(TEMPLATES[:7])]
    note_at = TUESDAY - CAUGHT_UP_EVERY + DAY
    assert note_at < TUESDAY - COMPACT_AFTER  # folded away, not kept whole
    whole = history(
        *offered_all, offered("caught_up:x", note_at, kind=CAUGHT_UP_KEY, category=Category.CAUGHT_UP)
    )
    compacted = compact(whole, TUESDAY - COMPACT_AFTER)
    assert all(o.kind != CAUGHT_UP_KEY for o in compacted.offers)
    for h in (whole, compacted):
        assert choose(person(zone=C), h, library=TEMPLATES_ONLY) is None
        later = choose(person(zone=C), h, now=TUESDAY + 2 * DAY, library=TEMPLATES_ONLY)
        assert later is not None and later.kind == CAUGHT_UP_KEY


def test_built_in_steps_fit_the_persons_own_networks() -> None:
    builtin = Library(BUILTIN)
    one = choices(person(networks=("linkedin",)), library=builtin, n=400)
    two = choices(person(networks=("linkedin", "mastodon")), library=builtin, n=400)
    assert "sharer.fit-each-network" not in one  # advice for several networks, to someone with one
    assert "sharer.fit-each-network" in two
    revive = next(t for t in BUILTIN if t.id == "consumer.revive-dormant-account")
    text = views.step_nudge(revive, person(networks=("linkedin",)), "o1").fallback
    assert "old profile on LinkedIn" in text and " X " not in text


def shares(p: Person, h: History = History(), now: datetime = TUESDAY) -> set[str]:
    return {k for k in choices(p, h, now) if k.startswith("content:")}


def warm(now: datetime = TUESDAY) -> History:
    """Two earlier non-company offers: room for one company item (1 in 3, counting the new one)."""
    return history(offered("like-one", now - 20 * DAY), offered("add-a-line", now - 10 * DAY))


WARM = warm()


def test_content_matches_zone_topics_and_networks_and_is_not_expired() -> None:
    assert shares(person(), WARM) == {"content:cloud-report", "content:industry-news"}
    assert shares(person(topics=("CLOUD",)), WARM) == {"content:cloud-report", "content:industry-news"}
    assert shares(person(topics=("hiring",)), WARM) == {"content:hiring-tips"}
    assert shares(person(topics=("gardening",)), WARM) == set()
    assert shares(person(networks=("mastodon",)), WARM) == {"content:toot"}
    assert shares(person(zone=CR), WARM) >= {"content:creators-only"}
    new_year_eve = datetime(2024, 12, 31, 10, tzinfo=UTC)
    assert shares(person(), warm(new_year_eve), new_year_eve) >= {"content:old-news"}


@pytest.mark.parametrize(
    ("topics", "matched"),
    [
        (
            ("cloud security",),
            {"content:cloud-report", "content:industry-news", "content:chains", "content:fairness"},
        ),
        (
            ("Cloud-Security",),
            {"content:cloud-report", "content:industry-news", "content:chains", "content:fairness"},
        ),
        (("cloud",), {"content:cloud-report", "content:industry-news"}),  # industry-news: [cloud, security]
        (("supply chain",), {"content:chains"}),  # tagged [supply chain security]: a word of it
        (("compliance and audits",), {"content:fairness"}),  # [security and compliance]
        (("diversity and inclusion",), set()),  # "and" alone is no topic
        (("cloudy",), set()),  # words, not substrings
    ],
)
def test_a_topic_matches_content_on_the_whole_of_it_or_any_meaningful_word(
    topics: tuple[str, ...], matched: set[str]
) -> None:
    library = Library(
        TEMPLATES,
        (*CONTENT, item("chains", ("supply chain security",), ("linkedin",), company=False),
         item("fairness", ("security and compliance",), ("linkedin",), company=False)),
    )  # fmt: skip
    keys = {k for k in choices(person(topics=topics), WARM, library=library) if k.startswith("content:")}
    assert keys == matched


def test_content_is_offered_once_ever_and_not_after_not_for_me() -> None:
    shared = history(*WARM.offers, offered("content:industry-news", TUESDAY - 200 * DAY, kind="share"))
    assert shares(person(), shared) == {"content:cloud-report"}
    assert shares(person(retired_kinds=frozenset({"share"})), WARM) == set()


def test_company_content_is_at_most_one_in_three() -> None:
    assert shares(person()) == {"content:industry-news"}  # nothing yet: a company item would be 1 in 1
    company_once = history(
        *WARM.offers, offered("content:hiring-tips", TUESDAY - 40 * DAY, kind="share", company=True)
    )
    assert shares(person(), company_once) == {"content:industry-news"}
    more = history(*company_once.offers, *(offered(f"x{i}", TUESDAY - (30 + i) * DAY) for i in range(2)))
    assert shares(person(), more) == {"content:cloud-report", "content:industry-news"}


def test_company_content_never_comes_twice_within_three_offers_after_a_run_of_templates() -> None:
    # Eight template offers leave room, over the whole history, for a few company items; the
    # latest offers still keep them apart.
    steps = [offered(f"t{i}", TUESDAY - (60 - i) * DAY) for i in range(8)]
    company = offered("content:hiring-tips", TUESDAY - 70 * DAY, kind="share", company=True)
    both = {"content:cloud-report", "content:industry-news"}

    def company_then(*after: int) -> History:
        """The steps, then the company item, then template offers ``after`` days ago."""
        latest = [offered(f"x{d}", TUESDAY - d * DAY) for d in after]
        return history(*steps, replace(company, offered_at=TUESDAY - 14 * DAY), *latest)

    assert shares(person(), history(*steps, company)) == both  # long ago: room again
    assert shares(person(), company_then()) == {"content:industry-news"}  # the last one was company
    assert shares(person(), company_then(9)) == {"content:industry-news"}  # one in between: C · C
    assert shares(person(), company_then(12, 9)) == both  # C · · C is one in three


def test_content_is_preferred_half_the_time_and_a_seed_reproduces() -> None:
    picks = [choose(person(), WARM, seed=seed) for seed in range(1000)]
    content = sum(1 for nudge in picks if nudge is not None and nudge.content is not None)
    assert 430 < content < 570
    assert [choose(person(), WARM, seed=seed) for seed in range(50)] == picks[:50]
    nudge = next(n for n in picks if n is not None and n.content is not None and n.company)
    assert (nudge.category, nudge.kind, nudge.company) == (Category.SHARE, "share", True)


def test_to_offer_carries_what_the_history_needs() -> None:
    nudge = Nudge(Category.SHARE, "content:cloud-report", "share", company=True, content=CONTENT[0])
    assert nudge.to_offer("o1", TUESDAY) == Offer(
        "o1", "content:cloud-report", "share", Category.SHARE, TUESDAY, True
    )


# --- next_due_at ----------------------------------------------------------------------------------------


def test_next_due_at_examples() -> None:
    p = person()
    assert next_due_at(p, History(), TUESDAY) == TUESDAY
    assert next_due_at(p.evolve(opted_out=True), History(), TUESDAY) is None
    assert next_due_at(p.evolve(onboarded_at=None), History(), TUESDAY) is None
    assert next_due_at(p.evolve(weekly_cap=0), History(), TUESDAY) is None
    monday = datetime(2025, 7, 21, 9, 30, tzinfo=UTC)
    assert next_due_at(p, History(), SATURDAY) == monday
    assert next_due_at(
        p.evolve(paused_until=TUESDAY + timedelta(hours=2)), History(), TUESDAY
    ) == TUESDAY + timedelta(hours=2)
    assert next_due_at(p.evolve(paused_until=SATURDAY), History(), TUESDAY) == monday
    # The cap: two in the week, the older one leaves it on Thursday at 10:00 (inside the window).
    two = history(offered("like-one", TUESDAY - 5 * DAY), offered("add-a-line", TUESDAY - timedelta(hours=1)))
    assert next_due_at(p, two, TUESDAY) == TUESDAY + 2 * DAY
    # One today already: tomorrow's window.
    one = history(offered("like-one", TUESDAY - timedelta(hours=1)))
    assert next_due_at(p, one, TUESDAY) == TUESDAY + DAY - timedelta(minutes=30)
    # A celebration waits for nothing but the window.
    assert next_due_at(p.evolve(milestones=frozenset({"first_share"})), two, TUESDAY) == TUESDAY


# --- properties -----------------------------------------------------------------------------------------

NETWORKS = ("linkedin", "x", "mastodon")
TOPICS = ("cloud", "hiring", "security", "gardening")
KINDS = tuple(sorted({t.kind for t in TEMPLATES} | {"share", "celebration"}))
ANSWERS = (Answer.DONE, Answer.LATER, Answer.NOT_FOR_ME, None)
MILESTONES = ("first_share", "first_own_comment", "first_own_post", "reached_sharer")
HOUR = timedelta(hours=1)
WEEKS = 12


# Extra template kinds, few enough that "Not for me" retires several templates at once.
EXTRA_KINDS = ("k-ask", "k-reply", "k-thread", "k-photo", "k-poll")


@st.composite
def office_schedules(draw: st.DrawFn) -> Schedule:
    """Mostly office-like windows with evening-to-morning quiet hours; sometimes anything at all."""
    if not draw(st.integers(0, 3)):
        return draw(schedules(ZONES))
    quiet = draw(st.none() | st.tuples(st.integers(19, 23), st.integers(5, 9)))
    return Schedule(
        timezone=draw(st.sampled_from(ZONES)),
        work_days=draw(st.just(WEEKDAYS) | st.frozensets(st.integers(0, 6), min_size=1)),
        work_start=time(draw(st.integers(0, 11)), draw(st.sampled_from((0, 15, 30, 45)))),
        work_end=time(draw(st.integers(12, 23)), draw(st.sampled_from((0, 30, 59)))),
        quiet_start=time(quiet[0]) if quiet else None,
        quiet_end=time(quiet[1]) if quiet else None,
    )


@st.composite
def people(draw: st.DrawFn) -> Person:
    return person(
        zone=draw(st.sampled_from(Zone)),
        networks=tuple(draw(st.lists(st.sampled_from(NETWORKS), unique=True, max_size=3))),
        topics=tuple(draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=3))),
        schedule=draw(office_schedules()),
        weekly_cap=draw(st.sampled_from((2, 3, 5, 1, 0))),
        retired_kinds=draw(st.frozensets(st.sampled_from(KINDS + EXTRA_KINDS), max_size=2)),
    )


@st.composite
def libraries(draw: st.DrawFn) -> Library:
    """Part of the fixture library plus up to 80 generated templates and 40 content items (from a drawn
    seed, so big libraries stay cheap to generate), half of them the company's own."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    fixture = [t for t in TEMPLATES if rng.random() < 0.7]
    extra_templates = [
        template(
            f"t{i}",
            rng.choice(list(Zone)),
            rng.choice((STEP, PROMPT)),
            rng.choice(EXTRA_KINDS),
            rng.choice(list(ActivityKind)),
            rng.choice(("", "How did it go?")),
            networks=rng.choice(((), (), (rng.choice(NETWORKS),))),
        )
        for i in range(draw(st.integers(0, 80)))
    ]
    extra_content = [
        item(
            f"c{i}",
            tuple(rng.sample(TOPICS, rng.randint(1, 2))),
            tuple(rng.sample(NETWORKS, rng.randint(1, 2))),
            company=rng.random() < 0.5,
            zones=frozenset(rng.sample(list(Zone), rng.randint(1, 4))),
            expires_at=rng.choice((None, datetime(2020, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC))),
        )
        for i in range(draw(st.integers(0, 40)))
    ]
    content = [c for c in CONTENT if rng.random() < 0.7] + extra_content
    return Library(tuple(fixture + extra_templates), tuple(content))


@st.composite
def simulations(
    draw: st.DrawFn,
) -> tuple[
    Person, Library, datetime, list[tuple[int, str]], tuple[int, int] | None, random.Random, list[int], bool
]:
    p = draw(people())
    start = draw(instants(p.schedule.timezone))
    hours = WEEKS * 7 * 24
    milestones = draw(st.lists(st.tuples(st.integers(0, hours), st.sampled_from(MILESTONES)), max_size=4))
    pause = draw(st.none() | st.tuples(st.integers(0, hours), st.integers(1, 21 * 24)))
    weights = draw(st.lists(st.integers(0, 5), min_size=4, max_size=4).filter(any))
    write_back = draw(st.booleans())  # does the dialogue write "Not for me" back to the person?
    return (
        p,
        draw(libraries()),
        start,
        milestones,
        pause,
        random.Random(draw(st.integers(0, 2**32))),
        weights,
        write_back,
    )


def simulate(case: tuple) -> tuple[Person, list[tuple[Offer, Person]]]:  # type: ignore[type-arg]
    """Ask every hour for 12 weeks; record each offer with a random answer, as the scheduler would.

    Checks on the way that ``next_due_at`` never promises later than a nudge actually comes.
    """
    p, library, start, milestones, pause, rng, weights, write_back = case
    h = History()
    offers: list[tuple[Offer, Person]] = []
    due = next_due_at(p, h, start)
    for step in range(WEEKS * 7 * 24):
        now = start + step * HOUR
        changed = False
        for at, milestone in milestones:
            if at == step:
                p, changed = p.evolve(milestones=p.milestones | {milestone}), True
        if pause is not None and pause[0] == step:
            p, changed = p.evolve(paused_until=now + pause[1] * HOUR), True
        if changed:
            due = next_due_at(p, h, now)
        nudge = choose_nudge(p, h, library, now, rng)
        if nudge is None:
            continue
        assert due is not None and due <= now, "next_due_at promised later than a nudge came"
        answer = rng.choices(ANSWERS, weights)[0]
        offer = replace(
            nudge.to_offer(f"o{len(offers)}", now), answer=answer, answered_at=now if answer else None
        )
        activities = h.activities
        if answer == Answer.DONE and nudge.template is not None and rng.random() < 0.5:
            activities += (Activity(nudge.template.evidence, now),)
        h = History((*h.offers, offer), activities)
        offers.append((offer, p))
        if answer == Answer.NOT_FOR_ME and write_back:
            p = p.evolve(retired_kinds=p.retired_kinds | {offer.kind})
        due = next_due_at(p, h, now)
    return p, offers


@settings(max_examples=60, deadline=None)
@given(simulations())
def test_twelve_weeks_of_hourly_ticks_keep_every_promise(case: tuple) -> None:  # type: ignore[type-arg]
    first = case[0]
    _, offers = simulate(case)
    counting = [o for o, _ in offers if o.counts_toward_cap]
    for offer, p in offers:
        assert in_window(p.schedule, offer.offered_at) and not in_quiet_hours(p.schedule, offer.offered_at)
        assert not p.paused(offer.offered_at) and offer.kind not in first.retired_kinds
    for offer in counting:
        in_week = [o for o in counting if offer.offered_at - CAP_WINDOW < o.offered_at <= offer.offered_at]
        assert len(in_week) <= first.weekly_cap
        same_day = [
            o
            for o in counting
            if local_time(first.schedule, o.offered_at).date()
            == local_time(first.schedule, offer.offered_at).date()
        ]
        assert len(same_day) == 1
    for i, (offer, _) in enumerate(offers):
        earlier = [o for o, _ in offers[:i]]
        assert not any(
            o.key == offer.key and offer.offered_at - o.offered_at < NO_REPEAT_WITHIN for o in earlier
        )
        assert not any(o.kind == offer.kind and o.answer == Answer.NOT_FOR_ME for o in earlier)
        if offer.category == Category.FOLLOW_UP:
            followed = next(o for o in earlier if offer.key == f"follow_up:{o.id}")
            assert followed.category in (STEP, PROMPT) and followed.answer in (None, Answer.LATER)
            assert timedelta(days=2) <= offer.offered_at - followed.offered_at <= timedelta(days=10)
    for n in range(1, len(counting) + 1):
        assert sum(o.company for o in counting[:n]) * 3 <= n
        assert sum(o.company for o in counting[max(n - 3, 0) : n]) <= 1  # and in any three in a row


BOTTOMLESS = Library(
    tuple(
        template(f"{zone.name.lower()}-{n}", zone, STEP, f"kind-{zone}-{n}", ActivityKind.SHARED)
        for zone in Zone
        for n in range(150)
    )
)


@settings(max_examples=60, deadline=None)
@given(simulations(), st.integers(0, WEEKS * 7 * 24))
def test_next_due_at_is_exactly_when_a_rich_library_would_nudge(case: tuple, hours: int) -> None:  # type: ignore[type-arg]
    """From any state of a simulation: nothing before next_due_at, something at it."""
    start = case[2]
    final, offers = simulate(case)
    now = start + hours * HOUR
    h = History(tuple(o for o, _ in offers if o.offered_at < now))
    due = next_due_at(final, h, now)
    end = now + timedelta(days=14) if due is None else due
    step = max((end - now) / 40, timedelta(minutes=1))
    probes = [now + i * step for i in range(40) if now + i * step < end] + [end - timedelta(seconds=1)]
    for probe in probes:
        if probe >= now:
            assert choose_nudge(final, h, BOTTOMLESS, probe, random.Random(0)) is None, probe
    if due is not None:
        assert choose_nudge(final, h, BOTTOMLESS, due, random.Random(0)) is not None
