"""Neutral messages to JSON and back, so a rendered message can wait in the outbox.

Each block is stored as ``{"type": <class name>, ...fields}``; tuples become lists on the way out and
are rebuilt from the dataclass definitions on the way in.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from nudges.messages import Block, Button, Buttons, Divider, Fields, Header, Image, Message, Quote, Text

_BLOCKS: dict[str, type[Block]] = {
    cls.__name__: cls for cls in (Header, Text, Fields, Buttons, Divider, Image, Quote)
}


def encode(message: Message) -> dict[str, Any]:
    return {
        "blocks": [_plain(block) for block in message.blocks],
        "fallback": message.fallback,
        "offer_id": message.offer_id,
        "tags": sorted(message.tags),
    }


def _plain(block: Block) -> dict[str, Any]:
    """A block as JSON-ready data (``asdict`` deep-copies; this runs for every planned nudge)."""
    cls = type(block)
    data: dict[str, Any] = {"type": cls.__name__}
    for name in _field_names(cls):
        data[name] = getattr(block, name)
    if isinstance(block, Buttons):
        button_fields = _field_names(Button)
        data["buttons"] = [{name: getattr(b, name) for name in button_fields} for b in block.buttons]
    return data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """``dataclasses.fields`` names, looked up once per class (it rebuilds a tuple on every call)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def decode(data: dict[str, Any]) -> Message:
    return Message(
        blocks=tuple(_block(item) for item in data["blocks"]),
        fallback=data["fallback"],
        offer_id=data.get("offer_id"),
        tags=frozenset(data.get("tags", ())),
    )


def _block(item: dict[str, Any]) -> Block:
    kind = item["type"]
    if kind == "Buttons":
        return Buttons(tuple(Button(**button) for button in item["buttons"]))
    if kind == "Fields":
        return Fields(tuple((label, value) for label, value in item["pairs"]))
    cls = _BLOCKS[kind]
    return cls(**{f.name: item[f.name] for f in fields(cls) if f.name in item})
