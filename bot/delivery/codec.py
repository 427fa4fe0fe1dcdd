"""Neutral messages to JSON and back, so the outbox can hold what a tick rendered."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from bot.core import views
from bot.core.templates import fill

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        views.Action,
        views.Header,
        views.Text,
        views.Code,
        views.Context,
        views.DateLine,
        views.Image,
        views.Divider,
        views.Button,
        views.Buttons,
        views.Option,
        views.ChoiceField,
        views.TextField,
        views.Form,
        views.Message,
    )
}


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TYPES.values()
}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"_": "datetime", "iso": value.isoformat()}
    names = _FIELDS.get(type(value))
    if names is not None:
        encoded = {name: _encode(getattr(value, name)) for name in names}
        encoded["_"] = type(value).__name__
        return encoded
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and value.get("_") == "datetime":
        return datetime.fromisoformat(str(value["iso"]))
    if isinstance(value, dict):
        cls = _TYPES.get(str(value.get("_")))
        if cls is None:
            raise ValueError(f"unknown view type in stored message: {value.get('_')!r}")
        return cls(**{k: _decode(v) for k, v in value.items() if k != "_"})
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def dump_message(message: views.Message) -> dict[str, Any]:
    """A JSON-ready dict of the message."""
    encoded = _encode(message)
    assert isinstance(encoded, dict)
    return encoded


SHARED = "Shared"
"""The stored form of a message many learners share: its template's digest and the enrollment
id to put back (`bot/core/templates.py`); the template itself is stored once, by digest
(`message_templates`), and attached to the row when it is claimed (`attach_template`)."""
_TEMPLATES: dict[str, views.Message] = {}
_KEEP = 512


def dump_shared(digest: str, enrollment: str) -> dict[str, Any]:
    """The stored form of one learner's copy of a shared template."""
    return {"_": SHARED, "digest": digest, "e": enrollment}


def template_wanted(data: Any) -> str | None:
    """The digest of the template a stored shared message still needs attached, if any."""
    if isinstance(data, dict) and data.get("_") == SHARED and "template" not in data:
        return str(data.get("digest"))
    return None


def attach_template(data: dict[str, Any], templates: dict[str, Any]) -> None:
    """Put the template (`dump_message` of it, from `message_templates`) into a claimed row's
    stored message, so `load_message` can fill it; left alone when the template is unknown."""
    digest = template_wanted(data)
    if digest is not None and digest in templates:
        data["template"] = templates[digest]


def _template(data: dict[str, Any]) -> views.Message:
    digest = str(data["digest"])
    template = _TEMPLATES.get(digest)
    if template is None:
        template = load_message(data["template"])
        if len(_TEMPLATES) >= _KEEP:
            _TEMPLATES.clear()
        _TEMPLATES[digest] = template
    return template


def load_message(data: dict[str, Any]) -> views.Message:
    """The message `dump_message` (or `dump_shared`) stored; ValueError for anything else.
    A shared template is decoded once per digest."""
    if isinstance(data, dict) and data.get("_") == SHARED:
        try:
            return fill(_template(data), str(data["e"]))
        except (KeyError, TypeError) as exc:
            raise ValueError("stored shared message is incomplete") from exc
    message = _decode(data)
    if not isinstance(message, views.Message):
        raise ValueError("stored value is not a message")
    return message
