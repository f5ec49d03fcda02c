"""Import marketing's suggested shares from YAML, refusing anything that would post badly.

A text that does not fit its network is refused at import, not cut off at posting time: a truncated
post is a classic failure. Everything is checked before anything is written; items are upserted by
id, so marketing can re-import a corrected file (or set ``expires_at`` to retire an item early).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from bot.store.store import Store
from nudges import words
from nudges.library import NETWORK_LABELS, NETWORK_LIMITS, ContentItem, fits, post_length
from nudges.zones import Zone

FIELDS = ("id", "title", "url", "topics", "texts", "zones", "company", "expires_at")


class ContentError(ValueError):
    """Content that cannot be imported; the message names the file, the item and its id."""


async def import_content(store: Store, path: Path, now: datetime, created_by: str | None = None) -> int:
    """Validate the whole file, then upsert every item in one transaction; returns how many."""
    items = parse_content(path, now)
    await store.upsert_content(items, created_by=created_by)
    return len(items)


def parse_content(path: Path, now: datetime) -> list[ContentItem]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ContentError(f"{path.name}: not UTF-8 text; save the file as UTF-8") from None
    except yaml.YAMLError as error:
        # PyYAML's own message spans several lines (with a caret under the spot): one line is enough.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ContentError(f"{path.name}: not valid YAML{where}: {problem}") from None
    raw_items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(raw_items, list):
        raise ContentError(f"{path.name}: expected a list of items, or a mapping with an 'items' list")
    items: list[ContentItem] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(raw_items, start=1):
        where = f"{path.name} item {number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str | int) and str(raw["id"]).strip():
            where += f" (id {str(raw['id']).strip()!r})"

        def fail(problem: str, where: str = where) -> ContentError:
            return ContentError(f"{where}: {problem}")

        item = _item(raw, now, fail)
        if item.id in first_seen:
            raise fail(f"duplicate id {item.id!r} (also item {first_seen[item.id]})")
        first_seen[item.id] = number
        items.append(item)
    return items


def _item(raw: object, now: datetime, fail: Callable[[str], ContentError]) -> ContentItem:
    if not isinstance(raw, dict):
        raise fail("expected a mapping with id, title, url, topics and texts")
    unknown = sorted(str(key) for key in raw if key not in FIELDS)
    if unknown:
        raise fail(f"unknown field {unknown[0]!r} (known fields: {', '.join(FIELDS)})")
    url = _required_text(raw, "url", fail)
    if not url.startswith(("https://", "http://")):
        raise fail(f"url {url!r} is not a web address (http:// or https://)")
    company = raw.get("company", True)
    if not isinstance(company, bool):
        raise fail(f"company must be true or false, not {company!r}")
    return ContentItem(
        id=_required_text(raw, "id", fail),
        title=_required_text(raw, "title", fail),
        url=url,
        topics=_topics(raw.get("topics", []), fail),
        texts=_texts(raw.get("texts"), fail),
        zones=_zones(raw.get("zones"), fail),
        company=company,
        created_at=now,
        expires_at=_expiry(raw.get("expires_at"), fail),
    )


def _required_text(raw: Mapping[str, Any], field: str, fail: Callable[[str], ContentError]) -> str:
    value = raw.get(field)
    text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not text:
        raise fail(f"missing {field}")
    return text


def _topics(value: object, fail: Callable[[str], ContentError]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise fail("topics must be a list of words, e.g. [cloud, security]")
    return words.topics(value)  # as people's topics are read: trimmed, lower-case, each once


def _texts(value: object, fail: Callable[[str], ContentError]) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise fail("texts must map each network to its ready text, e.g. {linkedin: '…'}")
    texts: dict[str, str] = {}
    for name, text in value.items():
        network = words.network(str(name))
        if network is None:
            raise fail(f"unknown network {name!r} (known: {', '.join(NETWORK_LIMITS)})")
        label = NETWORK_LABELS[network].split(" (")[0]
        if network in texts:
            raise fail(f"two texts for {label}")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"the {label} text is empty")
        text = text.strip()
        if not fits(network, text):
            length, limit = post_length(network, text), NETWORK_LIMITS[network]
            counted = (
                " as X counts them (a link is 23, an emoji or CJK character 2)" if length != len(text) else ""
            )
            raise fail(
                f"the {label} text is {length} characters{counted}, over {label}'s limit of {limit} "
                f"by {length - limit}"
            )
        texts[network] = text
    return texts


def _zones(value: object, fail: Callable[[str], ContentError]) -> frozenset[Zone]:
    if value is None:
        return frozenset(Zone)
    if not isinstance(value, list) or not value:
        raise fail("zones must be a non-empty list, e.g. [sharer, creator] or [2, 3]")
    zones = set()
    for entry in value:
        zone = words.zone(entry)
        if zone is None:
            raise fail(f"unknown zone {entry!r} (consumer, sharer, creator, engaged or 1–4)")
        zones.add(zone)
    return frozenset(zones)


def _expiry(value: object, fail: Callable[[str], ContentError]) -> datetime | None:
    """ISO-8601; a bare date means midnight UTC, a time without an offset means UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise fail(f"expires_at {value!r} is not an ISO-8601 date, e.g. 2026-05-31T17:00:00Z") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=UTC)
    if not isinstance(value, datetime):
        raise fail(f"expires_at {value!r} is not an ISO-8601 date, e.g. 2026-05-31T17:00:00Z")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
