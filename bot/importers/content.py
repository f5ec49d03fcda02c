"""Import marketing's suggested shares from YAML, refusing anything that would post badly.

The file is either a list of items or a mapping with an ``items`` list (README, "Suggested
shares"). Each item is checked exactly as the Slack modal and the Teams card check theirs
(``bot/content/validate.py``): a text over its network's limit as that network counts it, only a
link, or without the required disclosure is refused, naming the item and the field. Everything is
checked before anything is written (all or nothing); items are upserted by id, so marketing can
re-import a corrected file, and the answer names the items it replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.content.validate import Rules, validate
from bot.importers import safe_yaml
from bot.importers.safe_yaml import short
from bot.store.store import Store
from nudges.library import ContentItem


class ContentError(ValueError):
    """Content that cannot be imported; the message names the file, the item and its field."""


@dataclass(frozen=True)
class Imported:
    added: list[str]
    updated: list[str]

    def __str__(self) -> str:
        parts = [f"{len(self.added)} new"]
        if self.updated:
            parts.append(f"{len(self.updated)} updated ({', '.join(self.updated)})")
        return ", ".join(parts)


async def import_content(
    store: Store, path: Path, now: datetime, rules: Rules, created_by: str | None = None
) -> Imported:
    """Validate the whole file, then upsert every item in one transaction."""
    items = parse_content(path, now, rules)
    added, updated = await store.upsert_content(items, created_by=created_by)
    return Imported(added, updated)


def parse_content(path: Path, now: datetime, rules: Rules) -> list[ContentItem]:
    try:
        document = safe_yaml.load(path)
    except UnicodeDecodeError:
        raise ContentError(f"{path.name}: not UTF-8 text; save the file as UTF-8") from None
    except safe_yaml.YamlProblem as problem:
        raise ContentError(f"{path.name}: {problem}") from None
    raw_items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(raw_items, list):
        raise ContentError(f"{path.name}: expected a list of items, or a mapping with an 'items' list")
    items: list[ContentItem] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(raw_items, start=1):
        where = f"{path.name} item {number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str | int) and str(raw["id"]).strip():
            where += f" (id {short(str(raw['id']).strip())})"
        elif isinstance(raw, dict) and isinstance(raw.get("title"), str) and raw["title"].strip():
            where += f" ({short(raw['title'].strip())})"
        item, problems = validate(raw, rules, now)
        if item is None:
            first = problems[0]
            field = "" if first.field == "item" else f", {first.field}"
            more = (
                f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
                if len(problems) > 1
                else ""
            )
            raise ContentError(f"{where}{field}: {first.message}{more}")
        if item.id in first_seen:
            raise ContentError(f"{where}: duplicate id {short(item.id)} (also item {first_seen[item.id]})")
        first_seen[item.id] = number
        items.append(item)
    return items
