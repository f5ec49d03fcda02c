"""One validation for a suggested share, however it was made: the Slack modal, the Teams card or
``journeybot content import``. Each turns what it received into a plain mapping (``from_form`` for
the two forms, the YAML as it is) and gets back the item or every problem, each naming its field.

What is refused, and why: a text over its network's limit as that network counts it (a cut-off post
is a classic failure), a text that is only a link (another one, seed 003), a text without the
disclosure the organisation requires (``CONTENT_DISCLOSURE``) or the item asks for, an address that
is not a web address, and anything ambiguous (an unknown field, network or zone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from bot.content.counting import HOW_COUNTED, counted_length, limit, only_links
from bot.content.ids import MAX_ID_LENGTH, slug, valid_id
from bot.content.tracking import Links
from nudges import words
from nudges.library import NETWORK_LIMITS, ContentItem, network_label, posted_text
from nudges.words import short
from nudges.zones import Zone

FIELDS = (
    "id", "title", "url", "summary", "topics", "zones", "teams", "starts_at", "expires_at", "company",
    "disclosure", "texts", "variants", "follow",
)  # fmt: skip
MAX_TITLE = 150
MAX_SUMMARY = 300
_Fail = Callable[[str, str], None]


@dataclass(frozen=True)
class Problem:
    field: str  # "url", "texts.x", "variants.bluesky" …
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Rules:
    """What every text must satisfy besides its length: the organisation's disclosure, and the links
    it will carry (texts are counted with the longest link a person may get)."""

    links: Links
    disclosure: str = ""


def validate(raw: object, rules: Rules, now: datetime) -> tuple[ContentItem | None, list[Problem]]:
    """The item ``raw`` describes, or every problem found (the item is None then)."""
    problems: list[Problem] = []

    def fail(field: str, message: str) -> None:
        problems.append(Problem(field, message))

    if not isinstance(raw, Mapping):
        fail("item", "expected a mapping with title, url and texts")
        return None, problems
    unknown = sorted(str(key) for key in raw if key not in FIELDS)
    for key in unknown:
        fail(key, f"unknown field {short(key)} (known fields: {', '.join(FIELDS)})")
    title = _text(raw.get("title"))
    if not title:
        fail("title", "a short title, please")
    elif len(title) > MAX_TITLE:
        fail("title", f"the title is {len(title)} characters; {MAX_TITLE} at most, please")
    item_id = _text(raw.get("id")) or (slug(title) if title else "")
    if raw.get("id") is not None and not valid_id(item_id):
        fail(
            "id", f"id {short(item_id)} may hold letters, digits, '-', '.' and '_' ({MAX_ID_LENGTH} at most)"
        )
    url = _text(raw.get("url"))
    if not url:
        fail("url", "missing url: the link people share")
    elif not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        fail("url", f"url {short(url)} is not a web address (starting with https://)")
    summary = _text(raw.get("summary"))
    if len(summary) > MAX_SUMMARY:
        fail("summary", f"the summary is {len(summary)} characters; one or two lines ({MAX_SUMMARY} at most)")
    company = raw.get("company", True)
    if isinstance(company, str) and company.strip().lower() in ("true", "yes", "false", "no"):
        company = company.strip().lower() in ("true", "yes")
    if not isinstance(company, bool):
        fail("company", f"company must be true or false, not {short(company)}")
        company = True
    # Read as people's own topics are (nudges/words.py): trimmed, lower-case, each once.
    topics = words.topics(
        _words(raw.get("topics"), "topics", "topics must be a list of words, e.g. [cloud, security]", fail)
    )
    teams = _words(
        raw.get("teams"), "teams", "teams must be a list of team names, e.g. [Sales, Support]", fail
    )
    follow = _words(
        raw.get("follow"), "follow", "follow must be a list, e.g. ['@acme', '#cloudnative']", fail
    )
    zones = _zones(raw.get("zones"), fail)
    starts_at = _instant(raw.get("starts_at"), "starts_at", fail)
    expires_at = _instant(raw.get("expires_at"), "expires_at", fail)
    if starts_at and expires_at and expires_at <= starts_at:
        fail("expires_at", "expires_at must come after starts_at")
    disclosure = _text(raw.get("disclosure"))
    required = tuple(d for d in dict.fromkeys((rules.disclosure.strip(), disclosure)) if d)
    draft = ContentItem(id=item_id, title=title, url=url, topics=topics, texts={})
    texts = _texts(raw.get("texts"), draft, rules, required, fail)
    variants = _variants(raw.get("variants"), texts, draft, rules, required, fail)
    if problems:
        return None, problems
    item = ContentItem(
        id=item_id,
        title=title,
        url=url,
        topics=topics,
        texts=texts,
        zones=zones,
        company=company,
        created_at=now,
        expires_at=expires_at,
        summary=summary,
        teams=frozenset(t.casefold() for t in teams),
        starts_at=starts_at,
        variants=variants,
        follow=follow,
    )
    return item, []


def from_form(values: Mapping[str, str | list[str]]) -> dict[str, object]:
    """A form's flat values (Slack modal, Teams card) as the mapping ``validate`` reads: one
    ``text_<network>`` input per network, comma-separated lists, a date for the expiry."""

    def one(key: str) -> str:
        value = values.get(key, "")
        return (", ".join(value) if isinstance(value, list) else value).strip()

    def many(key: str) -> list[str]:
        value = values.get(key, [])
        parts = value if isinstance(value, list) else value.replace("\n", ",").split(",")
        return [p.strip() for p in parts if p.strip()]

    raw: dict[str, object] = {"title": one("title"), "url": one("url")}
    for key in ("id", "summary", "disclosure", "starts_at", "expires_at"):
        if one(key):
            raw[key] = one(key)
    for key in ("topics", "teams", "follow", "zones"):
        if many(key):
            raw[key] = many(key)
    # A checkbox group: ticked means this is someone else's piece (not company content).
    raw["company"] = "not_company" not in many("not_company")
    raw["texts"] = {n: one(f"text_{n}") for n in NETWORK_LIMITS if one(f"text_{n}")}
    return raw


def form_field(problem: Problem) -> str:
    """The form input a problem belongs under (``texts.x`` is the ``text_x`` input)."""
    if problem.field.startswith(("texts.", "variants.")):
        return "text_" + problem.field.split(".", 1)[1]
    return problem.field


def _text(value: object) -> str:
    return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _words(value: object, field: str, hint: str, fail: _Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        fail(field, hint)
        return ()
    return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))


def _zones(value: object, fail: _Fail) -> frozenset[Zone]:
    if value is None:
        return frozenset(Zone)
    entries = value.split(",") if isinstance(value, str) else value
    if not isinstance(entries, list | tuple) or not entries:
        fail("zones", "zones must be a non-empty list, e.g. [sharer, creator] or [2, 3]")
        return frozenset(Zone)
    zones = set()
    for entry in entries:
        zone = words.zone(entry.strip() if isinstance(entry, str) else entry)
        if zone is None:
            fail("zones", f"unknown zone {short(entry)} (consumer, sharer, creator, engaged or 1–4)")
            continue
        zones.add(zone)
    return frozenset(zones) or frozenset(Zone)


def _instant(value: object, field: str, fail: _Fail) -> datetime | None:
    """ISO-8601; a bare date means midnight UTC, a time without an offset means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            fail(
                field,
                f"{field} {short(value)} is not an ISO-8601 date, e.g. 2026-05-31 or 2026-05-31T17:00:00Z",
            )
            return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=UTC)
    if not isinstance(value, datetime):
        fail(
            field, f"{field} {short(value)} is not an ISO-8601 date, e.g. 2026-05-31 or 2026-05-31T17:00:00Z"
        )
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _texts(
    value: object, draft: ContentItem, rules: Rules, required: tuple[str, ...], fail: _Fail
) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        fail("texts", "ready text for at least one network, e.g. texts: {linkedin: '…'}")
        return {}
    texts: dict[str, str] = {}
    for name, text in value.items():
        network = words.network(str(name))
        if network is None:
            fail(f"texts.{name}", f"unknown network {short(name)} (known: {', '.join(NETWORK_LIMITS)})")
            continue
        if network in texts:
            fail(f"texts.{network}", f"two texts for {network_label(network)}")
            continue
        checked = _checked_text(text, network, f"texts.{network}", draft, rules, required, fail)
        if checked is not None:
            texts[network] = checked
    return texts


def _variants(
    value: object,
    texts: dict[str, str],
    draft: ContentItem,
    rules: Rules,
    required: tuple[str, ...],
    fail: _Fail,
) -> dict[str, tuple[str, ...]]:
    """Other ready texts for a network that has one: each person gets one of them."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        fail("variants", "variants must map a network to a list of other texts, e.g. {x: ['…', '…']}")
        return {}
    variants: dict[str, tuple[str, ...]] = {}
    for name, entries in value.items():
        network = words.network(str(name))
        field = f"variants.{network or name}"
        if network is None:
            fail(field, f"unknown network {short(name)} (known: {', '.join(NETWORK_LIMITS)})")
            continue
        if network not in texts:
            fail(field, f"variants for {network_label(network)}, which has no text of its own in texts")
            continue
        if not isinstance(entries, list) or not entries:
            fail(field, f"the {network_label(network)} variants must be a list of texts")
            continue
        checked = [
            _checked_text(t, network, field, draft, rules, required, fail, f" (variant {n})")
            for n, t in enumerate(entries, start=1)
        ]
        variants[network] = tuple(dict.fromkeys(t for t in checked if t is not None))
    return variants


def _checked_text(
    text: object,
    network: str,
    field: str,
    draft: ContentItem,
    rules: Rules,
    required: tuple[str, ...],
    fail: _Fail,
    which: str = "",
) -> str | None:
    label = network_label(network)
    if not isinstance(text, str) or not text.strip():
        fail(field, f"the {label} text{which} is empty")
        return None
    text = text.strip()
    if only_links(text):
        fail(field, f"the {label} text{which} is only a link: add a line saying why it's worth a read")
        return None
    missing = [d for d in required if d.casefold() not in text.casefold()]
    if missing:
        fail(field, f"the {label} text{which} lacks the disclosure {missing[0]!r} that is required")
        return None
    if draft.url:
        # Counted as posted: with the longest link a person may get in place of (or after) the URL.
        posted = posted_text(text, draft.url, rules.links.longest_link(draft, network))
        length, most = counted_length(network, posted), limit(network)
        if length > most:
            how = HOW_COUNTED.get(network, "")
            mentioned = draft.url in text or draft.url.partition("://")[2] in text
            with_link = " with its link" if mentioned else " once its link is added on a line of its own"
            fail(
                field,
                f"the {label} text{which} is {length} characters{' ' + how if how else ''}{with_link}, "
                f"over {label}'s limit of {most} by {length - most}",
            )
            return None
    return text
