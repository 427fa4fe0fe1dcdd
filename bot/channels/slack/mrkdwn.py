"""CommonMark to Slack mrkdwn, escaping &, < and > so text can never mention, link or ping."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

# Raw HTML off: `<b>` in a lesson or an answer stays literal text (and is escaped below).
_md = MarkdownIt("commonmark", {"html": False, "linkify": False})
SAFE_SCHEMES = ("http", "https", "mailto")


@dataclass(frozen=True)
class Picture:
    """An image that stood alone in a paragraph: rendered as an image block."""

    url: str
    alt: str


Segment = str | Picture
"""mrkdwn text, or a standalone image."""


def escape(text: str) -> str:
    """Slack's three control characters; with them escaped nothing becomes `<!channel>`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> str | None:
    """The URL if it is http(s) or mailto, made safe inside `<url|label>`; else None."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES or any(c.isspace() for c in url):
        return None
    return escape(url).replace("|", "%7C")


def _inline(node: SyntaxTreeNode) -> str:
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "code_inline":
            out.append(f"`{escape(child.content)}`")
        elif kind == "strong":
            out.append(f"*{_inline(child)}*")
        elif kind == "em":
            out.append(f"_{_inline(child)}_")
        elif kind == "link":
            out.append(_link(child))
        elif kind == "image":
            out.append(_image_link(child))
        else:  # html_inline cannot occur with html off; keep any other text literal
            out.append(escape(child.content))
    return "".join(out)


def _link(node: SyntaxTreeNode) -> str:
    label = _inline(node)
    url = safe_url(str(node.attrs.get("href", "")))
    if url is None:
        return label
    return f"<{url}>" if label == url else f"<{url}|{label}>"


def _alt(node: SyntaxTreeNode) -> str:
    return "".join(c.content for c in node.children if c.type in ("text", "code_inline"))


def _image_link(node: SyntaxTreeNode) -> str:
    alt = escape(_alt(node)) or "image"
    url = safe_url(str(node.attrs.get("src", "")))
    return f"<{url}|{alt}>" if url else alt


def _lone_image(node: SyntaxTreeNode) -> Picture | None:
    """A paragraph that holds one image and nothing else."""
    if node.type != "paragraph" or not node.children:
        return None
    parts = [
        c
        for c in node.children[0].children
        if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"
    ]
    if len(parts) != 1 or parts[0].type != "image":
        return None
    src = str(parts[0].attrs.get("src", ""))
    scheme = urlsplit(src).scheme.lower() if "://" in src else ""
    return Picture(src, _alt(parts[0])) if scheme in ("http", "https") else None


def _indent(text: str, prefix: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([prefix + lines[0], *(rest + line for line in lines[1:])])


def _block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children[0]) if node.children else ""
    if kind == "heading":
        return f"*{_inline(node.children[0])}*" if node.children else ""
    if kind in ("fence", "code_block"):
        return f"```\n{escape(node.content.rstrip(chr(10)))}\n```"
    if kind == "hr":
        return "──────────"
    if kind == "blockquote":
        inner = _blocks(node.children)
        return "\n".join("> " + line for line in inner.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        start = int(node.attrs.get("start", 1) or 1) if kind == "ordered_list" else 0
        items = []
        for n, item in enumerate(node.children):
            marker = f"{start + n}. " if kind == "ordered_list" else "• "
            body = "\n".join(_block(c) for c in item.children)
            items.append(_indent(body, marker, " " * len(marker)))
        return "\n".join(items)
    return escape(node.content)


def _blocks(nodes: list[SyntaxTreeNode]) -> str:
    return "\n\n".join(text for text in (_block(n) for n in nodes) if text)


@lru_cache(maxsize=4096)
def to_segments(markdown: str) -> tuple[Segment, ...]:
    """The mrkdwn text of `markdown`, cut where an image stands alone in a paragraph.

    Cached: lesson pages, prompts and verdicts repeat across learners.
    """
    segments: list[Segment] = []
    pending: list[SyntaxTreeNode] = []

    def flush() -> None:
        if text := _blocks(pending):
            segments.append(text)
        pending.clear()

    for node in SyntaxTreeNode(_md.parse(markdown)).children:
        picture = _lone_image(node)
        if picture is None:
            pending.append(node)
            continue
        flush()
        segments.append(picture)
    flush()
    return tuple(segments)


def to_mrkdwn(markdown: str) -> str:
    """All of `markdown` as one mrkdwn string (images become links)."""
    return "\n\n".join(
        s if isinstance(s, str) else (f"<{safe_url(s.url)}|{escape(s.alt)}>" if s.alt else "")
        for s in to_segments(markdown)
    ).strip()


def to_plain(markdown: str) -> str:
    """Readable plain text (modal errors, labels): markup dropped, nothing escaped."""
    tree = SyntaxTreeNode(_md.parse(markdown))
    words: list[str] = []
    for node in tree.walk():
        if node.type in ("text", "code_inline", "fence", "code_block"):
            words.append(node.content)
        elif node.type in ("softbreak", "hardbreak", "paragraph") and words:
            words.append(" ")
    return " ".join("".join(words).split())


def split_text(text: str, limit: int) -> list[str]:
    """Cut mrkdwn into pieces of at most `limit` characters, between paragraphs if possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= limit // 4:
            cut = limit
            amp = rest.rfind("&", max(0, cut - 5), cut)
            if amp > 0 and ";" not in rest[amp:cut]:
                cut = amp  # never cut an escape like &amp; in half
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest.strip():
        pieces.append(rest)
    return pieces
