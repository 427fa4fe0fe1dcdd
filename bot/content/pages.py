"""Split a lesson's Markdown into pages that each fit one chat message."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

PAGE_LIMIT = 2800
"""Characters a page may hold: a Slack section (3,000) with room for a header."""

_md = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Block:
    start: int
    """0-based line in the body where the block starts."""
    text: str
    is_page_heading: bool


class BlockTooLong(Exception):
    def __init__(self, line: int, size: int) -> None:
        self.line = line
        super().__init__(
            f"this block is {size} characters; one chat message holds {PAGE_LIMIT}: "
            "split it into shorter paragraphs or pages (## headings)"
        )


def _blocks(body: str) -> list[Block]:
    lines = body.splitlines()
    blocks = []
    tokens = _md.parse(body)
    for token in tokens:
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        start, end = token.map
        text = "\n".join(lines[start:end]).strip()
        heading = token.type == "heading_open" and token.tag == "h2"
        blocks.append(Block(start, text, heading))
    return blocks


def split_pages(body: str, first_line: int = 1) -> list[str]:
    """Pages start at `## ` headings and split between blocks when too long.

    Raise BlockTooLong (with a 1-based file line, given where the body starts) when a
    single paragraph, list or code block cannot fit one message.
    """
    pages: list[list[Block]] = [[]]
    for block in _blocks(body):
        if len(block.text) > PAGE_LIMIT:
            raise BlockTooLong(first_line + block.start, len(block.text))
        current = pages[-1]
        size = sum(len(b.text) + 2 for b in current)
        if current and (block.is_page_heading or size + len(block.text) > PAGE_LIMIT):
            pages.append([block])
        else:
            current.append(block)
    return ["\n\n".join(b.text for b in page) for page in pages if page]
