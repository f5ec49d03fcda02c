"""Inbound events: what a person did, in words every platform can produce.

Adapters parse Slack payloads, Bot Framework activities and console lines into these. Each event
comes wrapped in an ``Inbound`` carrying who it is from and an opaque *address*: the platform's way
to reach that person again (a Slack DM channel, a serialised Teams conversation reference).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PersonRef:
    """Who is talking, as the platform knows them."""

    platform: str  # "slack" | "teams" | "console"
    user_id: str
    tenant: str = ""  # Slack team id, Teams tenant id
    email: str | None = None
    name: str = ""
    timezone: str | None = None


@dataclass(frozen=True)
class Said:
    """Free text or a typed command in a direct conversation."""

    text: str


@dataclass(frozen=True)
class Pressed:
    """A button answer: the action id and value of a ``messages.Button``."""

    action: str
    value: str = ""


@dataclass(frozen=True)
class Submitted:
    """A form (Slack modal, Adaptive Card inputs) sent back with its values."""

    form: str
    values: dict[str, str | list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Joined:
    """The person installed the bot, opened it for the first time, or joined a channel it is in."""


@dataclass(frozen=True)
class Command:
    """A slash command or a channel mention such as ``digest here``."""

    name: str
    text: str = ""


Event = Said | Pressed | Submitted | Joined | Command


@dataclass(frozen=True)
class Inbound:
    who: PersonRef
    event: Event
    address: str = ""
    # The platform id of the message a button sat on, so the reply can replace it in place.
    message_ref: str | None = None
    channel: str | None = None  # set when the event came from a shared channel, not a DM
