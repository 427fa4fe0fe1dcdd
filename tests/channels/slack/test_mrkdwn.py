"""CommonMark to mrkdwn: formatting, links, images, and escaping that stops mentions."""

from __future__ import annotations

from bot.channels.slack.mrkdwn import (
    Picture,
    escape,
    safe_url,
    split_text,
    to_mrkdwn,
    to_plain,
    to_segments,
)


def test_inline_formatting_becomes_mrkdwn() -> None:
    assert to_mrkdwn("**bold**, _it_, *it too* and `x < y`") == (
        "*bold*, _it_, _it too_ and `x &lt; y`"
    )


def test_control_characters_are_escaped_so_nothing_pings_or_links() -> None:
    text = to_mrkdwn("<!channel> <!here> <@U123> <#C1> <!subteam^S1> a & b")
    assert "<" not in text and ">" not in text
    assert text.count("&lt;") == 5 and "a &amp; b" in text


def test_backslash_escaped_learner_text_stays_literal() -> None:
    # what bot.core.text.escape_markdown produces for "[x](https://e.example) <!channel>"
    text = to_mrkdwn(r"\[x\]\(https://e.example\) \<\!channel\>")
    assert text == "[x](https://e.example) &lt;!channel&gt;"


def test_links_keep_only_safe_schemes() -> None:
    assert (
        to_mrkdwn("[docs](https://a.example/?q=1&r=2)") == "<https://a.example/?q=1&amp;r=2|docs>"
    )
    assert to_mrkdwn("<https://a.example>") == "<https://a.example>"
    assert to_mrkdwn("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert (
        safe_url("ftp://x") is None
        and safe_url("https://a.example/a|b") == "https://a.example/a%7Cb"
    )


def test_lists_quotes_headings_and_code() -> None:
    text = to_mrkdwn(
        "### Why\n\n- one\n- two\n  1. a\n\n> quoted\n\n```py\nif a < b:\n    pass\n```"
    )
    assert "*Why*" in text
    assert "• one\n• two\n  1. a" in text
    assert "> quoted" in text
    assert "```\nif a &lt; b:\n    pass\n```" in text


def test_a_lone_image_becomes_its_own_segment() -> None:
    segments = to_segments("Before\n\n![A chart of risks](https://img.example/c.png)\n\nAfter")
    assert segments == ("Before", Picture("https://img.example/c.png", "A chart of risks"), "After")
    inline = to_segments("See ![icon](https://img.example/i.png) here")
    assert inline == ("See <https://img.example/i.png|icon> here",)


def test_plain_text_drops_markup() -> None:
    assert (
        to_plain("'**x**' is not a number. Send a `number`.")
        == "'x' is not a number. Send a number."
    )


def test_split_text_prefers_paragraphs_and_never_cuts_an_escape() -> None:
    text = "a" * 50 + "\n\n" + "b" * 50
    assert split_text(text, 60) == ["a" * 50, "b" * 50]
    pieces = split_text("x" * 9 + "&amp;" + "y" * 20, 12)
    assert all("&am" not in p or "&amp;" in p for p in pieces)
    assert "".join(pieces) == "x" * 9 + "&amp;" + "y" * 20
    assert all(len(p) <= 12 for p in pieces)


def test_escape() -> None:
    assert escape("<&>") == "&lt;&amp;&gt;"
