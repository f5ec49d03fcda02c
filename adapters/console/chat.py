"""The console adapter: chat with the bot in a terminal, or pipe lines through it.

Typing a number presses that button of the latest message with buttons; anything else is said.
With piped input there is no prompt, one line is one turn, and end of input ends the session.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from adapters.console.render import render
from bot.conversation.deps import AdapterDeps
from nudges.data_rights import EXPORT_TAG
from nudges.events import Event, Inbound, Joined, PersonRef, Pressed, Said
from nudges.messages import Button, Message, Quote, literal, text_message

PLATFORM = "console"


class ConsoleChat:
    def __init__(self, deps: AdapterDeps, who: PersonRef, out: TextIO | None = None) -> None:
        self.deps = deps
        self.who = who
        # The streams are looked up when the chat starts, not when this module is imported, so a
        # redirected standard output or input (a test running the CLI in-process) is the one used.
        self.out = sys.stdout if out is None else out
        self.color = self.out.isatty()
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
        exported = [m for m in shown if EXPORT_TAG in m.tags]
        if exported:  # in a terminal, a file is what one keeps: the JSON goes there, whole
            shown = [m for m in shown if EXPORT_TAG not in m.tags] + [self._save(exported)]
        for message in shown:
            text, buttons = render(message, self.color)
            if buttons:
                self.choices = buttons
            print(text, file=self.out)
            print(file=self.out)
        self.out.flush()
        return not outcome.quit

    def _save(self, exported: list[Message]) -> Message:
        data = "".join(b.text for m in exported for b in m.blocks if isinstance(b, Quote))
        path = Path.cwd() / f"journeybot-my-data-{datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(data if data.endswith("\n") else data + "\n", encoding="utf-8")
        return text_message(
            f"Everything I hold about you is in {literal(path.name)} (in this folder), as JSON."
        )

    async def run(self, lines: TextIO | None = None, greet: bool = True) -> None:
        lines = sys.stdin if lines is None else lines
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
