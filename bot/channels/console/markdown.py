"""CommonMark for a terminal: headings underlined, emphasis in bold and italics (ANSI, when
the terminal shows it), lists and quotes indented and wrapped, code blocks indented and kept
exactly as written, links as "label (url)". Nothing of the Markdown syntax is printed."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})
CODE_INDENT = "    "


@dataclass(frozen=True)
class Style:
    """How emphasis shows: ANSI escapes on a colour terminal, nothing in plain text."""

    bold: tuple[str, str] = ("", "")
    italic: tuple[str, str] = ("", "")

    @classmethod
    def ansi(cls) -> Style:
        return cls(("\x1b[1m", "\x1b[22m"), ("\x1b[3m", "\x1b[23m"))


PLAIN = Style()


def _inline(node: SyntaxTreeNode, style: Style) -> str:
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "code_inline":
            out.append(f"`{child.content}`")
        elif kind == "strong":
            on, off = style.bold
            out.append(f"{on}{_inline(child, style)}{off}")
        elif kind == "em":
            on, off = style.italic
            out.append(f"{on}{_inline(child, style)}{off}")
        elif kind == "link":
            label, url = _inline(child, style), str(child.attrs.get("href", ""))
            out.append(label if label == url or not url else f"{label} ({url})")
        elif kind == "image":
            out.append(f"[image: {child.content or child.attrs.get('alt', '')}]")
        else:
            out.append(_inline(child, style))
    return "".join(out)


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):  # hard breaks stay breaks
        lines += textwrap.wrap(part, width, initial_indent=first, subsequent_indent=rest) or [
            first.rstrip()
        ]
        first = rest
    return lines


def _blocks(node: SyntaxTreeNode, width: int, style: Style, indent: str = "") -> list[list[str]]:
    """Each block's lines (blocks are later separated by one blank line)."""
    out: list[list[str]] = []
    for child in node.children:
        kind = child.type
        if kind == "heading":
            title = _inline(child.children[0], style) if child.children else ""
            on, off = style.bold
            rule = "═" if child.tag == "h1" else "─"
            out.append([f"{indent}{on}{title}{off}", indent + rule * min(len(title), width)])
        elif kind == "paragraph":
            text = _inline(child.children[0], style) if child.children else ""
            out.append(_wrapped(text, width, indent, indent))
        elif kind in ("fence", "code_block"):
            source = child.content.rstrip("\n")
            out.append([indent + CODE_INDENT + line if line else "" for line in source.split("\n")])
        elif kind in ("bullet_list", "ordered_list"):
            out.append(_list(child, width, style, indent))
        elif kind == "blockquote":
            inner = _blocks(child, width - 2, style)
            out.append(
                [f"{indent}│ {line}".rstrip() for lines in _joined(inner) for line in [lines]]
            )
        elif kind == "hr":
            out.append([indent + "─" * min(20, width)])
    return out


def _list(node: SyntaxTreeNode, width: int, style: Style, indent: str) -> list[str]:
    lines: list[str] = []
    start = int(node.attrs.get("start", 1) or 1)
    for number, item in enumerate(node.children, start):
        marker = f"{number}. " if node.type == "ordered_list" else "• "
        pad = " " * len(marker)
        body = _joined(_blocks(item, width - len(indent) - len(pad), style))
        for index, line in enumerate(body or [""]):
            lines.append(f"{indent}{marker if index == 0 else pad}{line}".rstrip())
    return lines


def _joined(blocks: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines += block
    return lines


def to_terminal(markdown: str, *, width: int = 78, style: Style = PLAIN) -> str:
    """The Markdown as a terminal shows it, wrapped at `width` (code is never wrapped)."""
    tree = SyntaxTreeNode(_md.parse(markdown))
    return "\n".join(_joined(_blocks(tree, width, style)))
