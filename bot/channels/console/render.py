"""Render neutral messages as terminal text (Markdown rendered, see `markdown.py`)."""

from __future__ import annotations

from bot.channels.console.markdown import CODE_INDENT, PLAIN, Style, to_terminal
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


def _inline(markdown: str, style: Style) -> str:
    """A line of Markdown (a context, a date line) without its syntax."""
    return to_terminal(markdown, width=10_000, style=style).replace("\n", " ")


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


def render_message(message: Message, style: Style = PLAIN) -> str:
    """The message as terminal text; `style` adds bold and italics on a colour terminal."""
    lines: list[str] = []
    for block in message.blocks:
        if isinstance(block, Header):
            lines += [f"== {block.text} =="]
        elif isinstance(block, Text):
            lines += to_terminal(block.markdown, width=WIDTH, style=style).split("\n")
        elif isinstance(block, Code):
            lines += [CODE_INDENT + line for line in block.source.splitlines()]
        elif isinstance(block, Context):
            lines.append(f"  ({_inline(block.text, style)})")
        elif isinstance(block, DateLine):
            lines.append(f"  ({_inline(block.plain(), style)})")
        elif isinstance(block, Image):
            lines.append(f"  [image: {block.alt}]")
        elif isinstance(block, Divider):
            lines.append("-" * 20)
        elif isinstance(block, Buttons):
            lines.append(_button_hint(block))
        elif isinstance(block, Form):
            lines += _form(block)
    return "\n".join(lines)


def render_reply(reply: Reply, style: Style = PLAIN) -> str:
    parts = [f"(only you) {_inline(note, style)}" for note in reply.private]
    if reply.replace_source is not None:
        parts.append(render_message(reply.replace_source, style))
    parts += [render_message(m, style) for m in reply.messages]
    return "\n\n".join(parts)
