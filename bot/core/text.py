"""Safe handling of text people typed, before it is echoed in a message."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
_LINE_START = re.compile(r"^(\s*\d*)([-+=.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Make learner text literal inside CommonMark (no links, emphasis, lists or HTML)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_INLINE_MARKUP = re.compile(r"`([^`]*)`|\*\*([^*]+)\*\*|(?<!\w)_([^_]+)_(?!\w)")


def plain_text(markdown: str) -> str:
    """Inline CommonMark as plain text, for labels that show no formatting (form options)."""
    return _INLINE_MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), markdown)
