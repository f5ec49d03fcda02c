"""Ending a suggestion: expire or withdraw an item, and turn every card already sent into "this
suggestion has ended", so nobody shares something that is over (or should never have gone out)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.content.store import ContentStore
from bot.ports import DeliveryError, Sender
from bot.store.database import Database
from nudges.library import ContentItem
from nudges.views import suggestion_ended

log = logging.getLogger("journeybot.content")


@dataclass(frozen=True)
class Ended:
    item: ContentItem
    updated: int  # cards turned into "this suggestion has ended"
    failed: int  # cards that could not be updated (the person left, the platform refused)
    unreachable: int  # cards on a platform this process has no sender for


async def end_item(
    database: Database, senders: Mapping[str, Sender], item_id: str, now: datetime, *, withdraw: bool
) -> Ended | None:
    """None for an unknown id. Offering stops at once (the library no longer has the item); the
    cards are updated one by one, and a card that fails is logged and left (it is still harmless:
    its buttons answer "that suggestion has ended")."""
    content = ContentStore(database)
    item = await content.end(item_id, now, withdraw=withdraw)
    if item is None:
        return None
    ended = suggestion_ended(item)
    updated = failed = unreachable = 0
    for card in await content.sent_cards(item_id):
        sender = senders.get(card.platform)
        if sender is None:
            unreachable += 1
            continue
        try:
            await sender.update(card.address, card.message_ref, ended)
            updated += 1
        except DeliveryError as error:
            failed += 1
            log.info("could not end the card of offer %s (%s)", card.offer_id, type(error).__name__)
    return Ended(item, updated, failed, unreachable)
