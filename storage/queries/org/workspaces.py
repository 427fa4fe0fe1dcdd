"""Workspace ids and the workspace a channel belongs to."""

from __future__ import annotations

EVERY_PROGRAM = "*"


def workspace_problem(workspace_id: str) -> str | None:
    """Why `workspace_id` is not `local`, `slack:TEAM` or `teams:TENANT`; None if it is."""
    platform, _, tenant = workspace_id.partition(":")
    plain = tenant and not any(c.isspace() or c == ":" for c in tenant)
    if workspace_id == "local" or (platform in ("slack", "teams") and plain):
        return None
    return f"'{workspace_id}' is not a workspace: use local, slack:TEAM_ID or teams:TENANT_ID"


def channel_workspace(channel: str) -> str | None:
    """`slack:T1:C1` → `slack:T1`, `teams:TEN:19:x@thread` → `teams:TEN`, `local:x` → `local`.

    None when the text is no channel. Teams channel ids contain colons, so the workspace is
    the first two parts, never everything before the last colon.
    """
    if not channel or any(c.isspace() for c in channel):
        return None
    platform, _, rest = channel.partition(":")
    if platform == "local":
        return "local" if rest else None
    tenant, _, channel_id = rest.partition(":")
    if platform in ("slack", "teams") and tenant and channel_id:
        return f"{platform}:{tenant}"
    return None
