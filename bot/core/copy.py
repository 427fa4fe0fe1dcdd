"""Every sentence a person reads comes from the copy catalogue, by key, in their locale.

`t("quiz.recorded", n=3)` is the current locale's text for the key with the fields filled in;
`tn("lessons.count", n)` picks the plural form for `n`. The catalogue itself (gettext files read
with Babel, numbers and dates formatted per locale) is installed by `bot.copy`; until it is,
a key stands for itself, so nothing here depends on a library. The locale of the event being
handled is set with `speaking` (a context variable: tasks started inside inherit it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

DEFAULT_LOCALE = "en"


class Catalogue(Protocol):
    """What `bot.copy` installs."""

    def text(self, locale: str, key: str, n: int | None, fields: Mapping[str, Any]) -> str:
        """The key's text in `locale` (falling back to English) with `fields` filled in."""
        ...

    def locale_of(self, wanted: str) -> str:
        """The catalogue locale that serves `wanted` (`de-AT` → `de`; unknown → English)."""
        ...

    def available(self) -> tuple[str, ...]:
        """The locales it has a catalogue for."""
        ...


class _Keys:
    """Before a catalogue is installed: the key itself, so a missing install is visible."""

    def text(self, locale: str, key: str, n: int | None, fields: Mapping[str, Any]) -> str:
        return key

    def locale_of(self, wanted: str) -> str:
        return DEFAULT_LOCALE

    def available(self) -> tuple[str, ...]:
        return (DEFAULT_LOCALE,)


_catalogue: Catalogue = _Keys()
_locale: ContextVar[str] = ContextVar("copy_locale", default=DEFAULT_LOCALE)


def install(catalogue: Catalogue) -> None:
    """Make `catalogue` the one every `t` reads (once, when the application starts)."""
    global _catalogue
    _catalogue = catalogue


def t(key: str, /, **fields: Any) -> str:
    """The current locale's text for `key`, its `{fields}` filled in."""
    return _catalogue.text(_locale.get(), key, None, fields)


def tn(key: str, n: int, /, **fields: Any) -> str:
    """The plural form of `key` for `n` (also available to the text as `{n}`)."""
    return _catalogue.text(_locale.get(), key, n, {"n": n, **fields})


def available_locales() -> tuple[str, ...]:
    return _catalogue.available()


def locale_for(wanted: str | None) -> str:
    """The catalogue locale that serves a person's or platform's locale tag."""
    return _catalogue.locale_of((wanted or "").replace("_", "-"))


@contextmanager
def speaking(locale: str | None) -> Iterator[str]:
    """Handle what follows in `locale` (a platform tag such as `de-DE`, or empty: English)."""
    chosen = locale_for(locale)
    token = _locale.set(chosen)
    try:
        yield chosen
    finally:
        _locale.reset(token)
