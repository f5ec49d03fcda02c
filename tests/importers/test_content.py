"""Content import: texts that fit their networks, everything checked before anything is written."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content.tracking import Links
from bot.content.validate import Rules
from bot.importers.content import ContentError, Imported, import_content
from bot.store.models import ContentItemRow
from bot.store.store import Store
from nudges.library import ContentItem
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = Rules(Links(b"secret", "https://bot.example.com"))
CONTENT = """
- id: cloud-lessons
  title: Ten lessons from our cloud migration
  url: https://example.com/cloud
  topics: [cloud, operations]
  texts:
    linkedin: |
      We moved 400 services to the cloud. Here is what surprised us.
    twitter: What surprised us moving 400 services to the cloud https://example.com/cloud
  zones: [sharer, Content Creator, 4]
  expires_at: 2026-04-01T18:00:00+02:00
- id: hiring
  title: We are hiring
  url: https://example.com/jobs
  topics: [people]
  texts: {mastodon: Come and work with us}
  company: false
  expires_at: 2026-05-31
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "content.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_good_file_is_imported_with_every_field(store: Store, tmp_path: Path) -> None:
    imported = await import_content(store, write(tmp_path, CONTENT), NOW, RULES, created_by="mia@example.com")
    assert imported == Imported(["cloud-lessons", "hiring"], [])

    cloud, hiring = await store.list_content()
    assert cloud == ContentItem(
        id="cloud-lessons",
        title="Ten lessons from our cloud migration",
        url="https://example.com/cloud",
        topics=("cloud", "operations"),
        texts={
            "linkedin": "We moved 400 services to the cloud. Here is what surprised us.",
            "x": "What surprised us moving 400 services to the cloud https://example.com/cloud",
        },
        zones=frozenset({Zone.SHARER, Zone.CREATOR, Zone.ENGAGED}),
        company=True,
        created_at=NOW,
        expires_at=datetime(2026, 4, 1, 16, 0, tzinfo=UTC),
    )
    assert (hiring.company, hiring.zones, hiring.texts) == (
        False,
        frozenset(Zone),
        {"mastodon": "Come and work with us"},
    )
    assert hiring.expires_at == datetime(2026, 5, 31, tzinfo=UTC)
    async with store.database.sessions() as session:
        assert set(await session.scalars(select(ContentItemRow.created_by))) == {"mia@example.com"}


async def test_reimport_updates_by_id_and_keeps_when_it_was_first_seen(store: Store, tmp_path: Path) -> None:
    await import_content(store, write(tmp_path, CONTENT), NOW, RULES)
    corrected = "items:\n" + textwrap.indent(CONTENT.replace("Ten lessons", "Eleven lessons"), "  ")

    imported = await import_content(store, write(tmp_path, corrected), NOW + timedelta(days=1), RULES)
    assert imported == Imported([], ["cloud-lessons", "hiring"])
    assert str(imported) == "0 new, 2 updated (cloud-lessons, hiring)"  # never replaced silently

    cloud, _ = await store.list_content()
    assert (cloud.title, cloud.created_at) == ("Eleven lessons from our cloud migration", NOW)
    assert len(await store.list_content()) == 2


async def test_an_expiry_in_the_past_retires_an_item_early(store: Store, tmp_path: Path) -> None:
    await import_content(store, write(tmp_path, CONTENT), NOW, RULES)
    retired = CONTENT.replace("2026-04-01T18:00:00+02:00", "2026-03-01T00:00:00Z")

    await import_content(store, write(tmp_path, retired), NOW, RULES)

    assert [c.id for c in await store.active_content(NOW)] == ["hiring"]


def item(item_id: str = "extra", **fields: object) -> str:
    """One YAML item; fields override a valid default, None removes one."""
    values: dict[str, object] = {
        "id": item_id,
        "title": "Extra",
        "url": "https://example.com/extra",
        "topics": "[cloud]",
        "texts": "{linkedin: A fine text}",
    } | fields
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "- " + "\n  ".join(lines) + "\n"


X_301 = "a" * 301
X_LINKS = " ".join(["https://example.com/a-very-long-link-indeed"] * 11)  # 11 x 23 + 10 = 263
BARE_272 = "a" * 262 + " example.com/extra"[:10]  # 272 characters ending in a bare domain
BAD_CONTENT = [
    (
        "x too long",
        item("launch", texts=f"{{x: {X_301}}}"),
        "item 3 (id 'launch'), texts.x: the X text is 325 characters as X counts it (every link 23, an "
        "emoji or CJK character 2) once its link is added on a line of its own, over X's limit of 280 by 45",
    ),
    (
        "links weigh 23",
        item("links", texts=f"{{x: 'Read: {X_LINKS}'}}"),
        "item 3 (id 'links'), texts.x: the X text is 293 characters as X counts it",
    ),
    (
        "bluesky too long",
        item(texts=f"{{bluesky: {'b' * 305}}}"),
        "item 3 (id 'extra'), texts.bluesky: the Bluesky text is 385 characters as Bluesky counts it (in "
        "graphemes: an emoji is 1) once its link is added on a line of its own, over Bluesky's limit of 300 by 85",
    ),
    (
        "only a link",
        item(texts="{linkedin: 'https://example.com/extra'}"),
        "item 3 (id 'extra'), texts.linkedin: the LinkedIn text is only a link",
    ),
    (
        "only a bare domain",
        item(texts="{x: 'example.com/extra'}"),
        "item 3 (id 'extra'), texts.x: the X text is only a link",
    ),
    (
        "unknown network",
        item(texts="{myspace: hello}"),
        "item 3 (id 'extra'), texts.myspace: unknown network 'myspace'",
    ),
    (
        "one network twice",
        item(texts="{x: one, twitter: two}"),
        "item 3 (id 'extra'), texts.x: two texts for X",
    ),
    (
        "empty text",
        item(texts="{linkedin: ''}"),
        "item 3 (id 'extra'), texts.linkedin: the LinkedIn text is empty",
    ),
    ("no texts", item(texts=None), "item 3 (id 'extra'), texts: ready text for at least one network"),
    ("missing title", item(title=None), "item 3 (id 'extra'), title: a short title, please"),
    ("missing url", item(url=None), "item 3 (id 'extra'), url: missing url"),
    (
        "url not web",
        item(url="example.com"),
        "item 3 (id 'extra'), url: url 'example.com' is not a web address",
    ),
    (
        "bad id",
        item("no spaces please"),
        "item 3 (id 'no spaces please'), id: id 'no spaces please' may hold",
    ),
    ("duplicate id", item("hiring"), "item 3 (id 'hiring'): duplicate id 'hiring' (also item 2)"),
    (
        "same title twice",
        item(None, title="Extra") + item(None, title="extra!"),
        "item 4 ('extra!'): duplicate id 'extra' (also item 3)",
    ),
    (
        "bad date",
        item(expires_at="next tuesday"),
        "item 3 (id 'extra'), expires_at: expires_at 'next tuesday' is not an ISO-8601 date",
    ),
    (
        "ends before it starts",
        item(starts_at="2026-05-02", expires_at="2026-05-01"),
        "item 3 (id 'extra'), expires_at: expires_at must come after starts_at",
    ),
    (
        "unknown zone",
        item(zones="[sharer, influencer]"),
        "item 3 (id 'extra'), zones: unknown zone 'influencer'",
    ),
    ("zone out of range", item(zones="[5]"), "item 3 (id 'extra'), zones: unknown zone 5"),
    ("no zones", item(zones="[]"), "item 3 (id 'extra'), zones: zones must be a non-empty list"),
    ("unknown field", item(expires="2026-05-01"), "item 3 (id 'extra'), expires: unknown field 'expires'"),
    (
        "company not bool",
        item(company="maybe"),
        "item 3 (id 'extra'), company: company must be true or false",
    ),
    ("topics not list", item(topics="{cloud: 1}"), "item 3 (id 'extra'), topics: topics must be a list"),
    (
        "variant over the limit",
        item(texts="{x: Short and sweet}", variants=f"{{x: [Another one, {X_301}]}}"),
        "item 3 (id 'extra'), variants.x: the X text (variant 2) is 325 characters",
    ),
    (
        "variant without text",
        item(variants="{bluesky: [Hello there]}"),
        "item 3 (id 'extra'), variants.bluesky: variants for Bluesky, which has no text",
    ),
    ("item not mapping", "- just a string\n", "item 3: expected a mapping"),
]


@pytest.mark.parametrize(("extra", "message"), [c[1:] for c in BAD_CONTENT], ids=[c[0] for c in BAD_CONTENT])
async def test_a_bad_item_is_named_and_nothing_is_written(
    store: Store, tmp_path: Path, extra: str, message: str
) -> None:
    await store.upsert_content(
        [ContentItem("hiring", "Old title", "https://example.com/jobs", (), {"x": "hi"})]
    )

    with pytest.raises(ContentError, match="^" + re.escape(f"content.yaml {message}")):
        await import_content(store, write(tmp_path, CONTENT + extra), NOW, RULES)

    assert [(c.id, c.title) for c in await store.list_content()] == [("hiring", "Old title")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "content.yaml: expected a list of items"),
        ("title: not a list\n", "content.yaml: expected a list of items"),
        ("- id: [unclosed\n", "content.yaml: not valid YAML"),
    ],
)
async def test_a_file_that_is_not_a_list_of_items_is_refused(
    store: Store, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ContentError, match="^" + re.escape(message)):
        await import_content(store, write(tmp_path, text), NOW, RULES)

    assert await store.list_content() == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"- id: a\n  title: [unclosed\n", "content.yaml: not valid YAML at line 3: expected ',' or ']'"),
        (b"- id: a\n\ttitle: tab\n", "content.yaml: not valid YAML at line 2: found character '\\t'"),
        ("- id: caf\u00e9\n".encode("latin-1"), "content.yaml: not UTF-8 text; save the file as UTF-8"),
    ],
    ids=["unclosed bracket", "tab indent", "latin-1"],
)
async def test_a_broken_file_is_one_line_naming_where(
    store: Store, tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "content.yaml"
    path.write_bytes(raw)
    with pytest.raises(ContentError) as raised:
        await import_content(store, path, NOW, RULES)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


async def test_the_issues_272_character_x_text_with_a_bare_domain_is_refused_as_286(
    store: Store, tmp_path: Path
) -> None:
    text = "a" * 262 + " acme.io/r"
    assert len(text) == 272
    extra = item("bare", url="https://acme.io/r", texts=f"{{x: '{text}'}}")

    with pytest.raises(ContentError) as raised:
        await import_content(store, write(tmp_path, CONTENT + extra), NOW, RULES)

    # The bare domain is the item's URL: it becomes the person's link, and X counts it 23 either way.
    assert "item 3 (id 'bare'), texts.x: the X text is 286 characters" in str(raised.value)
    assert "over X's limit of 280 by 6" in str(raised.value)
    assert await store.list_content() == []


async def test_a_required_disclosure_is_checked_in_every_text(store: Store, tmp_path: Path) -> None:
    rules = Rules(RULES.links, disclosure="#employee")
    good = item("ok", texts="{linkedin: 'A fine text #employee', x: 'Short #Employee'}")
    bad = item("bad", texts="{linkedin: 'A fine text #employee', x: 'Short and no tag'}")

    with pytest.raises(
        ContentError,
        match=re.escape("item 2 (id 'bad'), texts.x: the X text lacks the disclosure '#employee'"),
    ):
        await import_content(store, write(tmp_path, good + bad), NOW, rules)
    assert await store.list_content() == []

    assert (await import_content(store, write(tmp_path, good), NOW, rules)).added == ["ok"]


async def test_new_fields_summary_teams_start_variants_follow_and_no_topics(
    store: Store, tmp_path: Path
) -> None:
    text = """
items:
  - title: Новый релиз
    url: https://example.com/ru
    summary: What is new this month, in two lines.
    teams: [Sales, Support]
    starts_at: 2026-03-03
    follow: ["@acme", "#cloudnative"]
    texts:
      x: Our new release is out https://example.com/ru
      bluesky: Our new release is out 🎉
    variants:
      x: ["The release our customers asked for https://example.com/ru"]
  - title: 新しいリリース
    url: https://example.com/ja
    texts: {linkedin: 新しいリリースです}
"""
    await import_content(store, write(tmp_path, text), NOW, RULES)

    ru, ja = sorted(await store.list_content(), key=lambda i: i.url, reverse=True)
    assert (ru.id, ja.id) == ("новый-релиз", "新しいリリース")  # never both "item"
    assert ru.topics == () and ru.summary == "What is new this month, in two lines."
    assert ru.teams == frozenset({"sales", "support"})
    assert ru.starts_at == datetime(2026, 3, 3, tzinfo=UTC)
    assert ru.follow == ("@acme", "#cloudnative")
    assert ru.variants == {"x": ("The release our customers asked for https://example.com/ru",)}
    assert not ru.live(NOW) and ru.live(datetime(2026, 3, 3, tzinfo=UTC))
