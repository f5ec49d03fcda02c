"""The console adapter: chat with the bot in a terminal, or pipe lines through it.

Typing a number presses that button of the latest message with buttons; anything else is said.
With piped input there is no prompt, one line is one turn, and end of input ends the session.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from adapters.console.render import render
from bot.conversation.deps import AdapterDeps
from nudges.events import Event, Inbound, Joined, PersonRef, Pressed, Said
from nudges.messages import Button

PLATFORM = "console"


class ConsoleChat:
    def __init__(self, deps: AdapterDeps, who: PersonRef, out: TextIO = sys.stdout) -> None:
        self.deps = deps
        self.who = who
        self.out = out
        self.color = out.isatty()
        self.choices: list[Button] = []

    def parse(self, line: str) -> Event:
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            button = self.choices[int(text) - 1]
            return Pressed(button.action, button.value)
        return Said(text)

    async def turn(self, event: Event) -> bool:
        """Handle one event and print the replies; False when the person asked to quit."""
        handled = await self.deps.conversation.handle(
            Inbound(self.who, event, address=f"console:{self.who.user_id}")
        )
        outcome = handled.outcome
        shown = ([outcome.replace] if outcome.replace else []) + list(outcome.replies)
        for message in shown:
            text, buttons = render(message, self.color)
            if buttons:
                self.choices = buttons
            print(text, file=self.out)
            print(file=self.out)
        self.out.flush()
        return not outcome.quit

    async def run(self, lines: TextIO = sys.stdin, greet: bool = True) -> None:
        interactive = lines.isatty()
        if greet and not await self._known():
            await self.turn(Joined())
        while True:
            if interactive:
                print("you › ", end="", file=self.out, flush=True)
            line = await asyncio.to_thread(lines.readline)
            if not line:  # end of input
                if interactive:
                    print(file=self.out)
                return
            if not line.strip():
                continue
            if not await self.turn(self.parse(line)):
                return

    async def _known(self) -> bool:
        person_id = await self.deps.store.find_person_id(self.who)
        if person_id is None:
            return False
        person, _ = await self.deps.store.load(person_id, since=self.deps.clock())
        return person.onboarded or person.mid_onboarding
