"""The built-in catalogue: shape, limits and tone.

Each rule is a small checker returning the problems it finds; it is run on ``BUILTIN`` (no problems)
and on a deliberately broken template (some problem), so no test can pass vacuously.
"""

from __future__ import annotations

import re
import string
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from nudges.activities import ActivityKind
from nudges.catalogue import BUILTIN
from nudges.library import NETWORK_LIMITS, Category, Template
from nudges.zones import Zone

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDERS = {"topic", "network"}
KIND_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_SLUG = re.compile(r"^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words that would make the bot nag, shame or chase numbers (JOURNEY.md, "How the bot should behave").
BANNED = (
    "you must",
    "must ",
    "you should",
    "should have",
    "you haven't",
    "you have not",
    "you need to",
    "behind",
    "fail",
    "lazy",
    "hurry",
    "asap",
    "don't miss",
    "last chance",
    "followers count",
    "follower count",
    "more followers",
    "go viral",
    "viral",
    "leaderboard",
    "guilt",
    "shame",
)

Checker = Callable[[Iterable[Template]], list[str]]


def bad(**changes: object) -> Template:
    """A copy of the first built-in template with some fields changed."""
    return replace(BUILTIN[0], **changes)


def duplicate_ids(templates: Iterable[Template]) -> list[str]:
    counts = Counter(t.id for t in templates)
    return [i for i, n in counts.items() if n > 1]


def badly_formed_ids(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if not ID_SLUG.match(t.id) or not t.id.startswith(t.zone.name.lower())]


def wrong_categories(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if t.category not in (Category.STEP, Category.PROMPT)]


def wrong_minutes(templates: Iterable[Template]) -> list[str]:
    return [
        t.id
        for t in templates
        if not 1 <= t.minutes <= 15 or (t.category == Category.PROMPT and not 10 <= t.minutes <= 15)
    ]


def fields_with_text(t: Template) -> tuple[str, ...]:
    return (t.title, t.text, t.follow_up)


def wrong_placeholders(templates: Iterable[Template]) -> list[str]:
    problems = []
    for t in templates:
        for value in fields_with_text(t):
            try:
                parsed = list(string.Formatter().parse(value))
            except ValueError:
                problems.append(f"{t.id}: unbalanced braces")
                continue
            for _literal, name, spec, conversion in parsed:
                if name is not None and (name not in PLACEHOLDERS or spec or conversion):
                    problems.append(f"{t.id}: {{{name}}}")
    return problems


def placeholders_on_one_network(templates: Iterable[Template]) -> list[str]:
    """``{network}`` is filled from the person's networks: meaningless on a one-network template."""
    return [t.id for t in templates if t.networks and "{network}" in t.text]


NETWORK_NAMES = re.compile(r"\b(LinkedIn|X|Twitter|Facebook|Instagram|Mastodon|Bluesky|Threads|XING)\b")


def networks_named_without_being_tied(templates: Iterable[Template]) -> list[str]:
    """A template for any network must not name one: a LinkedIn-only person read "your old LinkedIn
    or X profile". Name it through ``{network}`` (their own), or tie the template to it."""
    return [
        t.id
        for t in templates
        if not t.networks and any(NETWORK_NAMES.search(f) for f in fields_with_text(t))
    ]


def bad_kinds(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if not KIND_SLUG.match(t.kind)]


def tone_problems(templates: Iterable[Template]) -> list[str]:
    return [
        f"{t.id}: {phrase!r}"
        for t in templates
        for phrase in BANNED
        if phrase in " ".join(fields_with_text(t)).lower().replace("’", "'")
    ]


def unknown_networks(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if not set(t.networks) <= set(NETWORK_LIMITS)]


def long_titles(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if not t.title or len(t.title) > 60 or t.title.endswith(".")]


def long_texts(templates: Iterable[Template]) -> list[str]:
    """One to three sentences; bold markers balanced."""
    return [
        t.id
        for t in templates
        if not 1 <= len(re.split(r"(?<=[.!?])\s+", t.text.strip())) <= 3 or t.text.count("**") % 2
    ]


def follow_ups_not_questions(templates: Iterable[Template]) -> list[str]:
    return [t.id for t in templates if t.follow_up and "?" not in t.follow_up]


CHECKERS: dict[str, tuple[Checker, Template]] = {
    "duplicate ids": (duplicate_ids, BUILTIN[1]),  # checked together with BUILTIN[1] itself
    "ids": (badly_formed_ids, bad(id="Consumer Revive")),
    "categories": (wrong_categories, bad(category=Category.SHARE)),
    "minutes": (wrong_minutes, bad(minutes=20)),
    "prompt minutes": (wrong_minutes, bad(category=Category.PROMPT, minutes=3)),
    "placeholders": (wrong_placeholders, bad(text="Write about {subject} today.")),
    "format spec": (wrong_placeholders, bad(text="Write about {topic!r} today.")),
    "unbalanced braces": (wrong_placeholders, bad(follow_up="Did you {get to it?")),
    "one-network placeholder": (placeholders_on_one_network, bad(networks=("x",), text="On {network}.")),
    "named networks": (networks_named_without_being_tied, bad(text="Got an old LinkedIn or X profile?")),
    "kinds": (bad_kinds, bad(kind="Tweet Chat")),
    "tone": (tone_problems, bad(text="Hurry, you must post today or fall behind.")),
    "tone in follow-ups": (tone_problems, bad(follow_up="You haven't posted yet?")),
    "tone in titles": (tone_problems, bad(title="Go viral this week")),
    "networks": (unknown_networks, bad(networks=("myspace",))),
    "titles": (long_titles, bad(title="x" * 61)),
    "texts": (long_texts, bad(text="One. Two. Three. Four.")),
    "follow-ups": (follow_ups_not_questions, bad(follow_up="Let me know.")),
}


@pytest.mark.parametrize("name", CHECKERS)
def test_builtin_catalogue_passes(name: str) -> None:
    checker, _ = CHECKERS[name]
    assert checker(BUILTIN) == []


@pytest.mark.parametrize("name", CHECKERS)
def test_each_check_catches_a_broken_template(name: str) -> None:
    checker, broken = CHECKERS[name]
    assert checker((*BUILTIN[1:], broken)) != []


def test_size_per_zone() -> None:
    counts = Counter(t.zone for t in BUILTIN)
    assert set(counts) == set(Zone)
    assert all(n >= 30 for n in counts.values()), counts  # enough for months without repeats


def test_each_zone_has_steps_and_prompts() -> None:
    for zone in Zone:
        categories = {t.category for t in BUILTIN if t.zone == zone}
        assert categories == {Category.STEP, Category.PROMPT}, zone


def test_types_and_variety() -> None:
    assert all(isinstance(t, Template) for t in BUILTIN)
    assert all(isinstance(t.evidence, ActivityKind) and isinstance(t.zone, Zone) for t in BUILTIN)
    # Kinds are families a "Not for me" retires together: enough of them that one answer never empties
    # a zone, few enough that saying no to a chat also means no to the next similar chat.
    assert 25 <= len({t.kind for t in BUILTIN}) <= 45
    assert sum(bool(t.follow_up) for t in BUILTIN) >= 0.8 * len(BUILTIN)
    with_placeholders = sum("{topic}" in t.text or "{network}" in t.text for t in BUILTIN)
    assert len(BUILTIN) // 5 <= with_placeholders <= len(BUILTIN) // 2


def foreign_modules(module: str) -> set[str]:
    """Top-level modules outside the standard library and ``nudges`` that importing ``module`` loads."""
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        f"import {module}\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    tops = {name.split(".")[0] for name in out.stdout.split()}
    return {m for m in tops if m != "nudges" and m not in sys.stdlib_module_names and not m.startswith("_")}


def test_catalogue_imports_only_stdlib_and_nudges() -> None:
    loaded = foreign_modules("nudges.catalogue")
    assert loaded == set()
    assert not loaded & {"sqlalchemy", "yaml", "aiohttp", "bot", "adapters"}


def test_import_check_notices_a_foreign_import() -> None:
    assert "yaml" in foreign_modules("bot.importers.catalogue")


def test_a_template_id_never_has_a_colon() -> None:
    """Planning summaries keep the "Done" of keys without one only (``nudges.selection.fold``)."""
    with pytest.raises(ValueError, match="colon"):
        replace(BUILTIN[0], id="follow_up:o1")
