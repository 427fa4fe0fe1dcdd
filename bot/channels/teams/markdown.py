"""CommonMark → Adaptive Card elements in the card markdown subset, with literal text escaped."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

Element = dict[str, Any]

# Raw HTML stays text: nothing a learner typed can become markup.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False})
_SPECIAL = re.compile(r"([\\*_\[\]~`])")
_LINE_START = re.compile(r"^(\s*)([-+#>]|\d+[.)])", re.MULTILINE)
_SAFE_URL = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
NBSP = "\u00a0"
LIST_BREAK = "\r"
"""Adaptive Card markdown separates list items with a carriage return."""


def escape(text: str) -> str:
    """Literal text for a TextBlock: emphasis, links and list markers stay characters."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def text_block(text: str, **props: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **props}


def _link(url: str, label: str) -> str:
    if not _SAFE_URL.match(url):
        return label
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{label}]({safe})"


def inline(tokens: list[Token], images: list[Element] | None = None) -> str:
    """One paragraph's inline tokens as card markdown; images are collected separately."""
    out: list[str] = []
    link_stack: list[tuple[int, str]] = []
    for tok in tokens:
        kind = tok.type
        if kind == "text":
            out.append(escape(tok.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("em_open", "em_close"):
            out.append("_")
        elif kind == "code_inline":
            out.append(escape(tok.content))
        elif kind == "link_open":
            link_stack.append((len(out), str(tok.attrs.get("href", ""))))
        elif kind == "link_close" and link_stack:
            start, href = link_stack.pop()
            label = "".join(out[start:])
            del out[start:]
            out.append(_link(href, label))
        elif kind == "image":
            alt = tok.content or str(tok.attrs.get("alt", ""))
            url = str(tok.attrs.get("src", ""))
            if images is not None and _SAFE_URL.match(url):
                images.append({"type": "Image", "url": url, "altText": alt, "size": "Stretch"})
            else:
                out.append(escape(alt))
        elif kind in ("html_inline",):
            out.append(escape(tok.content))
    return "".join(out).strip()


def code_block(source: str) -> Element:
    """A code listing: monospace lines in an emphasised container, indentation kept."""
    lines = source.rstrip("\n").split("\n") or [""]
    items = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        text = NBSP * indent + escape(line.lstrip(" ")) if line.strip() else NBSP
        items.append(text_block(text, fontType="Monospace", spacing="None"))
    return {"type": "Container", "style": "emphasis", "items": items}


def _list_items(tokens: list[Token], start: int, depth: int) -> tuple[list[str], int]:
    """Flatten one list (and nested lists, indented) into lines; return the end index."""
    opener = tokens[start]
    ordered = opener.type == "ordered_list_open"
    number = int(opener.attrs.get("start", 1) or 1) if ordered else 0
    lines: list[str] = []
    i = start + 1
    current: list[str] = []
    while i < len(tokens) and tokens[i].type not in ("bullet_list_close", "ordered_list_close"):
        tok = tokens[i]
        if tok.type == "list_item_open":
            current = []
        elif tok.type == "inline":
            current.append(inline(tok.children or []))
        elif tok.type in ("fence", "code_block"):
            current.append(escape(tok.content.strip()))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            nested, i = _list_items(tokens, i, depth + 1)
            marker = f"{number}." if ordered else "-"
            if current:
                lines.append(f"{'  ' * depth}{marker} {' '.join(current)}")
                number += 1 if ordered else 0
                current = []
            lines.extend(nested)
        elif tok.type == "list_item_close" and current:
            marker = f"{number}." if ordered else "-"
            lines.append(f"{'  ' * depth}{marker} {' '.join(current)}")
            number += 1 if ordered else 0
            current = []
        i += 1
    return lines, i


def to_elements(markdown: str) -> list[Element]:
    """Card body elements for CommonMark text: paragraphs, headings, lists, code, images."""
    elements: list[Element] = json.loads(_converted(markdown))  # a fresh copy each time
    return elements


@lru_cache(maxsize=2048)
def _converted(markdown: str) -> str:
    """Lesson pages and prompts repeat for every learner: convert each text once."""
    return json.dumps(_convert(markdown))


def _convert(markdown: str) -> list[Element]:
    tokens = _md.parse(markdown)
    elements: list[Element] = []
    quote_depth = 0
    quoted: list[Element] = []
    separator = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        made: list[Element] = []
        if tok.type == "heading_open":
            text = inline(tokens[i + 1].children or [])
            made.append(text_block(text, style="heading", size="Medium", weight="Bolder"))
            i += 2
        elif tok.type == "paragraph_open":
            images: list[Element] = []
            text = inline(tokens[i + 1].children or [], images)
            if text:
                made.append(text_block(text))
            made.extend(images)
            i += 2
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            lines, i = _list_items(tokens, i, 0)
            if lines:
                made.append(text_block(LIST_BREAK.join(lines)))
        elif tok.type in ("fence", "code_block"):
            made.append(code_block(tok.content))
        elif tok.type == "hr":
            separator = True
        elif tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
            if quote_depth == 0 and quoted:
                made.append({"type": "Container", "style": "emphasis", "items": quoted})
                quoted = []
        i += 1
        if quote_depth:
            quoted.extend(made)
            continue
        for element in made:
            if separator:
                element["separator"] = True
                separator = False
            elements.append(element)
    return elements


def to_inline_text(markdown: str) -> str:
    """Short markdown (a context line) as one line of card markdown."""
    parts = [inline(tok.children or []) for tok in _md.parse(markdown) if tok.type == "inline"]
    return " ".join(p for p in parts if p)
