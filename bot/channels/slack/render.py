"""Neutral messages to Block Kit: pure functions, split within Slack's limits."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from typing import Any

from bot.channels.slack import limits
from bot.channels.slack.actions import (
    FIELD_PREFIX,
    OPEN_PREFIX,
    action_id,
    action_value,
    pack_form,
)
from bot.channels.slack.mrkdwn import Picture, escape, split_text, to_mrkdwn, to_segments
from bot.core.text import shorten
from bot.core.views import (
    Button,
    Buttons,
    ChoiceField,
    Code,
    Context,
    DateLine,
    Divider,
    Field,
    Form,
    Header,
    Image,
    Message,
    Text,
    TextField,
)

Block = dict[str, Any]
Payload = dict[str, Any]
"""The `text` and `blocks` of one Slack message (what chat.postMessage/update take)."""


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": shorten(text.strip() or "…", limit), "emoji": True}


def header_block(text: str) -> Block:
    return {"type": "header", "text": plain(text, limits.HEADER_TEXT)}


def section_blocks(mrkdwn: str) -> list[Block]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": piece}}
        for piece in split_text(mrkdwn, limits.SECTION_TEXT)
    ]


def context_block(markdown: str) -> Block:
    text = shorten(to_mrkdwn(markdown) or " ", limits.SECTION_TEXT)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _mrkdwn_kept(text: str) -> str:
    """mrkdwn with the spaces at its ends kept (they sit next to a date token)."""
    if not text.strip():
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead and ' '}{to_mrkdwn(text.strip())}{trail and ' '}"


def date_block(line: DateLine) -> Block:
    """Small print whose date each reader sees in their own time zone (`<!date…>`)."""
    token = (
        f"<!date^{int(line.at.timestamp())}^{{date_short_pretty}} at {{time}}|{line.fallback_date}>"
    )
    before, _, after = line.text.partition("{date}")
    text = f"{_mrkdwn_kept(before)}{token}{_mrkdwn_kept(after)}"
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def image_block(url: str, alt: str) -> Block:
    return {
        "type": "image",
        "image_url": url,
        "alt_text": shorten(alt.strip() or "Image", limits.ALT_TEXT),
    }


def text_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    for segment in to_segments(markdown):
        if isinstance(segment, Picture):
            blocks.append(image_block(segment.url, segment.alt))
        else:
            blocks.extend(section_blocks(segment))
    return blocks


def code_blocks(code: Code) -> list[Block]:
    room = limits.SECTION_TEXT - len("```\n\n```")
    lines = escape(code.source.rstrip("\n"))
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"```\n{piece}\n```"}}
        for piece in split_text(lines, room)
    ]


def button_element(button: Button, index: int) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(button.label, limits.BUTTON_TEXT),
        "action_id": action_id(button.action, index),
    }
    if value := action_value(button.action):
        element["value"] = value
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    if len(button.label.strip()) <= 2:
        element["accessibility_label"] = f"Choose {button.label.strip()}"
    return element


def actions_blocks(elements: Sequence[Block]) -> list[Block]:
    step = limits.ACTIONS_ELEMENTS
    return [
        {"type": "actions", "elements": list(elements[i : i + step])}
        for i in range(0, len(elements), step)
    ]


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label, limits.OPTION_TEXT), "value": value[: limits.OPTION_VALUE]}


def input_block(field: Field) -> Block:
    """One form field as an input block (in a message, the Home tab or a modal)."""
    element: Block
    name = f"{FIELD_PREFIX}{field.name}"
    if isinstance(field, ChoiceField):
        options = [_option(o.value, o.label) for o in field.options[: limits.OPTIONS]]
        element = {"type": "checkboxes" if field.multiple else "radio_buttons", "options": options}
        picked = [o for o in options if o["value"] in field.initial]
        if picked and field.multiple:
            element["initial_options"] = picked
        elif picked:
            element["initial_option"] = picked[0]
    elif field.numeric:
        element = {"type": "number_input", "is_decimal_allowed": True}
        if field.initial:
            element["initial_value"] = field.initial
    else:
        element = {"type": "plain_text_input", "multiline": field.multiline}
        element["max_length"] = max(1, min(field.max_length, limits.INPUT_LENGTH))
        if field.min_length:
            element["min_length"] = min(field.min_length, element["max_length"])
        if field.initial:
            element["initial_value"] = field.initial[: element["max_length"]]
    if not isinstance(field, ChoiceField) and field.placeholder:
        element["placeholder"] = plain(field.placeholder, limits.PLACEHOLDER)
    element["action_id"] = name
    block: Block = {
        "type": "input",
        "block_id": name,
        "label": plain(field.label, limits.INPUT_LABEL),
        "element": element,
    }
    if isinstance(field, TextField) and not field.required:
        block["optional"] = True
    return block


def opener_label(form: Form) -> str:
    """What the button that opens `form` in a modal says (it says it opens something)."""
    if form.opener:
        return form.opener
    if len(form.fields) == 1:
        return "Write answer…"
    return f"Change {form.title.removeprefix('Your ').lower()}…"


def form_blocks(form: Form, counter: Iterator[int]) -> list[Block]:
    """Choice-only forms inline (inputs + submit); forms with text open in a modal."""
    blocks = text_blocks(form.intro) if form.intro else []
    if all(isinstance(f, ChoiceField) for f in form.fields) and not form.opener:
        blocks.extend(input_block(f) for f in form.fields)
        blocks.extend(actions_blocks([button_element(form.submit, next(counter))]))
        return blocks
    opener = {
        "type": "button",
        "text": plain(opener_label(form), limits.BUTTON_TEXT),
        "action_id": f"{OPEN_PREFIX}{next(counter)}",
        "value": pack_form(form),
        "style": "primary",
    }
    return [*blocks, *actions_blocks([opener])]


def blocks_of(message: Message) -> list[Block]:
    """Every block of `message`, each within its own limits (not yet split into messages)."""
    counter = itertools.count()
    blocks: list[Block] = []
    for block in message.blocks:
        if isinstance(block, Header):
            blocks.append(header_block(block.text))
        elif isinstance(block, Text):
            blocks.extend(text_blocks(block.markdown))
        elif isinstance(block, Code):
            blocks.extend(code_blocks(block))
        elif isinstance(block, Context):
            blocks.append(context_block(block.text))
        elif isinstance(block, DateLine):
            blocks.append(date_block(block))
        elif isinstance(block, Image):
            blocks.append(image_block(block.url, block.alt))
        elif isinstance(block, Divider):
            blocks.append({"type": "divider"})
        elif isinstance(block, Buttons):
            elements = [button_element(b, next(counter)) for b in block.buttons]
            blocks.extend(actions_blocks(elements))
        elif isinstance(block, Form):
            blocks.extend(form_blocks(block, counter))
    return blocks


def fallback_text(message: Message) -> str:
    """The top-level `text`: what notifications and screen readers show."""
    return shorten(to_mrkdwn(message.fallback) or "New message from microcred", 3000)


def _size(block: Block) -> int:
    return len(json.dumps(block, ensure_ascii=False)) + 2  # and the ", " between blocks


def split_blocks(blocks: list[Block], max_blocks: int, max_chars: int) -> list[list[Block]]:
    """Consecutive chunks within a block count and a total size."""
    chunks: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        grows = _size(block)
        if chunks[-1] and (len(chunks[-1]) >= max_blocks or size + grows > max_chars):
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += grows
    return chunks


def render_message(message: Message) -> list[Payload]:
    """`message` as one or more Slack messages (more only when it exceeds a limit)."""
    text = fallback_text(message)
    chunks = split_blocks(blocks_of(message), limits.MESSAGE_BLOCKS, limits.MESSAGE_CHARS)
    return [
        {"text": text if n == 0 else shorten(f"{text} (continued)", 3000), "blocks": chunk}
        for n, chunk in enumerate(chunks)
    ]


def home_view(messages: Sequence[Message]) -> dict[str, Any]:
    """The Home tab: the messages one after another, within its 100 blocks."""
    blocks: list[Block] = []
    for message in messages:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(blocks_of(message))
    if len(blocks) > limits.SURFACE_BLOCKS:
        blocks = blocks[: limits.SURFACE_BLOCKS - 1]
        blocks.append(context_block("More in our direct messages: type `progress`."))
    return {"type": "home", "blocks": blocks}
