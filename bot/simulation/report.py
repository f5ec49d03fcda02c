"""What a simulated journey comes to: the JSON summary, the week-by-week table and a small SVG plot."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from html import escape
from itertools import pairwise
from typing import Any

from bot.simulation.run import Journey, Seen
from nudges.library import Category
from nudges.zones import Zone

REPEAT_WINDOW = timedelta(days=60)
_SUGGESTED = (Category.STEP, Category.PROMPT, Category.SHARE)


def zone_name(zone: Zone) -> str:
    return zone.name.lower()


def nudges(journey: Journey) -> list[Seen]:
    """The offers that count as nudges (celebrations do not ask anything)."""
    return [s for s in journey.offers if s.reply is not None]


def repeats_within_60_days(journey: Journey) -> int:
    """Suggestions (templates and shares) offered again less than 60 days after the last time."""
    last: dict[str, Seen] = {}
    repeats = 0
    for seen in journey.offers:
        if seen.category not in _SUGGESTED:
            continue
        before = last.get(seen.key)
        if before is not None and seen.at - before.at < REPEAT_WINDOW:
            repeats += 1
        last[seen.key] = seen
    return repeats


def max_silent_gap_weeks(journey: Journey) -> float:
    """The longest stretch without a nudge, in weeks: from the start, between nudges, to the end."""
    moments = [
        journey.start,
        *(s.at for s in nudges(journey)),
        journey.start + timedelta(weeks=journey.weeks),
    ]
    gap = max(b - a for a, b in pairwise(moments))
    return round(gap / timedelta(weeks=1), 1)


def company_share(journey: Journey) -> float:
    counted = nudges(journey)
    return round(sum(s.company for s in counted) / len(counted), 2) if counted else 0.0


def summary(journey: Journey) -> dict[str, Any]:
    """The object ``journeybot simulate --json`` prints."""
    by_week: dict[int, list[Seen]] = {w: [] for w in range(1, journey.weeks + 1)}
    for seen in journey.offers:
        by_week.setdefault(seen.week, []).append(seen)
    return {
        "persona": journey.persona.name,
        "weeks": [
            {
                "week": week,
                "zone": zone_name(journey.zone_by_week[week]),
                "nudges": sum(1 for s in seen if s.reply is not None),
                "offered": [s.key for s in seen],
            }
            for week, seen in sorted(by_week.items())
            if week <= journey.weeks
        ],
        "zone_changes": [{"week": week, "zone": zone_name(zone)} for week, zone in journey.zone_changes],
        "repeats_within_60_days": repeats_within_60_days(journey),
        "max_silent_gap_weeks": max_silent_gap_weeks(journey),
        "company_share": company_share(journey),
        "planning_summary_bytes": summary_bytes(journey),
    }


def summary_bytes(journey: Journey) -> int | None:
    """How long the planning summary is at the end (None: emptied by the last change, rebuilt by the
    next tick)."""
    return None if journey.planning_summary is None else len(journey.planning_summary.encode())


def first_week_in(journey: Journey, zone: Zone) -> int | None:
    """The week the person first stood in ``zone`` or beyond (0: from the start)."""
    if journey.start_zone >= zone:
        return 0
    return next((week for week, reached in journey.zone_changes if reached >= zone), None)


def table(journey: Journey) -> str:
    """The week-by-week table, then the key figures."""
    rows = [f"{journey.persona.name}: {journey.persona.description}", ""]
    rows.append(f"{'week':>4}  {'zone':<17} {'nudges':>6}  {'answers':<16} offered")
    for week in range(1, journey.weeks + 1):
        seen = [s for s in journey.offers if s.week == week]
        replies = Counter(s.reply for s in seen if s.reply is not None)
        answers = ", ".join(f"{n} {r.value}" for r, n in sorted(replies.items())) or "-"
        offered = ", ".join(s.key for s in seen) or "-"
        zone = journey.zone_by_week[week].label
        count = sum(replies.values())
        rows.append(f"{week:>4}  {zone:<17} {count:>6}  {answers:<16} {offered}")
    rows.append("")
    firsts = {zone: first_week_in(journey, zone) for zone in Zone if zone > Zone.CONSUMER}
    reached = ", ".join(
        f"{zone.label} in week {first}" for zone, first in firsts.items() if first is not None
    )
    rows.append(f"zones reached: {reached or 'none beyond the start'}")
    rows.append(
        f"nudges: {len(nudges(journey))}, repeats within 60 days: {repeats_within_60_days(journey)}, "
        f"longest gap: {max_silent_gap_weeks(journey)} weeks, company share: {company_share(journey)}"
    )
    size = summary_bytes(journey)
    rows.append(
        f"planning summary at the end: {'emptied, rebuilt at the next tick' if size is None else f'{size:,} bytes'}"
    )
    return "\n".join(rows)


def svg(journey: Journey) -> str:
    """Zone (a line) and nudges (bars) per week, as a small self-contained SVG."""
    width, height, pad = 40 + 24 * journey.weeks, 240, 30
    plot_h = height - 2 * pad
    counts = [
        sum(1 for s in journey.offers if s.week == w and s.reply is not None)
        for w in range(1, journey.weeks + 1)
    ]
    most = max([*counts, 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="10">',
        f"<title>{escape(journey.persona.name)}: zone and nudges per week</title>",
    ]
    for i, count in enumerate(counts):
        bar = plot_h * count / most / 2
        x = pad + 24 * i
        parts.append(
            f'<rect x="{x}" y="{height - pad - bar:.1f}" width="16" height="{bar:.1f}" fill="#9ecae1"/>'
        )
        parts.append(f'<text x="{x + 8}" y="{height - pad + 12}" text-anchor="middle">{i + 1}</text>')
    points = " ".join(
        f"{pad + 24 * (w - 1) + 8},{height - pad - plot_h * int(journey.zone_by_week[w]) / 4:.1f}"
        for w in range(1, journey.weeks + 1)
    )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#d6604d" stroke-width="2"/>')
    for zone in Zone:
        y = height - pad - plot_h * int(zone) / 4
        parts.append(f'<text x="2" y="{y:.1f}" fill="#d6604d">{zone.name.lower()[:4]}</text>')
    parts.append(f'<text x="{pad}" y="12">{escape(journey.persona.name)}: zone (line), nudges (bars)</text>')
    parts.append("</svg>")
    return "\n".join(parts)
