"""Whether the person taking a turn holds a role, for the core's press check."""

from __future__ import annotations

from bot.core.actions import Role
from bot.learning.turn import Turn
from storage.queries.org.roles import roles_held


async def holds(turn: Turn, role: Role) -> bool:
    """Admins hold every role; a lead or reviewer grant in any scope counts (the handler
    checks the scope: which team, which program)."""
    held = await roles_held(turn.session, person_id=turn.person.id)
    return Role.ADMIN in held or role in held
