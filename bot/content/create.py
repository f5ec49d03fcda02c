"""Creating a suggested share from a form (the Slack modal, the Teams card): validated as an import
is, stored only if its id is new. The form says so when the id exists; nothing is replaced."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.content.validate import Problem, Rules, from_form, validate
from bot.store.store import Store
from nudges.library import ContentItem


@dataclass(frozen=True)
class Created:
    item: ContentItem | None
    problems: tuple[Problem, ...] = ()

    def thanks(self) -> str:
        assert self.item is not None
        audience = "whose topics and networks match" if self.item.topics else "whose zone and networks fit"
        return (
            f"Thanks! **{self.item.title}** (id `{self.item.id}`) is now suggested to people {audience}, "
            "in their own working hours. See how it goes with **share report**."
        )


async def create_from_form(
    store: Store, rules: Rules, values: Mapping[str, str | list[str]], created_by: str, now: datetime
) -> Created:
    item, problems = validate(from_form(values), rules, now)
    if item is None:
        return Created(None, tuple(problems))
    existing = await store.add_content(item, created_by)
    if existing is not None:
        field = "id" if str(values.get("id") or "").strip() else "title"
        message = (
            f"An item with the id “{item.id}” exists already (“{existing.title}”). Give this one another "
            "title or id; to change that item, re-import it with journeybot content import."
        )
        return Created(None, (Problem(field, message),))
    return Created(item)
