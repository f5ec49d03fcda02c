"""Neutral messages as terminal text: headers, wrapped paragraphs, numbered choices."""

from __future__ import annotations

import re
import textwrap

from nudges.messages import Button, Buttons, Divider, Fields, Header, Image, Message, Quote, Text, plain

WIDTH = 78


def _markup(text: str, color: bool) -> str:
    if not color:
        return plain(text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", "\033[4m\\1\033[0m (\\2)", text)
    text = re.sub(r"\*\*(.+?)\*\*", "\033[1m\\1\033[0m", text)
    return re.sub(r"(?<!\w)_(.+?)_(?!\w)", "\033[3m\\1\033[0m", text)


def _paragraphs(text: str, color: bool, indent: str = "") -> list[str]:
    lines: list[str] = []
    for raw in text.split("\n"):
        bullet = raw.startswith("- ")
        body = _markup(raw[2:] if bullet else raw, color)
        first, rest = (indent + "  • ", indent + "    ") if bullet else (indent, indent)
        # Wrapping counts escape codes as characters; a slightly short line is harmless.
        lines += textwrap.wrap(body, WIDTH, initial_indent=first, subsequent_indent=rest) or [""]
    return lines


def render(message: Message, color: bool = False, first_number: int = 1) -> tuple[str, list[Button]]:
    """The message as text, and its buttons in the order they are numbered."""
    lines: list[str] = []
    buttons: list[Button] = []
    for block in message.blocks:
        match block:
            case Header(text=text):
                lines.append(f"\033[1m▌ {text}\033[0m" if color else f"▌ {text}")
            case Text(text=text):
                lines += _paragraphs(text, color)
            case Fields(pairs=pairs):
                width = max(len(label) for label, _ in pairs)
                lines += [f"  {label.ljust(width)}  {_markup(value, color)}" for label, value in pairs]
            case Quote(text=text, caption=caption):
                if caption:
                    lines.append(f"  {caption}:")
                lines += ["  │ " + line for line in textwrap.wrap(text, WIDTH - 4) or [""]]
            case Divider():
                lines.append("─" * 40)
            case Image(url=url, alt=alt):
                lines.append(f"  [image: {alt}] {url}")
            case Buttons(buttons=row):
                choices = []
                for button in row:
                    buttons.append(button)
                    choices.append(f"[{first_number + len(buttons) - 1}] {button.label}")
                lines.append("  " + "   ".join(choices))
    return "\n".join(lines), buttons
