"""What admins ask of delivery from the command line: the outbox at a glance, and auto-enrolment."""

from __future__ import annotations

from sqlalchemy import func, select, update

from bot.delivery.models import DEAD, FAILED, STATUSES, UNCERTAIN, DeliveryRow
from bot.scheduling.tick import AUTO_ENROL_SETTING
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.store import Store

SHOWN_PROBLEMS = 10
COUNTS = select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)


async def outbox_lines(database: Database) -> list[str]:
    """Counts per status (every status, zeros too), then the latest rows that need a human's eye."""
    async with database.sessions.begin() as session:
        counts = dict((await session.execute(COUNTS)).all())
        problems = (
            await session.execute(
                select(
                    DeliveryRow.id,
                    DeliveryRow.status,
                    DeliveryRow.key,
                    DeliveryRow.attempts,
                    DeliveryRow.last_error,
                )
                .where(DeliveryRow.status.in_((FAILED, DEAD, UNCERTAIN)))
                .order_by(DeliveryRow.id.desc())
                .limit(SHOWN_PROBLEMS)
            )
        ).all()
    lines = ["  ".join(f"{status} {counts.get(status, 0)}" for status in STATUSES)]
    for row_id, status, key, attempts, error in problems:
        lines.append(f"#{row_id} {status} {key} after {attempts} attempt(s): {error or ''}".rstrip())
    return lines


async def set_auto_enrol(database: Database, store: Store, teams: list[str], enabled: bool) -> list[str]:
    """Add (or remove) teams whose people get nudges without starting; returns the new list.

    Their people are looked at again on the next tick (``next_due_at`` cleared), not tomorrow.
    """
    current = set(await store.get_setting(AUTO_ENROL_SETTING, None) or ())
    updated = sorted(current | set(teams)) if enabled else sorted(current - set(teams))
    await store.set_setting(AUTO_ENROL_SETTING, updated)
    async with database.sessions.begin() as session:
        await session.execute(update(PersonRow).where(PersonRow.team.in_(teams)).values(next_due_at=None))
    return updated
