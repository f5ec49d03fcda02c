"""The console's ``Sender``: prints each message to the terminal.

It is the delivery of ``journeybot tick`` when no platform is configured (the composition root,
``bot/main/senders.py``, registers it then), so a newcomer sees a planned nudge go out.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.render import render
from bot.ports import Sent
from nudges.messages import Message


class ConsoleSender:
    platform = "console"

    def __init__(self, write: Callable[[str], object] = print) -> None:
        self.write = write
        self.count = 0

    async def send(self, address: str, message: Message, *, key: str = "") -> Sent:
        self.count += 1
        self.write(f"→ {address.removeprefix('console:')}\n{render(message)[0]}\n")
        return Sent(message_ref=f"console-{self.count}", address=address)

    async def update(self, address: str, message_ref: str, message: Message) -> None:
        self.write(f"↻ {address} ({message_ref})\n{render(message)[0]}\n")
