"""An organisation's own catalogue file: extends, overrides or trims the built-in templates.

The YAML file has two optional keys: ``disable`` (built-in ids to leave out) and ``templates`` (new
templates, or a built-in id to replace it). Loading is all-or-nothing: the first problem raises a
``CatalogueError`` naming the file, the item and the field, and nothing is returned.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from nudges import words
from nudges.activities import ActivityKind
from nudges.library import Category, Template

TOP_KEYS = ("disable", "templates")
REQUIRED = ("id", "zone", "category", "kind", "title", "text", "minutes", "evidence")
OPTIONAL = ("follow_up", "networks", "min_networks")
CATEGORIES = (Category.STEP, Category.PROMPT)
PLACEHOLDERS = frozenset({"topic", "network"})
MAX_MINUTES = 15
MAX_TITLE = 60
_SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; the message says where and why."""


_Fail = Callable[[str, str], CatalogueError]


def load_catalogue(path: Path | None, builtin: tuple[Template, ...]) -> tuple[Template, ...]:
    """``builtin`` with the file's changes applied (or unchanged when ``path`` is None)."""
    if path is None:
        return builtin
    data = _read(path)
    unknown = sorted(set(data) - set(TOP_KEYS), key=str)
    if unknown:
        raise CatalogueError(f"{path}: unknown key {unknown[0]!r} (expected one of: {', '.join(TOP_KEYS)})")
    disabled = _disabled(path, data.get("disable") or [], {t.id for t in builtin})
    items = data.get("templates") or []
    if not isinstance(items, list):
        raise CatalogueError(f"{path}: 'templates' must be a list of templates")
    own: dict[str, Template] = {}
    for number, item in enumerate(items, start=1):
        template = _template(f"{path}: templates item {number}", item)
        if template.id in own:
            raise CatalogueError(
                f"{path}: templates item {number}, field 'id': {template.id!r} appears twice"
            )
        if template.id in disabled:
            raise CatalogueError(
                f"{path}: templates item {number}, field 'id': {template.id!r} is also disabled; "
                "remove it from 'disable' to override it"
            )
        own[template.id] = template
    kept = tuple(own.pop(t.id, t) for t in builtin if t.id not in disabled)
    return kept + tuple(own.values())


def _read(path: Path) -> dict[Any, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise CatalogueError(f"{path}: cannot read the catalogue file ({e.strerror or e})") from e
    except UnicodeDecodeError as e:
        raise CatalogueError(f"{path}: the catalogue file is not UTF-8 text") from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(f"{path}: invalid YAML{where}: {getattr(e, 'problem', None) or e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping with 'disable' and/or 'templates' at the top")
    return data


def _disabled(path: Path, ids: Any, known: set[str]) -> frozenset[str]:
    if not isinstance(ids, list):
        raise CatalogueError(f"{path}: 'disable' must be a list of built-in template ids")
    for number, value in enumerate(ids, start=1):
        if not isinstance(value, str) or value not in known:
            raise CatalogueError(f"{path}: disable item {number}: {value!r} is not a built-in template id")
    return frozenset(ids)


def _template(where: str, item: Any) -> Template:
    if not isinstance(item, dict):
        raise CatalogueError(f"{where}: expected a mapping of fields")

    def fail(key: str, problem: str) -> CatalogueError:
        return CatalogueError(f"{where}, field {key!r}: {problem}")

    for key in item:
        if key not in REQUIRED + OPTIONAL:
            raise fail(key, f"unknown field (known: {', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if item.get(key) is None:
            raise fail(key, "missing")

    text = {key: _text(item, key, fail) for key in ("id", "kind", "title", "text", "follow_up")}
    for key in ("id", "kind"):
        if not _SLUG.match(text[key]):
            raise fail(key, f"{text[key]!r} must be a lowercase slug such as 'acme.demo-day'")
    if len(text["title"]) > MAX_TITLE:
        raise fail("title", f"longer than {MAX_TITLE} characters")
    for key in ("title", "text", "follow_up"):
        _check_placeholders(text[key], key, fail)
    zone = words.zone(item["zone"])
    if zone is None:
        raise fail("zone", f"unknown zone {item['zone']!r} (consumer, sharer, creator, engaged or 1-4)")
    category = str(item["category"]).lower()
    if category not in CATEGORIES:
        raise fail("category", f"unknown category {item['category']!r} (step or prompt)")
    minutes = item["minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise fail("minutes", f"{minutes!r} must be a whole number from 1 to {MAX_MINUTES}")
    try:
        evidence = ActivityKind(str(item["evidence"]).lower())
    except ValueError:
        choices = ", ".join(k.value for k in ActivityKind)
        raise fail("evidence", f"unknown activity {item['evidence']!r} (one of: {choices})") from None
    networks = item.get("networks") or []
    if not isinstance(networks, list):
        raise fail("networks", "must be a list such as [linkedin, x]")
    keys = tuple(dict.fromkeys(words.network(str(n)) for n in networks))
    if None in keys:
        unknown = next(n for n in networks if words.network(str(n)) is None)
        raise fail("networks", f"unknown network {unknown!r}")
    min_networks = item.get("min_networks", 0)
    if isinstance(min_networks, bool) or not isinstance(min_networks, int) or not 0 <= min_networks <= 3:
        raise fail("min_networks", f"{min_networks!r} must be a whole number from 0 to 3")
    return Template(
        id=text["id"],
        zone=zone,
        category=Category(category),
        kind=text["kind"],
        title=text["title"],
        text=text["text"],
        minutes=minutes,
        evidence=evidence,
        follow_up=text["follow_up"],
        networks=tuple(k for k in keys if k),
        min_networks=min_networks,
    )


def _text(item: dict[Any, Any], key: str, fail: _Fail) -> str:
    value = "" if item.get(key) is None else item[key]
    if not isinstance(value, str) or (key in REQUIRED and not value.strip()):
        raise fail(key, "must be non-empty text")
    return value.strip()


def _check_placeholders(value: str, key: str, fail: _Fail) -> None:
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        raise fail(key, "unbalanced { or }; only {topic} and {network} may appear in braces") from None
    for _literal, name, spec, conversion in parsed:
        if name is not None and (name not in PLACEHOLDERS or spec or conversion):
            raise fail(key, f"unknown placeholder {{{name}}}; only {{topic}} and {{network}} are filled in")
