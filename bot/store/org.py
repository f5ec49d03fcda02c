"""Organisation-wide defaults for the working window and the weekly cap (``journeybot org``).

A person's own choice always wins: which of these a person set themselves is kept in
``people.own_settings`` (written by ``Store.save`` whenever a conversation changes one: the
settings form, ``set hours …``, the onboarding question about time). Everyone else follows the
organisation: setting a default writes it to their rows at once, so the planner reads one value per
person as before and no planning path changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.database import Database
from bot.store.models import OrgSettingRow, PersonRow
from nudges.person import Person
from nudges.settings_form import SettingsError, apply_settings

ORG_DEFAULTS_SETTING = "org_defaults"
# What a person can own, and the columns each covers.
HOURS, DAYS, CAP = "hours", "days", "cap"
OWNABLE = (HOURS, DAYS, CAP)
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OrgSettingsError(ValueError):
    """A default that cannot be set; nothing was changed."""


@dataclass(frozen=True)
class OrgDefaults:
    work_start: str | None = None  # "HH:MM"
    work_end: str | None = None
    work_days: tuple[int, ...] | None = None  # Monday = 0
    weekly_cap: int | None = None

    def columns(self, owned: Iterable[str] = ()) -> dict[str, Any]:
        """The person columns these defaults set, leaving out what a person owns."""
        mine = set(owned)
        values: dict[str, Any] = {}
        if HOURS not in mine and self.work_start and self.work_end:
            values.update(work_start=self.work_start, work_end=self.work_end)
        if DAYS not in mine and self.work_days is not None:
            values["work_days"] = list(self.work_days)
        if CAP not in mine and self.weekly_cap is not None:
            values["weekly_cap"] = self.weekly_cap
        return values

    def describe(self) -> list[str]:
        days = ", ".join(_DAY_NAMES[d].capitalize() for d in self.work_days) if self.work_days else None
        return [
            f"working hours: {self.work_start}-{self.work_end}" if self.work_start else "working hours: 09:30-16:30 (built in)",
            f"working days: {days}" if days else "working days: Mon-Fri (built in)",
            f"nudges per week: at most {self.weekly_cap}" if self.weekly_cap else "nudges per week: at most 2 (built in)",
        ]  # fmt: skip


def parse_defaults(
    current: OrgDefaults, hours: str | None = None, days: str | None = None, cap: int | None = None
) -> OrgDefaults:
    """New defaults from the command's options, checked the way a person's own settings are."""
    values: dict[str, str | list[str]] = {}
    if hours is not None:
        start, sep, end = hours.replace("–", "-").partition("-")
        if not sep:
            raise OrgSettingsError(f"--hours {hours!r}: give a start and an end, e.g. 09:00-17:00")
        values.update(work_start=start.strip(), work_end=end.strip())
    if cap is not None:
        values["weekly_cap"] = str(cap)
    try:
        checked = apply_settings(Person(key="org"), values)
    except SettingsError as error:
        raise OrgSettingsError(str(error)) from None
    updated = current
    if hours is not None:
        s = checked.schedule
        updated = replace(updated, work_start=_hhmm(s.work_start), work_end=_hhmm(s.work_end))
    if cap is not None:
        updated = replace(updated, weekly_cap=checked.weekly_cap)
    if days is not None:
        updated = replace(updated, work_days=_days(days))
    return updated


def _hhmm(moment: time) -> str:
    return f"{moment:%H:%M}"


def _days(text: str) -> tuple[int, ...]:
    """ "mon-fri", "mon,tue,thu", "sun-thu" (a range may wrap the week)."""
    found: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip().lower()):
        if not part:
            continue
        first, sep, last = part.partition("-")
        try:
            a = _DAY_NAMES.index(first[:3])
            b = _DAY_NAMES.index(last[:3]) if sep else a
        except ValueError:
            raise OrgSettingsError(f"--days {text!r}: use day names like mon-fri or mon,wed,fri") from None
        found.update((a + n) % 7 for n in range((b - a) % 7 + 1))
    if not found:
        raise OrgSettingsError("--days: at least one working day, e.g. mon-fri")
    return tuple(sorted(found))


async def org_defaults(session: AsyncSession) -> OrgDefaults:
    row = await session.get(OrgSettingRow, ORG_DEFAULTS_SETTING)
    value = row.value if row is not None and isinstance(row.value, dict) else {}
    days = value.get("work_days")
    return OrgDefaults(
        value.get("work_start"),
        value.get("work_end"),
        tuple(days) if isinstance(days, list) else None,
        value.get("weekly_cap"),
    )


async def read_org_defaults(database: Database) -> OrgDefaults:
    async with database.sessions.begin() as session:
        return await org_defaults(session)


async def set_org_defaults(database: Database, defaults: OrgDefaults) -> int:
    """Store the defaults and apply them to everyone who did not choose their own, in one
    transaction; how many people they apply to. Those people are planned afresh at the next tick."""
    async with database.sessions.begin() as session:
        await session.merge(
            OrgSettingRow(
                key=ORG_DEFAULTS_SETTING,
                value={
                    "work_start": defaults.work_start,
                    "work_end": defaults.work_end,
                    "work_days": list(defaults.work_days) if defaults.work_days is not None else None,
                    "weekly_cap": defaults.weekly_cap,
                },
            )
        )
        by_owned: dict[tuple[str, ...], list[int]] = {}
        for person_id, own in (await session.execute(select(PersonRow.id, PersonRow.own_settings))).all():
            by_owned.setdefault(tuple(sorted(own or ())), []).append(person_id)
        applied = 0
        for owned, ids in by_owned.items():
            values = defaults.columns(owned)
            if not values:
                continue
            for start in range(0, len(ids), 1000):  # bounded IN lists
                chunk = ids[start : start + 1000]
                await session.execute(
                    update(PersonRow).where(PersonRow.id.in_(chunk)).values(**values, next_due_at=None)
                )
            applied += len(ids)
        return applied


def owned_after(row: PersonRow, person: Person) -> list[str]:
    """The settings a person owns once ``person`` is saved over ``row``: any they just changed."""
    owned = set(row.own_settings or ())
    s = person.schedule
    if (row.work_start, row.work_end) != (_hhmm(s.work_start), _hhmm(s.work_end)):
        owned.add(HOURS)
    if sorted(row.work_days or ()) != sorted(s.work_days):
        owned.add(DAYS)
    if row.weekly_cap != person.weekly_cap:
        owned.add(CAP)
    return sorted(owned)
