"""The pure renderer: neutral markup as escaped mrkdwn, and every Block Kit limit kept."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack import blocks as kit
from adapters.slack.mrkdwn import escape, mrkdwn_within, to_mrkdwn
from nudges.messages import Button, Buttons, Divider, Fields, Header, Image, Message, Quote, Text


def test_markup_becomes_mrkdwn() -> None:
    assert to_mrkdwn("**bold** and _italic_") == "*bold* and _italic_"
    assert (
        to_mrkdwn("[the post](https://example.com/a?b=1&c=2)")
        == "<https://example.com/a?b=1&amp;c=2|the post>"
    )
    assert to_mrkdwn("- one\n- two") == "• one\n• two"


def test_user_text_is_escaped_so_it_cannot_mention_or_link() -> None:
    assert to_mrkdwn("<!channel> & <@U1> > you") == "&lt;!channel&gt; &amp; &lt;@U1&gt; &gt; you"
    assert escape("a&b") == "a&amp;b"
    assert to_mrkdwn("[x|y](https://e.com/p|q)") == "<https://e.com/p%7Cq|x¦y>"
    assert to_mrkdwn("[not a link](javascript:alert(1))") == "[not a link](javascript:alert(1))"


def test_long_text_is_cut_cleanly_never_inside_an_entity_or_link() -> None:
    text = "&" * 5000
    cut = mrkdwn_within(text, 3000)
    assert len(cut) <= 3000 and cut.endswith("…") and cut[:-1].replace("&amp;", "") == ""
    linky = "see [a link](https://example.com/x) " * 200
    shortened = mrkdwn_within(linky, 3000)
    assert len(shortened) <= 3000 and shortened.count("<") == shortened.count(">")


def test_a_nudge_renders_header_section_and_buttons_with_unique_action_ids() -> None:
    message = Message(
        (
            Header("Step"),
            Text("Do **one** thing"),
            Buttons((Button("Done", "nudge.done", "o1", primary=True), Button("Later", "nudge.later", "o1"))),
        ),
        fallback="Step <now>",
        offer_id="o1",
    )
    rendered = kit.render(message)
    assert rendered["text"] == "Step &lt;now&gt;"
    header, section, actions = rendered["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Step"}}
    assert section["text"] == {"type": "mrkdwn", "text": "Do *one* thing"}
    assert [e["action_id"] for e in actions["elements"]] == ["nudge.done#0", "nudge.later#1"]
    assert actions["elements"][0]["style"] == "primary" and actions["elements"][0]["value"] == "o1"


def test_a_quote_is_preformatted_rich_text_to_copy() -> None:
    (block,) = kit.render_blocks(Message((Quote("Ready <text> & more", caption="LinkedIn"),), "q"))
    assert block["type"] == "rich_text"
    assert block["elements"][1] == {
        "type": "rich_text_preformatted",
        "elements": [{"type": "text", "text": "Ready <text> & more"}],
    }


def test_too_many_blocks_keep_the_buttons_and_say_so() -> None:
    many = (*(Text(f"line {i}") for i in range(80)), Buttons((Button("Done", "nudge.done", "o"),)))
    rendered = kit.render_blocks(Message(many, "many"))
    assert len(rendered) == 50
    assert any(b["type"] == "actions" for b in rendered)
    assert "shortened" in rendered[-1]["elements"][0]["text"]


# Every limit, for any neutral message ------------------------------------------------------------

texts = st.text(min_size=0, max_size=4000)
buttons = st.builds(Button, texts, st.text(min_size=1, max_size=300), st.text(max_size=2500), st.booleans())
neutral_blocks = st.one_of(
    st.builds(Header, texts),
    st.builds(Text, texts),
    st.builds(Fields, st.lists(st.tuples(texts, texts), max_size=25).map(tuple)),
    st.builds(Buttons, st.lists(buttons, max_size=30).map(tuple)),
    st.builds(Divider),
    st.builds(Image, st.just("https://example.com/i.png"), texts),
    st.builds(Quote, texts, texts),
)
messages = st.builds(Message, st.lists(neutral_blocks, max_size=70).map(tuple), texts)


def check_limits(block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "header":
        assert 0 < len(block["text"]["text"]) <= kit.MAX_HEADER
    elif kind == "section":
        if "text" in block:
            assert 0 < len(block["text"]["text"]) <= kit.MAX_SECTION_TEXT
        for field in block.get("fields", []):
            assert len(field["text"]) <= kit.MAX_FIELD_TEXT
        assert len(block.get("fields", [])) <= kit.MAX_FIELDS
    elif kind == "actions":
        elements = block["elements"]
        assert 0 < len(elements) <= kit.MAX_ACTIONS_ELEMENTS
        ids = [e["action_id"] for e in elements]
        assert len(set(ids)) == len(ids)
        for element in elements:
            assert 0 < len(element["text"]["text"]) <= kit.MAX_BUTTON_TEXT
            assert len(element["action_id"]) <= kit.MAX_ACTION_ID
            assert len(element.get("value", "")) <= kit.MAX_BUTTON_VALUE
    elif kind == "rich_text":
        for element in block["elements"]:
            assert all(len(t["text"]) <= kit.MAX_SECTION_TEXT + 1 for t in element["elements"])
    elif kind == "image":
        assert 0 < len(block["alt_text"]) <= kit.MAX_ALT


@settings(max_examples=150, deadline=None)
@given(messages)
def test_any_neutral_message_renders_within_every_limit(message: Message) -> None:
    rendered = kit.render(message)
    assert len(rendered["blocks"]) <= kit.MAX_MESSAGE_BLOCKS
    assert 0 < len(rendered["text"]) <= 4 * kit.MAX_FALLBACK  # escaping may lengthen, never unbounded
    for block in rendered["blocks"]:
        check_limits(block)
    assert len(kit.render_blocks(message, kit.MAX_VIEW_BLOCKS)) <= kit.MAX_VIEW_BLOCKS


def test_a_home_view_too_long_for_slack_is_cut_at_100_blocks_keeping_its_buttons() -> None:
    long_map = Message(
        (*(Text(f"Line {n}") for n in range(150)), Buttons((Button("Next step", "journey.next"),))), "map"
    )
    settings = Message((Header("Your settings"), Buttons((Button("Edit settings", "settings.open"),))), "s")

    blocks = kit.home_view([long_map, settings])["blocks"]

    assert len(blocks) == kit.MAX_VIEW_BLOCKS
    assert [b["elements"][0]["action_id"] for b in blocks if b["type"] == "actions"] == [
        "journey.next#0", "settings.open#0",
    ]  # fmt: skip
    assert blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": kit.SHORTENED}]}
    assert blocks[0]["text"]["text"] == "Line 0"
    assert kit.home_view([settings])["blocks"] == kit.render_blocks(settings)  # short: nothing cut
