"""Which signed-in surfaces this server mounts, on which address, and why."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.web.guard import is_loopback

ON = frozenset({"on", "1", "true", "yes"})
OFF = frozenset({"off", "0", "false", "no"})
UNSPECIFIED = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (recognised, not bound)


@dataclass(frozen=True)
class Decision:
    mounted: bool
    reason: str


def playground_decision(settings: Settings) -> Decision:
    """The playground acts for any local learner: loopback only, unless enabled on purpose."""
    if settings.playground in ON:
        return Decision(True, "MICROCRED_PLAYGROUND=on")
    if settings.playground in OFF:
        return Decision(False, "MICROCRED_PLAYGROUND=off")
    if is_loopback(settings.host):
        return Decision(True, f"{settings.host} is a loopback address")
    return Decision(
        False,
        f"{settings.host} is reachable from other machines; "
        "set MICROCRED_PLAYGROUND=on to serve it there anyway",
    )


def local_base_url(settings: Settings) -> str:
    """Where a browser on this machine reaches the server (sign-in links point here)."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    host = "127.0.0.1" if settings.host in UNSPECIFIED else settings.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def served_hosts(settings: Settings) -> set[str]:
    """Host names, besides loopback ones, that signed-in surfaces answer to."""
    hosts = {urlsplit(settings.public_base_url).hostname or ""}
    if settings.host not in UNSPECIFIED:
        hosts.add(settings.host.strip("[]"))
    return {h.lower() for h in hosts if h}
