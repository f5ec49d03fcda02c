"""What marketing does with suggested shares from chat (Slack, Teams): create one from a form, end
one, and read the report. The same functions the command line uses, behind one narrow object the
composition root hands each adapter (``AdapterDeps.content``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from bot.content.create import Created, create_from_form
from bot.content.ending import Ended, end_item
from bot.content.report import content_report, report_message
from bot.content.rules import content_rules
from bot.ports import Sender
from bot.settings import Settings
from bot.store.database import Database
from bot.store.store import Store
from nudges.messages import Message

MARKETING_ROLES = frozenset({"marketing", "admin"})


class ContentService:
    def __init__(
        self,
        database: Database,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime],
        senders: Mapping[str, Sender],
    ) -> None:
        # ``senders`` is the application's own mapping, filled once the platforms are wired: ending
        # an item updates its cards on every platform, whichever one marketing typed in.
        self.database, self.store, self.settings, self.clock, self.senders = (
            database,
            store,
            settings,
            clock,
            senders,
        )

    @property
    def disclosure(self) -> str:
        return self.settings.content_disclosure or ""

    async def create(self, values: Mapping[str, str | list[str]], created_by: str) -> Created:
        rules = await content_rules(self.database, self.settings)
        return await create_from_form(self.store, rules, values, created_by, self.clock())

    async def end(self, item_id: str, *, withdraw: bool) -> Ended | None:
        return await end_item(self.database, self.senders, item_id, self.clock(), withdraw=withdraw)

    async def report(self, item_id: str | None) -> Message | None:
        """The report as a message; None for an unknown id."""
        reports = await content_report(self.database, item_id, None)
        if item_id is not None and not reports:
            return None
        return report_message(reports, None)
