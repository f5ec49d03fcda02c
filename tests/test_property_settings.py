"""Property tests run without a per-example deadline (tests/conftest.py loads the profile)."""

from __future__ import annotations

from hypothesis import settings


def test_property_tests_have_no_deadline_and_keep_their_example_counts() -> None:
    assert settings.default is not None
    assert settings.default.deadline is None
    # What ``@settings(max_examples=...)`` on a test builds: the count changes, the deadline stays off.
    own = settings(max_examples=7)
    assert (own.max_examples, own.deadline) == (7, None)
