"""Who may use the role-gated parts of ``/journey``. Roles come from the roster (``people.roles``)."""

from __future__ import annotations

from nudges.person import Person

ADMIN = "admin"
MARKETING = "marketing"
MANAGER = "manager"


def allowed(person: Person, role: str) -> bool:
    """An admin may do everything a role may; everyone else needs the role itself."""
    return role in person.roles or ADMIN in person.roles


def not_allowed(role: str) -> str:
    article = "an" if role[0] in "aeiou" else "a"
    return (
        f"Sorry, that part of /journey is for people with {article} **{role}** role. If you should have it, "
        "ask your admin to add it to the roster. Everything else is yours: try **/journey help**."
    )
