"""A team's week in counts (``nudges.digest.TeamWeek``), read from the database.

Per-person numbers are read only to be summed here (who is close to a first longer piece); nothing
that leaves this module says who did what, except the names of people who opted into public
celebration (``people.celebrate_publicly``) next to their milestone.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.database import Database
from bot.store.models import ActivityRow, ContentItemRow, ContentShareRow, OfferRow, PersonRow
from nudges.activities import ActivityKind
from nudges.digest import TeamWeek, zone_or_utc
from nudges.library import Category
from nudges.messages import Answer

# Which logged activities count as which of the digest's small signals.
SIGNAL_KINDS: dict[str, frozenset[str]] = {
    "questions": frozenset({ActivityKind.ASKED.value, ActivityKind.ANSWERED.value}),
    "comments": frozenset({ActivityKind.REPLIED.value, ActivityKind.SHARED_WITH_COMMENT.value}),
    "amplified": frozenset({ActivityKind.AMPLIFIED.value}),
    "copy_edits": frozenset({ActivityKind.FEEDBACK.value}),
}
TOP_CONTENT = 3


def _display_name(name: str, email: str) -> str:
    return name.strip() or email.partition("@")[0]


async def team_week(database: Database, team: str, start: datetime, end: datetime, timezone: str) -> TeamWeek:
    """The counts of ``team``'s week [start, end)."""
    async with database.sessions() as session:
        members = (
            await session.execute(
                select(
                    PersonRow.id,
                    PersonRow.name,
                    PersonRow.email,
                    PersonRow.zone,
                    PersonRow.celebrate_publicly,
                )
                .where(func.lower(PersonRow.team) == team.casefold(), PersonRow.opted_out.is_(False))
                .order_by(PersonRow.id)
            )
        ).all()
        ids = [m.id for m in members]
        week_ending = end.astimezone(zone_or_utc(timezone)).date()
        if not ids:
            return TeamWeek(team=team, week_ending=week_ending, people=0)
        zones = Counter(int(m.zone) for m in members)
        kinds = await _activity_counts(session, ids, start, end)
        signals = {key: sum(kinds[k] for k in group) for key, group in SIGNAL_KINDS.items()}
        signals["steps"] = await _steps_done(session, ids, start, end)
        celebrations = (
            await session.execute(
                select(OfferRow.person_id, OfferRow.key).where(
                    OfferRow.person_id.in_(ids),
                    OfferRow.category == Category.CELEBRATION.value,
                    OfferRow.offered_at >= start,
                    OfferRow.offered_at < end,
                )
            )
        ).all()
        close = await _close_to_first_piece(session, [m.id for m in members if m.zone == 2])
        content = await _content_used(session, ids, start, end)
    milestones = [(c.person_id, c.key.removeprefix("celebrate:")) for c in celebrations]
    public = {m.id: _display_name(m.name, m.email) for m in members if m.celebrate_publicly}
    cheered = tuple(
        dict.fromkeys((public[person], milestone) for person, milestone in milestones if person in public)
    )
    return TeamWeek(
        team=team,
        week_ending=week_ending,
        people=len(ids),
        zones=dict(zones),
        moved_up=sum(1 for _, m in milestones if m.startswith("reached_")),
        milestones=len(milestones),
        cheered=cheered,
        signals=signals,
        content=content,
        close_to_first_piece=close,
        consumers=zones.get(1, 0),
        creators=zones.get(3, 0),
        ambassadors=zones.get(4, 0),
        recognitions=sum(1 for _, m in milestones if m == "five_originals" or m.startswith("originals_")),
    )


async def _activity_counts(
    session: AsyncSession, ids: list[int], start: datetime, end: datetime
) -> Counter[str]:
    rows = await session.execute(
        select(ActivityRow.kind, func.count())
        .where(ActivityRow.person_id.in_(ids), ActivityRow.at >= start, ActivityRow.at < end)
        .group_by(ActivityRow.kind)
    )
    return Counter({str(kind): int(n) for kind, n in rows.all()})


async def _steps_done(session: AsyncSession, ids: list[int], start: datetime, end: datetime) -> int:
    query = select(func.count()).where(
        OfferRow.person_id.in_(ids),
        OfferRow.answer == Answer.DONE.value,
        OfferRow.answered_at >= start,
        OfferRow.answered_at < end,
        OfferRow.category != Category.CELEBRATION.value,
    )
    return int(await session.scalar(query) or 0)


async def _close_to_first_piece(session: AsyncSession, sharers: list[int]) -> int:
    """Sharers who have written short posts of their own and no longer piece yet."""
    if not sharers:
        return 0
    rows = await session.execute(
        select(ActivityRow.person_id, ActivityRow.kind)
        .where(
            ActivityRow.person_id.in_(sharers),
            ActivityRow.kind.in_((ActivityKind.SHORT_POST.value, ActivityKind.ORIGINAL_PIECE.value)),
        )
        .distinct()
    )
    kinds: dict[int, set[str]] = {}
    for person, kind in rows.all():
        kinds.setdefault(person, set()).add(kind)
    return sum(1 for found in kinds.values() if ActivityKind.ORIGINAL_PIECE.value not in found)


async def _content_used(
    session: AsyncSession, ids: list[int], start: datetime, end: datetime
) -> tuple[tuple[str, int], ...]:
    uses = func.count(ContentShareRow.id)
    rows = await session.execute(
        select(ContentItemRow.title, uses)
        .join(OfferRow, OfferRow.id == ContentShareRow.offer_id)
        .join(ContentItemRow, ContentItemRow.id == ContentShareRow.item_id)
        .where(OfferRow.person_id.in_(ids), ContentShareRow.at >= start, ContentShareRow.at < end)
        .group_by(ContentItemRow.id, ContentItemRow.title)
        .order_by(uses.desc(), ContentItemRow.title)
        .limit(TOP_CONTENT)
    )
    return tuple((str(title), int(n)) for title, n in rows.all())
