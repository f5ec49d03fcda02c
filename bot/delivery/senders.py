"""Which ``Sender`` delivers to which platform, and the optional capabilities delivery can use.

**Registration point for the platform adapters.** A configured platform contributes its Sender
through ``adapters/<platform>/sender.py`` exposing ``build_sender(app) -> Sender | None``;
``configured_senders`` imports it only when that platform is configured, so SDK imports stay in the
adapter folder. Until an adapter has that module, or while its ``build_sender`` returns None (set up
but unable to send, e.g. half the credentials; it logs why), its rows wait in the outbox (nothing is
lost; ``journeybot outbox`` shows them). The console Sender prints, for ``journeybot tick`` when no platform is configured.

Optional capabilities, found by duck typing so the ``Sender`` port stays as the adapters know it:

- ``Reconciling.find(address, key) -> Sent | None``: look for a message we may have sent with this
  outbox key (Slack: our DM's recent history, matched on message metadata). With it, a send that
  crashed before its outcome was recorded is checked instead of being marked uncertain.
- ``workspace_of(address) -> str``: the workspace / tenant an address belongs to, so the
  workspace-wide rate limit is kept per workspace rather than for the platform as a whole.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.ports import Sender, Sent
from nudges.messages import Message

if TYPE_CHECKING:
    from bot.main.build import App

log = logging.getLogger("journeybot.delivery")


@runtime_checkable
class Reconciling(Protocol):
    async def find(self, address: str, key: str) -> Sent | None: ...


def workspace_of(sender: Sender, address: str) -> str:
    """The rate-limit scope shared by all conversations of one workspace ("" = the whole platform)."""
    scope = getattr(sender, "workspace_of", None)
    return scope(address) if callable(scope) else ""


class ConsoleSender:
    """Prints each message to the terminal: the delivery of ``journeybot tick`` without a platform."""

    platform = "console"

    def __init__(self, write: object = print) -> None:
        self.write = write
        self.count = 0

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        from adapters.console.render import render

        self.count += 1
        self.write(f"→ {address.removeprefix('console:')}\n{render(message)[0]}\n")  # type: ignore[operator]
        return Sent(message_ref=f"console-{self.count}", address=address)

    async def update(self, address: str, message_ref: str, message: Message) -> None:
        from adapters.console.render import render

        self.write(f"↻ {address} ({message_ref})\n{render(message)[0]}\n")  # type: ignore[operator]


def configured_senders(app: App) -> dict[str, Sender]:
    """One Sender per configured platform whose adapter provides ``build_sender``; console otherwise."""
    senders: dict[str, Sender] = {}
    for platform, configured in (
        ("slack", app.settings.slack_configured),
        ("teams", app.settings.teams_configured),
    ):
        if not configured:
            continue
        try:
            module = importlib.import_module(f"adapters.{platform}.sender")
        except ModuleNotFoundError as error:
            if error.name != f"adapters.{platform}.sender":
                raise  # a missing SDK inside the adapter is a real error, not "no sender yet"
            log.warning(
                "%s is configured but adapters/%s/sender.py is missing: nudges wait", platform, platform
            )
            continue
        sender = module.build_sender(app)
        if sender is None:
            continue  # configured but unable to send (the adapter logged why): its rows wait
        senders[platform] = sender
    if not app.settings.any_platform:
        senders["console"] = ConsoleSender()
    return senders
