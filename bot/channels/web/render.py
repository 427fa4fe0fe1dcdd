"""Render neutral messages as HTML fragments for the playground."""

from __future__ import annotations

import json
from html import escape

from markdown_it import MarkdownIt

from bot.core.views import (
    Action,
    Button,
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
    Text,
    TextField,
)

# Raw HTML is off: text (including echoed learner input) can never inject markup.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def _action_attr(action: Action) -> str:
    return escape(json.dumps({"name": action.name, "args": dict(action.args)}), quote=True)


def _button(button: Button, *, submit: bool = False) -> str:
    kind = "submit" if submit else "button"
    data = "" if submit else f' data-action="{_action_attr(button.action)}"'
    return (
        f'<button type="{kind}" class="btn btn-{button.style}"{data}>'
        f"{escape(button.label)}</button>"
    )


def _field(field: ChoiceField | TextField, form_id: str) -> str:
    fid = f"{form_id}-{field.name}"
    if isinstance(field, ChoiceField):
        kind = "checkbox" if field.multiple else "radio"
        options = "".join(
            f'<label class="option"><input type="{kind}" name="{escape(field.name)}" '
            f'value="{escape(o.value)}"{" checked" if o.value in field.initial else ""}> '
            f"{escape(o.label)}</label>"
            for o in field.options
        )
        return f"<fieldset><legend>{escape(field.label)}</legend>{options}</fieldset>"
    common = (
        f'id="{fid}" name="{escape(field.name)}" maxlength="{field.max_length}" '
        f'placeholder="{escape(field.placeholder)}"{" required" if field.required else ""}'
    )
    if field.multiline:
        control = f'<textarea {common} rows="5">{escape(field.initial)}</textarea>'
    else:
        mode = ' inputmode="decimal"' if field.numeric else ""
        control = f'<input type="text" {common}{mode} value="{escape(field.initial)}">'
    counter = f'<small class="counter" data-for="{fid}">0 / {field.max_length}</small>'
    label = f'<label for="{fid}">{escape(field.label)}</label>'
    return label + control + (counter if field.multiline else "")


def _form(form: Form, form_id: str) -> str:
    fields = "".join(_field(f, form_id) for f in form.fields)
    intro = f"<p>{escape(form.intro)}</p>" if form.intro else ""
    return (
        f'<form class="answer-form" id="{form_id}" '
        f'data-action="{_action_attr(form.submit.action)}">'
        f"{intro}{fields}{_button(form.submit, submit=True)}</form>"
    )


def render_message(message: Message, message_id: str) -> str:
    """One message as an `<article>`; buttons and forms carry their actions as data."""
    parts = []
    for i, block in enumerate(message.blocks):
        if isinstance(block, Header):
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif isinstance(block, Text):
            parts.append(f'<div class="text">{_md.render(block.markdown)}</div>')
        elif isinstance(block, Code):
            parts.append(f"<pre><code>{escape(block.source)}</code></pre>")
        elif isinstance(block, Context):
            parts.append(f'<p class="context">{_md.renderInline(block.text)}</p>')
        elif isinstance(block, DateLine):
            parts.append(f'<p class="context">{_md.renderInline(block.plain())}</p>')
        elif isinstance(block, Image):
            parts.append(f'<img src="{escape(block.url)}" alt="{escape(block.alt)}">')
        elif isinstance(block, Divider):
            parts.append("<hr>")
        elif isinstance(block, Buttons):
            parts.append(
                '<div class="actions">' + "".join(_button(b) for b in block.buttons) + "</div>"
            )
        elif isinstance(block, Form):
            parts.append(_form(block, f"{message_id}-f{i}"))
    return (
        f'<article class="msg bot" id="{message_id}" aria-label="{escape(message.fallback)}">'
        + "".join(parts)
        + "</article>"
    )
