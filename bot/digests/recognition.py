"""``journeybot recognition --since DATE``: for a six-month review, the three people with the most real
impact (seed 004: "a reward for the top 3 people who are having a major impact every 6 months"),
among those who opted into public celebration only, each with the evidence. Nobody else appears,
not even as a count.

Impact is what the seeds value, weighted alike: their own original pieces, colleagues' pieces they
amplified, and help given (feedback on drafts, answers, helping someone start, talking to another group).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.store.database import Database
from bot.store.models import ActivityRow, PersonRow
from nudges.activities import ActivityKind

TOP = 3
EVIDENCE: dict[str, frozenset[str]] = {
    "original pieces": frozenset({ActivityKind.ORIGINAL_PIECE.value}),
    "colleagues' pieces amplified": frozenset({ActivityKind.AMPLIFIED.value}),
    "times helping others": frozenset(
        {
            ActivityKind.FEEDBACK.value,
            ActivityKind.ANSWERED.value,
            ActivityKind.HELPED.value,
            ActivityKind.SPOKE_TO_GROUP.value,
        }
    ),
}


@dataclass(frozen=True)
class Recognised:
    name: str
    email: str
    team: str
    evidence: tuple[tuple[str, int], ...]  # (what, how many), in EVIDENCE's order

    @property
    def impact(self) -> int:
        return sum(n for _, n in self.evidence)


async def top_impact(database: Database, since: datetime, until: datetime) -> list[Recognised]:
    kinds = frozenset().union(*EVIDENCE.values())
    query = (
        select(PersonRow.id, PersonRow.name, PersonRow.email, PersonRow.team, ActivityRow.kind, func.count())
        .join(ActivityRow, ActivityRow.person_id == PersonRow.id)
        .where(PersonRow.celebrate_publicly.is_(True), PersonRow.opted_out.is_(False))
        .where(ActivityRow.kind.in_(kinds), ActivityRow.at >= since, ActivityRow.at < until)
        .group_by(PersonRow.id, PersonRow.name, PersonRow.email, PersonRow.team, ActivityRow.kind)
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    who: dict[int, tuple[str, str, str]] = {}
    async with database.sessions() as session:
        for person_id, name, email, team, kind, n in (await session.execute(query)).all():
            counts[person_id][kind] += int(n)
            who[person_id] = (name or email.partition("@")[0], email, team or "")
    recognised = [
        Recognised(
            *who[person_id],
            tuple((what, sum(kinds_of[k] for k in group)) for what, group in EVIDENCE.items()),
        )
        for person_id, kinds_of in counts.items()
    ]
    recognised.sort(key=lambda r: (-r.impact, r.name.casefold(), r.email))
    return recognised[:TOP]


def lines(recognised: list[Recognised], since: datetime) -> list[str]:
    if not recognised:
        return [
            f"Nobody who opted into public celebration has logged pieces, amplification or help since "
            f"{since:%Y-%m-%d}. (Only people who said 'set celebrate public' are ever listed.)"
        ]
    out = [f"Most real impact since {since:%Y-%m-%d}, among people who opted into public celebration:"]
    for n, person in enumerate(recognised, start=1):
        evidence = ", ".join(f"{count} {what}" for what, count in person.evidence if count)
        team = f", {person.team}" if person.team else ""
        out.append(f"{n}. {person.name} <{person.email}>{team}: {evidence}")
    return out
