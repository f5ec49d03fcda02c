"""Content import: texts that fit their networks, everything checked before anything is written."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.importers.content import ContentError, import_content
from bot.store.models import ContentItemRow
from bot.store.store import Store
from nudges.library import ContentItem
from nudges.zones import Zone

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
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
    assert await import_content(store, write(tmp_path, CONTENT), NOW, created_by="mia@example.com") == 2

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
    await import_content(store, write(tmp_path, CONTENT), NOW)
    corrected = "items:\n" + textwrap.indent(CONTENT.replace("Ten lessons", "Eleven lessons"), "  ")

    assert await import_content(store, write(tmp_path, corrected), NOW + timedelta(days=1)) == 2

    cloud, _ = await store.list_content()
    assert (cloud.title, cloud.created_at) == ("Eleven lessons from our cloud migration", NOW)
    assert len(await store.list_content()) == 2


async def test_an_expiry_in_the_past_retires_an_item_early(store: Store, tmp_path: Path) -> None:
    await import_content(store, write(tmp_path, CONTENT), NOW)
    retired = CONTENT.replace("2026-04-01T18:00:00+02:00", "2026-03-01T00:00:00Z")

    await import_content(store, write(tmp_path, retired), NOW)

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
X_LINKS = " ".join(["https://example.com/a-very-long-link-indeed"] * 12)  # 12 x 23 + 11 = 287
BAD_CONTENT = [
    (
        "x too long",
        item("launch", texts=f"{{x: {X_301}}}"),
        "item 3 (id 'launch'): the X text is 301 characters, over X's limit of 280 by 21",
    ),
    (
        "links weigh 23",
        item("links", texts=f"{{x: '{X_LINKS}'}}"),
        "item 3 (id 'links'): the X text is 287 characters as X counts them",
    ),
    (
        "bluesky too long",
        item(texts=f"{{bluesky: {'b' * 305}}}"),
        "item 3 (id 'extra'): the Bluesky text is 305 characters, over Bluesky's limit of 300 by 5",
    ),
    ("unknown network", item(texts="{myspace: hello}"), "item 3 (id 'extra'): unknown network 'myspace'"),
    ("one network twice", item(texts="{x: one, twitter: two}"), "item 3 (id 'extra'): two texts for X"),
    ("empty text", item(texts="{linkedin: ''}"), "item 3 (id 'extra'): the LinkedIn text is empty"),
    ("no texts", item(texts=None), "item 3 (id 'extra'): texts must map each network"),
    ("missing id", item(id=None), "item 3: missing id"),
    ("missing title", item(title=None), "item 3 (id 'extra'): missing title"),
    ("missing url", item(url=None), "item 3 (id 'extra'): missing url"),
    ("url not web", item(url="example.com"), "item 3 (id 'extra'): url 'example.com' is not a web address"),
    ("duplicate id", item("hiring"), "item 3 (id 'hiring'): duplicate id 'hiring' (also item 2)"),
    (
        "bad date",
        item(expires_at="next tuesday"),
        "item 3 (id 'extra'): expires_at 'next tuesday' is not an ISO-8601 date",
    ),
    ("unknown zone", item(zones="[sharer, influencer]"), "item 3 (id 'extra'): unknown zone 'influencer'"),
    ("zone out of range", item(zones="[5]"), "item 3 (id 'extra'): unknown zone 5"),
    ("no zones", item(zones="[]"), "item 3 (id 'extra'): zones must be a non-empty list"),
    ("unknown field", item(expires="2026-05-01"), "item 3 (id 'extra'): unknown field 'expires'"),
    ("company not bool", item(company="maybe"), "item 3 (id 'extra'): company must be true or false"),
    ("topics not list", item(topics="cloud"), "item 3 (id 'extra'): topics must be a list"),
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
        await import_content(store, write(tmp_path, CONTENT + extra), NOW)

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
        await import_content(store, write(tmp_path, text), NOW)

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
        await import_content(store, path, NOW)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
