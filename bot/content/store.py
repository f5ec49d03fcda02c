"""The content library's own queries: items by id, ending an item, the cards it was sent as,
clicks, and the signing secret of tracked links. Every method is a transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.content.tracking import SECRET_SETTING, Links, new_secret
from bot.store.database import Database
from bot.store.mapping import content_from_row
from bot.store.models import (
    IS_SHARE_OFFER,
    ContentClickRow,
    ContentItemRow,
    IdentityRow,
    OfferRow,
    OrgSettingRow,
)
from nudges.library import ContentItem


@dataclass(frozen=True)
class SentCard:
    """A suggestion card already in someone's chat: what to update when its item ends."""

    offer_id: str
    platform: str
    message_ref: str
    address: str


class ContentStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def get(self, item_id: str) -> ContentItem | None:
        async with self.database.sessions.begin() as session:
            row = await session.get(ContentItemRow, item_id)
            return None if row is None else content_from_row(row)

    async def end(self, item_id: str, now: datetime, *, withdraw: bool) -> ContentItem | None:
        """Expire (it ran its course) or withdraw (it should never have gone out) an item now.
        None for an unknown id. Either way it is never offered again."""
        async with self.database.sessions.begin() as session:
            row = await session.get(ContentItemRow, item_id, with_for_update=True)
            if row is None:
                return None
            if withdraw:
                row.withdrawn_at = row.withdrawn_at or now
            if row.expires_at is None or row.expires_at > now:
                row.expires_at = now
            row.updated_at = now
            return content_from_row(row)

    async def sent_cards(self, item_id: str) -> list[SentCard]:
        """Every card this item was sent as, with where its person is reached on that platform."""
        query = (
            select(OfferRow.id, OfferRow.platform, OfferRow.message_ref, IdentityRow.address)
            .join(
                IdentityRow,
                (IdentityRow.person_id == OfferRow.person_id) & (IdentityRow.platform == OfferRow.platform),
            )
            .where(IS_SHARE_OFFER, OfferRow.key == f"content:{item_id}", OfferRow.message_ref.is_not(None))
            .where(IdentityRow.address.is_not(None))
            .order_by(OfferRow.id, IdentityRow.updated_at.desc())
        )
        cards: dict[str, SentCard] = {}
        async with self.database.sessions.begin() as session:
            for offer_id, platform, ref, address in await session.execute(query):
                cards.setdefault(offer_id, SentCard(offer_id, str(platform), str(ref), str(address)))
        return list(cards.values())

    async def click(self, links: Links, token: str, now: datetime) -> str | None:
        """Count a click on a tracked link; the item's own URL (with its campaign parameters) to
        redirect to, or None for a token we did not make, or whose offer or item is gone."""
        parsed = links.parse(token)
        if parsed is None:
            return None
        offer_id, network = parsed
        async with self.database.sessions.begin() as session:
            key = await session.scalar(select(OfferRow.key).where(OfferRow.id == offer_id))
            if key is None or not key.startswith("content:"):
                return None
            row = await session.get(ContentItemRow, key.removeprefix("content:"))
            if row is None:
                return None
            item = content_from_row(row)
            # A click after the item ended still reaches the article: the link is already out there.
            session.add(ContentClickRow(offer_id=offer_id, item_id=item.id, network=network, at=now))
        return links.target(item, network, token)

    async def links(self, public_url: str | None) -> Links:
        """The organisation's link signer: its secret is made once and kept in the database, so
        every replica signs and checks tokens alike and no configuration is needed."""
        async with self.database.sessions.begin() as session:
            row = await session.get(OrgSettingRow, SECRET_SETTING)
            if row is not None:
                return Links(str(row.value).encode(), public_url)
        try:
            async with self.database.sessions.begin() as session:
                session.add(OrgSettingRow(key=SECRET_SETTING, value=new_secret()))
        except IntegrityError:  # another replica made it first: use theirs
            pass
        async with self.database.sessions.begin() as session:
            row = await session.get(OrgSettingRow, SECRET_SETTING)
            assert row is not None
            return Links(str(row.value).encode(), public_url)
