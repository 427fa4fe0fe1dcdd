"""The Messenger of each platform, so features can reach people without knowing the SDKs."""

from __future__ import annotations

from bot.core.ports import Messenger


def platform_of(address: str) -> str:
    """`slack:T1:C1` → `slack`, `teams:TEN:…` → `teams`, `local:x` → `local`."""
    return address.split(":", 1)[0]


class Messengers:
    """Registry filled by the composition root (Slack, Teams) and by tests (fakes)."""

    def __init__(self, *messengers: Messenger) -> None:
        self._by_platform: dict[str, Messenger] = {}
        for messenger in messengers:
            self.register(messenger)

    def register(self, messenger: Messenger) -> None:
        self._by_platform[messenger.platform] = messenger

    def for_address(self, address: str) -> Messenger | None:
        """The messenger that can reach `address` (an identity or a channel), if any."""
        return self._by_platform.get(platform_of(address))

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(self._by_platform)
