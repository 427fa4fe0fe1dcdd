"""microcred: micro-credential programs that run inside Slack and Microsoft Teams."""

from collections.abc import Mapping
from typing import Any

from bot.core import copy as _copy

__version__ = "0.1.0"


class _BundledCopy:
    """The bundled catalogue (`bot/copy`), read on first use by whichever entry point runs."""

    def _load(self) -> _copy.Catalogue:
        from bot.copy import install_catalogue

        return install_catalogue()

    def text(self, locale: str, key: str, n: int | None, fields: Mapping[str, Any]) -> str:
        return self._load().text(locale, key, n, fields)

    def locale_of(self, wanted: str) -> str:
        return self._load().locale_of(wanted)

    def available(self) -> tuple[str, ...]:
        return self._load().available()


_copy.install(_BundledCopy())
