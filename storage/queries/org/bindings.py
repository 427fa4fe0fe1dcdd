"""Channel bindings: where a program's posts of one purpose go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ChannelBinding,
)
from storage.queries.org.workspaces import EVERY_PROGRAM


@dataclass(frozen=True)
class BindingRow:
    purpose: str
    program_id: str
    channel: str


async def set_binding(
    session: AsyncSession, *, workspace_id: str, purpose: str, program_id: str, channel: str
) -> str | None:
    """Bind (or rebind) a purpose of a program to a channel; returns the previous channel."""
    binding = await session.scalar(
        select(ChannelBinding).where(
            ChannelBinding.workspace_id == workspace_id,
            ChannelBinding.purpose == purpose,
            ChannelBinding.program_id == program_id,
        )
    )
    if binding is None:
        session.add(
            ChannelBinding(
                workspace_id=workspace_id, purpose=purpose, program_id=program_id, channel=channel
            )
        )
        await session.flush()
        return None
    previous, binding.channel = binding.channel, channel
    await session.flush()
    return previous


async def binding_rows(session: AsyncSession, *, workspace_id: str) -> list[BindingRow]:
    rows = await session.scalars(
        select(ChannelBinding)
        .where(ChannelBinding.workspace_id == workspace_id)
        .order_by(ChannelBinding.purpose, ChannelBinding.program_id)
    )
    return [BindingRow(b.purpose, b.program_id, b.channel) for b in rows]


async def binding_for(
    session: AsyncSession, *, workspace_id: str, purpose: str, program_id: str
) -> str | None:
    """The channel for a program's posts of `purpose`, falling back to the `*` binding."""
    rows = await session.execute(
        select(ChannelBinding.program_id, ChannelBinding.channel).where(
            ChannelBinding.workspace_id == workspace_id,
            ChannelBinding.purpose == purpose,
            ChannelBinding.program_id.in_((program_id, EVERY_PROGRAM)),
        )
    )
    found = {program: channel for program, channel in rows}
    return found.get(program_id) or found.get(EVERY_PROGRAM)


async def bindings_for(session: AsyncSession, *, purpose: str) -> list[tuple[str, str, str]]:
    """(workspace, program, channel) of every binding of one purpose, in every workspace."""
    rows = await session.execute(
        select(
            ChannelBinding.workspace_id, ChannelBinding.program_id, ChannelBinding.channel
        ).where(ChannelBinding.purpose == purpose)
    )
    return [(ws, program, channel) for ws, program, channel in rows]
