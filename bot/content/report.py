"""What happened to suggested shares: offered, shared (by network), clicks, by team and zone.

The same summary for ``journeybot content report`` and for marketing in Slack and Teams. It counts,
it never lists: no names, no emails, and every count of one or two is shown as "a few", so a team
of three cannot read who clicked (JOURNEY.md: no public ranking, look at small things).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.store.database import Database
from bot.store.models import (
    IS_SHARE_OFFER,
    ContentClickRow,
    ContentItemRow,
    ContentShareRow,
    OfferRow,
    PersonRow,
)
from nudges.library import network_label
from nudges.messages import Fields, Header, Message, Text
from nudges.zones import Zone

A_FEW_BELOW = 3  # counts of 1 and 2 are "a few"
NO_TEAM = "no team"


def shown(count: int) -> int | str:
    return "a few" if 0 < count < A_FEW_BELOW else count


@dataclass
class Tally:
    offered: int = 0
    shared: int = 0
    clicks: int = 0

    def as_json(self) -> dict[str, int | str]:
        return {"offered": shown(self.offered), "shared": shown(self.shared), "clicks": shown(self.clicks)}

    def __str__(self) -> str:
        return f"offered {shown(self.offered)}, shared {shown(self.shared)}, clicks {shown(self.clicks)}"


@dataclass
class ItemReport:
    id: str
    title: str
    total: Tally = field(default_factory=Tally)
    shared_on: Counter[str] = field(default_factory=Counter)
    clicks_on: Counter[str] = field(default_factory=Counter)
    teams: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    zones: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add(self, what: str, team: str | None, zone: int, count: int) -> None:
        for tally in (self.total, self.teams[team or NO_TEAM], self.zones[Zone(zone).label]):
            setattr(tally, what, getattr(tally, what) + count)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            **self.total.as_json(),
            "shared_by_network": {n: shown(c) for n, c in sorted(self.shared_on.items())},
            "clicks_by_network": {n: shown(c) for n, c in sorted(self.clicks_on.items())},
            "by_team": {t: tally.as_json() for t, tally in sorted(self.teams.items())},
            "by_zone": {z: tally.as_json() for z, tally in _zone_order(self.zones)},
        }

    def lines(self) -> list[str]:
        lines = [f"{self.id}  {self.title}", f"  {self.total}"]
        if self.shared_on:
            lines.append("  shared on: " + _by_network(self.shared_on))
        if self.clicks_on:
            lines.append("  clicks from: " + _by_network(self.clicks_on))
        lines += [f"  team {team}: {tally}" for team, tally in sorted(self.teams.items())]
        lines += [f"  {zone}: {tally}" for zone, tally in _zone_order(self.zones)]
        return lines


def _by_network(counts: Counter[str]) -> str:
    return ", ".join(
        f"{network_label(n) if n != '?' else 'not said'} {shown(c)}" for n, c in sorted(counts.items())
    )


def _zone_order(zones: dict[str, Tally]) -> list[tuple[str, Tally]]:
    order = {zone.label: int(zone) for zone in Zone}
    return sorted(zones.items(), key=lambda pair: order.get(pair[0], 99))


async def content_report(database: Database, item_id: str | None, since: datetime | None) -> list[ItemReport]:
    """One report per item (or only ``item_id``), counting what happened at or after ``since``."""
    items = select(ContentItemRow.id, ContentItemRow.title).order_by(
        ContentItemRow.created_at, ContentItemRow.id
    )
    if item_id is not None:
        items = items.where(ContentItemRow.id == item_id)
    item_key = func.substr(OfferRow.key, len("content:") + 1)
    offered = (
        select(item_key, PersonRow.team, PersonRow.zone, func.count())
        .join(PersonRow, PersonRow.id == OfferRow.person_id)
        .where(OfferRow.key.like("content:%"))
        .group_by(item_key, PersonRow.team, PersonRow.zone)
    )
    shares = (
        select(ContentShareRow.item_id, ContentShareRow.network, PersonRow.team, PersonRow.zone, func.count())
        .join(OfferRow, OfferRow.id == ContentShareRow.offer_id)
        .join(PersonRow, PersonRow.id == OfferRow.person_id)
        .group_by(ContentShareRow.item_id, ContentShareRow.network, PersonRow.team, PersonRow.zone)
    )
    clicks = (
        select(ContentClickRow.item_id, ContentClickRow.network, PersonRow.team, PersonRow.zone, func.count())
        .join(OfferRow, OfferRow.id == ContentClickRow.offer_id)
        .join(PersonRow, PersonRow.id == OfferRow.person_id)
        .group_by(ContentClickRow.item_id, ContentClickRow.network, PersonRow.team, PersonRow.zone)
    )
    if since is not None:
        offered = offered.where(OfferRow.offered_at >= since)
        shares = shares.where(ContentShareRow.at >= since)
        clicks = clicks.where(ContentClickRow.at >= since)
    if item_id is not None:
        offered = offered.where(IS_SHARE_OFFER, OfferRow.key == f"content:{item_id}")
        shares = shares.where(ContentShareRow.item_id == item_id)
        clicks = clicks.where(ContentClickRow.item_id == item_id)
    async with database.sessions.begin() as session:
        reports = {row_id: ItemReport(row_id, title) for row_id, title in await session.execute(items)}
        for key, team, zone, count in await session.execute(offered):
            if key in reports:
                reports[key].add("offered", team, zone, count)
        for key, network, team, zone, count in await session.execute(shares):
            if key in reports:
                reports[key].add("shared", team, zone, count)
                reports[key].shared_on[network or "?"] += count
        for key, network, team, zone, count in await session.execute(clicks):
            if key in reports:
                reports[key].add("clicks", team, zone, count)
                reports[key].clicks_on[network] += count
    return list(reports.values())


def report_message(reports: list[ItemReport], since: datetime | None) -> Message:
    """The summary as a chat message, for marketing in Slack and Teams."""
    period = f" since {since:%Y-%m-%d}" if since else ""
    if not reports:
        return Message(
            (Text("No suggested shares yet. Create one with **/journey share** or **share**."),),
            "No suggested shares yet.",
        )
    blocks: list[Header | Text | Fields] = [Header(f"Suggested shares{period}")]
    for report in reports:
        pairs = [
            ("Offered", str(shown(report.total.offered))),
            ("Shared", str(shown(report.total.shared))),
            ("Clicks", str(shown(report.total.clicks))),
        ]
        if report.shared_on:
            pairs.append(("Shared on", _by_network(report.shared_on)))
        if report.clicks_on:
            pairs.append(("Clicks from", _by_network(report.clicks_on)))
        teams = "; ".join(f"{team}: {tally}" for team, tally in sorted(report.teams.items()))
        zones = "; ".join(f"{zone}: {tally}" for zone, tally in _zone_order(report.zones))
        if teams:
            pairs.append(("By team", teams))
        if zones:
            pairs.append(("By zone", zones))
        blocks += [Text(f"**{report.title}** ({report.id})"), Fields(tuple(pairs))]
    blocks.append(Text('_Counts of one or two show as "a few": this is about the items, never about who._'))
    return Message(tuple(blocks), fallback=f"Suggested shares{period}: {len(reports)} item(s)")
