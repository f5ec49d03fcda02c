"""Who holds which role (``people.roles``), changed by hand with ``journeybot role grant|revoke``.

The roster sets roles too (its ``roles`` column): a role granted here lasts until a roster import
lists the person with other roles, so a lasting change belongs in the roster file as well. Every
change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.store.audit import AuditEvent, audit_row
from bot.store.database import Database
from bot.store.models import PersonRow
from bot.store.store import person_key

EMPLOYEE = "employee"
KNOWN_ROLES = (EMPLOYEE, "marketing", "manager", "editor", "admin")  # the order roles are stored and shown in
GRANTABLE = KNOWN_ROLES[1:]  # everyone is an employee


class RoleError(ValueError):
    """An unknown person or role; the message says what would work."""


@dataclass(frozen=True)
class Holder:
    email: str
    name: str
    roles: tuple[str, ...]


async def change_role(
    database: Database, email: str, role: str, *, grant: bool, actor: str, platform: str, now: datetime
) -> tuple[str, ...] | None:
    """Grant or revoke ``role``; the person's roles afterwards, or None when nothing changed."""
    role = role.strip().lower()
    if role not in GRANTABLE:
        raise RoleError(f"unknown role {role!r} (roles: {', '.join(GRANTABLE)})")
    async with database.sessions.begin() as session:
        query = select(PersonRow).where(PersonRow.email == person_key(email)).with_for_update()
        person = (await session.scalars(query)).first()
        if person is None:
            raise RoleError(
                f"nobody with the email {email!r}; import the roster first (journeybot roster import)"
            )
        before = set(person.roles)
        after = before | {role} if grant else before - {role}
        if after == before:
            return None
        person.roles = [r for r in KNOWN_ROLES if r in after or r == EMPLOYEE]
        action = "role.grant" if grant else "role.revoke"
        session.add(audit_row(AuditEvent(now, actor, platform, action, "admin", f"{person.email} {role}")))
        return tuple(person.roles)


async def holders(database: Database) -> list[Holder]:
    """Everyone with a role beyond employee, by email."""
    async with database.sessions() as session:
        rows = (await session.execute(select(PersonRow.email, PersonRow.name, PersonRow.roles))).all()
    found = [Holder(email, name, tuple(roles)) for email, name, roles in rows if set(roles) - {EMPLOYEE}]
    return sorted(found, key=lambda holder: holder.email)
