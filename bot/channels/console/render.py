"""Render neutral messages as plain terminal text."""

from __future__ import annotations

import re
import textwrap

from bot.core.views import (
    Buttons,
    ChoiceField,
    Code,
    Context,
    DateLine,
    Divider,
    Form,
    Header,
    Image,
    Message,
    Reply,
    Text,
    TextField,
)

WIDTH = 78


def _plain(markdown: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)
    return re.sub(r"\\([\\`*_{}\[\]()<>#+\-.!|~])", r"\1", text)


_BREAK_BEFORE = re.compile(r"^\s*([-*•>#]|\d+\.|```)")


def _logical_lines(text: str) -> list[str]:
    """Join soft-wrapped source lines; keep list items, quotes and code lines apart."""
    out: list[str] = []
    in_code = False
    for line in text.split("\n"):
        fence = line.strip().startswith("```")
        starts_block = not line.strip() or _BREAK_BEFORE.match(line)
        after_block = not out or not out[-1].strip() or out[-1].lstrip().startswith("```")
        hard = bool(out) and (out[-1].endswith("\\") or out[-1].endswith("  "))
        if hard and not in_code:
            out[-1] = out[-1].removesuffix("\\").rstrip()
        if in_code or fence or starts_block or after_block or hard:
            out.append(line)
        else:
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        in_code = in_code != fence
    return out


def _button_hint(buttons: Buttons) -> str:
    parts = [
        f"[{b.label}]" + (f" type “{b.command}”" if b.command else "") for b in buttons.buttons
    ]
    return "  " + "   ".join(parts)


def _form(form: Form) -> list[str]:
    lines = []
    for field in form.fields:
        if isinstance(field, ChoiceField):
            lines.append(f"  {field.label}: reply with the letters, like “a, c”")
        elif isinstance(field, TextField):
            lines.append(f"  {field.label}: type it and press Enter")
    return lines


def render_message(message: Message) -> str:
    lines: list[str] = []
    for block in message.blocks:
        if isinstance(block, Header):
            lines += [f"== {block.text} =="]
        elif isinstance(block, Text):
            for paragraph in _logical_lines(_plain(block.markdown)):
                lines += textwrap.wrap(
                    paragraph, WIDTH, subsequent_indent="  " if paragraph[:1] in "-*•" else ""
                ) or [""]
        elif isinstance(block, Code):
            lines += ["    " + line for line in block.source.splitlines()]
        elif isinstance(block, Context):
            lines.append(f"  ({_plain(block.text)})")
        elif isinstance(block, DateLine):
            lines.append(f"  ({_plain(block.plain())})")
        elif isinstance(block, Image):
            lines.append(f"  [image: {block.alt}]")
        elif isinstance(block, Divider):
            lines.append("-" * 20)
        elif isinstance(block, Buttons):
            lines.append(_button_hint(block))
        elif isinstance(block, Form):
            lines += _form(block)
    return "\n".join(lines)


def render_reply(reply: Reply) -> str:
    parts = [f"(only you) {note}" for note in reply.private]
    if reply.replace_source is not None:
        parts.append(render_message(reply.replace_source))
    parts += [render_message(m) for m in reply.messages]
    return "\n\n".join(parts)
