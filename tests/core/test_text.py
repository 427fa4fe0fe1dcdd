"""Learner text is echoed literally; option labels lose inline markup."""

from __future__ import annotations

from markdown_it import MarkdownIt

from bot.core.text import escape_markdown, plain_text

md = MarkdownIt("commonmark", {"html": False})


def test_escaped_text_renders_as_the_same_words() -> None:
    typed = "<!channel> [click](http://evil.example) **loud** - not a list\n1. nor this"
    html = md.render(escape_markdown(typed))
    assert "<a " not in html and "<strong>" not in html and "<ol>" not in html
    assert "<ul>" not in html and "&lt;!channel&gt;" in html


def test_plain_text_drops_inline_markup_but_keeps_words() -> None:
    label = plain_text("`cursor.execute(sql, (name,))` is **safe**, _really_ (snake_case)")
    assert label == "cursor.execute(sql, (name,)) is safe, really (snake_case)"
