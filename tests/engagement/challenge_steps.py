"""Steps of a challenge as a lead and members take them in chat."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core.views import ChoiceField, Form, Message, Reply
from storage.models import Challenge, EngagementDue
from tests.engagement.harness import Harness, Member


def form_of(reply: Reply) -> Form:
    for message in reply.messages:
        for block in message.blocks:
            if isinstance(block, Form):
                return block
    raise AssertionError(f"no form in {reply}")


def filled(form: Form, **values: str) -> dict[str, Any]:
    """The form's initial values with some changed (choices as lists, like Slack sends)."""
    out: dict[str, Any] = {}
    for field in form.fields:
        if isinstance(field, ChoiceField):
            picked = values.get(field.name, field.initial[0] if field.initial else "")
            out[field.name] = [picked] if picked else []
        else:
            out[field.name] = values.get(field.name, field.initial)
    return out


async def submit(member: Member, form: Form, **values: str) -> Reply:
    return await member.press_on(
        Message((form,), "form"), form.submit.label, filled(form, **values)
    )


async def create(h: Harness, lead: Member, channel: str, post: bool = True, **values: str) -> Reply:
    """`/learn challenge` in `channel`, fill the form, preview, and (by default) post."""
    values.setdefault("goal", "Learn together")
    form = form_of(await lead.say_in(channel, "challenge"))
    preview = await submit(lead, form, **values)
    assert not preview.refused, preview.refused
    if not post:
        return preview
    return await lead.click("Post")


async def challenge_row(h: Harness) -> Challenge:
    async with h.database.transaction() as s:
        found = await s.scalar(select(Challenge).order_by(Challenge.id.desc()))
        assert found is not None
        return found


async def due_rows(h: Harness) -> list[tuple[str, str]]:
    """(kind, status) of every challenge post planned, by due time."""
    async with h.database.transaction() as s:
        rows = await s.execute(
            select(EngagementDue.kind, EngagementDue.status)
            .where(EngagementDue.challenge_id.is_not(None))
            .order_by(EngagementDue.due_at, EngagementDue.id)
        )
        return [(k, st) for k, st in rows]
