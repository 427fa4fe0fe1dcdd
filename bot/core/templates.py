"""A message many learners share: the enrollment id in its buttons taken out, put back per send."""

from __future__ import annotations

from bot.core.views import Action, Button, Buttons, Form, Message

SLOT = "mcSHAREDx7q"
"""What stands for the enrollment id in a template: URL- and JSON-safe, so it passes through
a renderer unchanged (a rendered template is filled by replacing it in the rendered text)."""
ENROLLMENT_KEY = "e"
"""The wire key of the enrollment in every journey payload (`learning/actions.py`)."""


def _swap_action(action: Action, old: str, new: str) -> Action:
    if not any(k == ENROLLMENT_KEY and v == old for k, v in action.args):
        return action
    args = tuple((k, new if k == ENROLLMENT_KEY and v == old else v) for k, v in action.args)
    return Action(action.name, args)


def _swap_button(button: Button, old: str, new: str) -> Button:
    action = _swap_action(button.action, old, new)
    if action is button.action:
        return button
    return Button(button.label, action, button.style, button.command)


def _swap(message: Message, old: str, new: str) -> Message:
    blocks = []
    for block in message.blocks:
        if isinstance(block, Buttons):
            buttons = tuple(_swap_button(b, old, new) for b in block.buttons)
            if any(a is not b for a, b in zip(buttons, block.buttons, strict=True)):
                block = Buttons(buttons)
        elif isinstance(block, Form):
            submit = _swap_button(block.submit, old, new)
            if submit is not block.submit:
                block = Form(block.title, block.fields, submit, block.intro, block.opener)
        blocks.append(block)
    key = message.key
    if key.startswith(f"{old}:"):
        key = new + key[len(old) :]
    return Message(tuple(blocks), message.fallback, key)


def template_of(message: Message, value: str) -> Message | None:
    """`message` with the enrollment id `value` in its buttons' payloads and its key replaced
    by `SLOT`, or None when it would not round-trip exactly (`SLOT` already in one of those
    places; then it is stored and sent as it is). `fill(template_of(m, v), v) == m` always
    holds otherwise: the swap touches exactly the places that held `value`. A message without
    the id is its own template."""
    if _holds_slot(message):
        return None  # filling would turn that SLOT into the id too
    return _swap(message, value, SLOT)


def _holds_slot(message: Message) -> bool:
    """Whether `SLOT` already sits where a template puts it (so the swap could not be undone)."""
    return message.key.startswith(f"{SLOT}:") or any(
        k == ENROLLMENT_KEY and v == SLOT
        for button in _buttons(message)
        for k, v in button.action.args
    )


def _buttons(message: Message) -> list[Button]:
    found: list[Button] = []
    for block in message.blocks:
        if isinstance(block, Buttons):
            found.extend(block.buttons)
        elif isinstance(block, Form):
            found.append(block.submit)
    return found


def enrollment_in(message: Message) -> str | None:
    """The one enrollment id the message's buttons carry (None: none, or several)."""
    found = {v for b in _buttons(message) for k, v in b.action.args if k == ENROLLMENT_KEY}
    return found.pop() if len(found) == 1 else None


def fill(template: Message, value: str) -> Message:
    """The message one learner gets: `template` with their enrollment id put back."""
    return _swap(template, SLOT, value)
