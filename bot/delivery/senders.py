"""The optional capabilities of a ``Sender`` that delivery can use, found by duck typing so the
``Sender`` port (``bot/ports.py``) stays as the adapters know it.

Which Sender serves which configured platform is wiring, done by the composition root
(``bot/main/senders.py``): delivery only gets the resulting ``platform -> Sender`` mapping.

- ``Reconciling.find(address, key) -> Sent | None``: look for a message we may have sent with this
  outbox key (Slack: our DM's recent history, matched on message metadata). With it, a send that
  crashed before its outcome was recorded is checked instead of being marked uncertain.
- ``workspace_of(address) -> str``: the workspace / tenant an address belongs to, so the
  workspace-wide rate limit is kept per workspace rather than for the platform as a whole.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.ports import Sender, Sent


@runtime_checkable
class Reconciling(Protocol):
    async def find(self, address: str, key: str) -> Sent | None: ...


@runtime_checkable
class AwayAware(Protocol):
    """A Sender that can tell whether the person is away right now (a status, Do Not Disturb)."""

    async def away(self, address: str) -> str | None:
        """Why the person at ``address`` is away now, or None when they are not (or it is unknown)."""
        ...


def workspace_of(sender: Sender, address: str) -> str:
    """The rate-limit scope shared by all conversations of one workspace ("" = the whole platform)."""
    scope = getattr(sender, "workspace_of", None)
    return scope(address) if callable(scope) else ""
