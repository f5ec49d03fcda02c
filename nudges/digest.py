"""The manager's weekly team digest: what it says, composed from counts (pure; no I/O, no clock).

The shell (``bot/digests/``) counts a team's week and hands the counts over as a ``TeamWeek``; this
module decides the words. The rules that keep it kind (JOURNEY.md, seeds 002 and 004):

- never a ranking and never a count per person: only the team's totals;
- the only names are those of people who opted into public celebration (``cheered``);
- a team under ``SMALL_TEAM`` people shows no breakdown at all, and any count under ``FEW`` is
  said as "a few", so nobody can be picked out;
- "look down": the small signals (questions, comments, colleagues amplified, copy-edits, steps) come
  before any total, and one concrete, kind suggestion for the manager closes it (seed 004).

``variant`` (the shell passes the week's number) varies the wording from week to week.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nudges.messages import Divider, Fields, Header, Message, Text, literal, plain
from nudges.zones import Zone

FEW = 3  # any count under this is "a few"
SMALL_TEAM = 3  # a team under this many people gets no breakdown at all
BAR_WIDTH = 10
DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_TIME = "09:30"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# The small signals, in the order they are shown, with the words for them.
SIGNALS: tuple[tuple[str, str], ...] = (
    ("questions", "questions asked or answered"),
    ("comments", "comments added"),
    ("amplified", "colleagues' pieces passed on"),
    ("copy_edits", "drafts given feedback or a copy-edit"),
    ("steps", "small steps completed"),
)


@dataclass(frozen=True)
class TeamWeek:
    """A team's week in counts. Nothing in it says who did what, except ``cheered``."""

    team: str
    week_ending: date  # the local day the digest is for
    people: int  # on the journey (opted-out people are not counted)
    zones: Mapping[int, int] = field(default_factory=dict)  # zone number -> people
    moved_up: int = 0  # zone moves this week
    milestones: int = 0  # milestones reached this week, everyone's
    cheered: tuple[tuple[str, str], ...] = ()  # (name, milestone) of people who opted in
    signals: Mapping[str, int] = field(default_factory=dict)  # a SIGNALS key -> count
    content: tuple[tuple[str, int], ...] = ()  # (title, times used), most used first
    close_to_first_piece: int = 0  # short posts written, no longer piece yet
    creators: int = 0  # in the Content Creator zone
    ambassadors: int = 0  # Socially Engaged
    consumers: int = 0
    recognitions: int = 0  # five more original pieces reached this week (seed 004's recognition)


def few(count: int) -> str:
    """A count as it may be shown: "a few" under ``FEW``, the number otherwise."""
    return "a few" if count < FEW else str(count)


def _counted(count: int, many: str) -> str:
    if count <= 0:
        return f"no {many}"
    return f"a few {many}" if count < FEW else f"{count} {many}"


def bar(count: int, largest: int) -> str:
    """One zone's bar: proportional for real counts; a fixed sliver for "a few", so a bar never
    reveals a count under ``FEW``."""
    if count <= 0:
        return "·"
    if count < FEW:
        return "▏ a few"
    width = max(1, round(BAR_WIDTH * count / max(largest, 1)))
    return f"{'█' * width} {count}"


def zone_chart(zones: Mapping[int, int]) -> tuple[tuple[str, str], ...]:
    """(zone label, bar) per zone, consumer first."""
    largest = max((n for n in zones.values() if n >= FEW), default=1)
    return tuple((zone.label, bar(zones.get(int(zone), 0), largest)) for zone in Zone)


_OPENINGS = (
    "Here's how **{team}** did this week.",
    "A quick look at **{team}**'s week.",
    "**{team}**, week ending {day}: a few good things to notice.",
)
_CHEER_LINES = (
    "🎉 Cheer on: {names}.",
    "🎉 Worth a word of thanks: {names}.",
    "🎉 Milestones to celebrate: {names}.",
)


def _names(cheered: tuple[tuple[str, str], ...]) -> str:
    """Each opted-in person once, with their milestones: "**Bea** (first share, first question asked)"."""
    by_person: dict[str, list[str]] = {}
    for name, milestone in cheered:
        by_person.setdefault(name, []).append(milestone_words(milestone))
    return ", ".join(f"**{literal(name)}** ({', '.join(words)})" for name, words in by_person.items())


def without_cheered(text: str, name: str) -> str:
    """A digest's text (a block's markdown or the plain fallback) with ``name``'s cheer taken out:
    "**Bea** (first share), **Cy** (first post of their own)" loses Bea's entry, and a cheer line left
    naming nobody goes altogether. For a digest waiting in the outbox when someone's data is erased."""
    shown = (f"**{literal(name)}**", literal(name), name)
    kept_lines: list[str] = []
    dropped = False
    for line in text.split("\n"):
        if dropped and not line:  # the blank line after a cheer line that went
            dropped = False
            continue
        dropped = False
        for template in _CHEER_LINES:
            before, _, after = template.partition("{names}")
            if line.startswith(before) and line.endswith(after) and len(line) >= len(before) + len(after):
                entries = line[len(before) : len(line) - len(after)].split("), ")
                entries = [e if e.endswith(")") else e + ")" for e in entries]
                kept = [e for e in entries if e.rpartition(" (")[0] not in shown]
                dropped = not kept
                line = before + ", ".join(kept) + after
                break
        if not dropped:
            kept_lines.append(line)
    return "\n".join(kept_lines)


MILESTONE_WORDS: dict[str, str] = {
    "first_share": "first share",
    "first_own_comment": "first share with their own words",
    "first_own_post": "first post of their own",
    "first_conversation": "first conversation",
    "five_originals": "five original pieces",
    "first_question": "first question asked",
    "five_comments": "five comments",
    "amplified_a_colleague": "passed on a colleague's piece",
    "ten_steady_weeks": "ten steady weeks",
    "reached_sharer": "now a Content Sharer",
    "reached_creator": "now a Content Creator",
    "reached_engaged": "now Socially Engaged",
}


def milestone_words(milestone: str) -> str:
    if milestone.startswith("originals_"):
        return f"{milestone.removeprefix('originals_')} original pieces"
    return MILESTONE_WORDS.get(milestone, milestone.replace("_", " "))


def suggestion(week: TeamWeek, variant: int = 0) -> str:
    """One concrete, kind thing the manager could do next (seed 004), the first rule that fits."""
    if week.people < SMALL_TEAM:
        return (
            "Ask in your next one-to-one what caught their eye online this week: a question is a great "
            "way in, and there's no wrong answer."
        )
    if week.close_to_first_piece:
        n = week.close_to_first_piece
        who = "A few people are" if n < FEW else f"{n} people are"
        options = (
            f"{who} close to writing a first longer piece. An SME buddy down the hall, who checks the "
            "facts or adds an example, could help them over the line.",
            f"{who} writing short posts and could be ready for a first longer piece. Pairing them with "
            "a subject-matter expert takes the fear out of it.",
        )
        return options[variant % len(options)]
    if week.ambassadors:
        options = (
            "Invite your ambassadors to talk to another group (finance, HR, pre-sales) about what "
            "social media has brought them: their stories travel further than any guide.",
            "Your Socially Engaged people could start a small group chat of four or five, or ask "
            "sales and marketing which topics they'd love to see covered.",
        )
        return options[variant % len(options)]
    if week.creators:
        options = (
            "Make sure your writers know the copy-editing path: a quick grammar check, their own "
            "voice kept. It's often what stands between a draft and a post.",
            "Announce the team's new pieces where others will see them, so sharers can pass them on "
            "and readers can follow the writers.",
        )
        return options[variant % len(options)]
    if week.consumers:
        return (
            "Share two or three voices worth following in your next team meeting: a good feed is "
            "where the journey starts, and following costs nothing."
        )
    return "Ask the team what they found interesting online this week: small exchanges are the real signal."


def compose(week: TeamWeek, variant: int = 0) -> Message:
    """The digest as a neutral message; its ``fallback`` is the whole digest in plain text."""
    day = f"{week.week_ending.day} {week.week_ending:%B}"
    blocks: list[Header | Text | Fields | Divider] = [Header(f"Team digest · {week.team}")]
    lines: list[str] = [f"Team digest · {week.team}", ""]

    def say(text: str) -> None:
        blocks.append(Text(text))
        lines.extend([plain(text), ""])

    say(_OPENINGS[variant % len(_OPENINGS)].format(team=literal(week.team), day=day))
    small = week.people < SMALL_TEAM
    if small:
        say(
            "The team is small, so I keep its numbers to myself: with so few people, any number would "
            "point at someone. Everyone's journey is their own."
        )
    else:
        chart = zone_chart(week.zones)
        blocks.append(Text("**Where the team is**"))
        blocks.append(Fields(chart))
        lines.append("Where the team is")
        width = max(len(label) for label, _ in chart)
        lines.extend(f"  {label.ljust(width)}  {shown}" for label, shown in chart)
        lines.append("")
        if not week.moved_up:
            moved = "Nobody changed zone this week, and that's fine: habits grow quietly."
        elif week.moved_up < FEW:
            moved = "A few people moved to a new zone this week."
        else:
            moved = f"{week.moved_up} people moved to a new zone this week."
        if week.milestones:
            moved += f" {_counted(week.milestones, 'milestones').capitalize()} reached along the way."
        say(moved)
    if week.cheered:
        cheer = _CHEER_LINES[variant % len(_CHEER_LINES)]
        say(cheer.format(names=_names(week.cheered)))
    if not small:
        shown_signals = [
            _counted(week.signals.get(key, 0), many) for key, many in SIGNALS if week.signals.get(key, 0)
        ]
        if shown_signals:
            say("**The small things that matter**\n" + "\n".join(f"- {s}" for s in shown_signals))
        else:
            say("A quiet week for the small things. A question or a comment is all it takes to start.")
        if week.recognitions:
            say(
                "✍️ Steady writing: "
                + ("someone" if week.recognitions < FEW else f"{week.recognitions} people")
                + " reached another five original pieces. That deserves recognition, whatever the numbers."
            )
        if week.content:
            used = [
                f"- {literal(title)} ({few(n)} {'use' if n == 1 else 'uses'})" for title, n in week.content
            ]
            say("**Suggested shares the team used most**\n" + "\n".join(used))
    blocks.append(Divider())
    lines.append("—")
    idea = suggestion(week, variant)
    say(f"💡 **One idea for this week:** {idea}")
    text = "\n".join(lines).strip() + "\n"
    return Message(tuple(blocks), fallback=text, tags=frozenset({"digest"}))


def parse_weekday(value: str) -> int | None:
    value = value.strip().lower()
    matches = [i for i, name in enumerate(WEEKDAYS) if len(value) >= 2 and name.startswith(value)]
    return matches[0] if len(matches) == 1 else None


def parse_time(value: str) -> str | None:
    try:
        hours, minutes = value.strip().split(":")
        at = time(int(hours), int(minutes))
    except ValueError:
        return None
    return f"{at.hour:02d}:{at.minute:02d}"


def zone_or_utc(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def last_slot(weekday: int, at: str, timezone: str, now: datetime) -> datetime:
    """The latest instant at or before ``now`` that is ``weekday`` at ``at`` (HH:MM) in ``timezone``,
    in UTC. A late tick sees only the latest slot, so missed weeks make one digest, not many."""
    zone = zone_or_utc(timezone)
    hours, minutes = (int(part) for part in at.split(":"))
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    for back in (0, 7):
        wall = datetime.combine(day - timedelta(days=back), time(hours, minutes))
        instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if instant <= now:
            return instant
    raise AssertionError("a slot a week earlier is always in the past")


def week_of(slot: datetime) -> tuple[datetime, datetime]:
    """The week a digest at ``slot`` covers: the seven days up to it."""
    return slot - timedelta(days=7), slot
