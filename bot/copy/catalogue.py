"""Message catalogues keyed by locale: each key's text (and plural forms), with the fields a
caller passes formatted for the locale (numbers, dates) before they are filled in."""

from __future__ import annotations

import gettext
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

CATALOGUE_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "microcred"
ENGLISH = "en"


class CopyError(Exception):
    """A catalogue file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Entry:
    forms: tuple[str, ...]
    """The text, or one text per plural form."""
    line: int


@dataclass(frozen=True)
class LocaleCatalogue:
    locale: str
    entries: dict[str, Entry]
    plural: Callable[[int], int]
    path: Path


def _read(path: Path) -> LocaleCatalogue:
    with path.open("rb") as file:
        try:
            catalog = read_po(file, abort_invalid=True)
        except PoFileError as exc:  # its lineno counts from 0
            line = getattr(exc, "lineno", -1) + 1
            raise CopyError(f"{path}:{line}: {str(exc).rsplit(' on ', 1)[0]}") from exc
    entries: dict[str, Entry] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        key = str(message.id[0] if isinstance(message.id, list | tuple) else message.id)
        raw = message.string if isinstance(message.string, list | tuple) else (message.string,)
        forms = tuple(str(f or "") for f in raw)
        if not all(forms):
            continue  # not translated yet: English serves
        line = message.lineno or 0
        if key in entries:
            raise CopyError(f"{path}:{line}: the key {key!r} is defined twice")
        entries[key] = Entry(forms, line)
    locale = path.parent.parent.name
    return LocaleCatalogue(locale, entries, gettext.c2py(catalog.plural_expr), path)


def _field(value: Any, locale: str) -> Any:
    """Numbers and dates as the locale writes them; everything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | date):
        return value
    if isinstance(value, datetime):
        return format_datetime(value, "medium", locale=locale)
    if isinstance(value, date):
        return format_date(value, "medium", locale=locale)
    return format_decimal(value, locale=locale)


class Catalogue:
    """Every locale's catalogue; English is complete and serves any key a locale lacks."""

    def __init__(self, locales: Mapping[str, LocaleCatalogue]) -> None:
        if ENGLISH not in locales:
            raise CopyError(f"no English catalogue in {CATALOGUE_DIR}")
        self.locales = dict(locales)

    @property
    def english(self) -> LocaleCatalogue:
        return self.locales[ENGLISH]

    def locale_of(self, wanted: str) -> str:
        """`de-AT` → `de` when there is a German catalogue; anything unknown → English."""
        try:
            parsed = Locale.parse(wanted, sep="-") if wanted else None
        except (ValueError, UnknownLocaleError):
            parsed = None
        for candidate in (str(parsed) if parsed else "", parsed.language if parsed else ""):
            if candidate in self.locales:
                return candidate
        return ENGLISH

    def available(self) -> tuple[str, ...]:
        return tuple(sorted(self.locales))

    def text(self, locale: str, key: str, n: int | None, fields: Mapping[str, Any]) -> str:
        chosen = self.locales.get(locale, self.english)
        entry = chosen.entries.get(key)
        if entry is None:
            chosen, entry = self.english, self.english.entries.get(key)
        if entry is None:
            raise KeyError(f"no copy for {key!r} (add it to {self.english.path})")
        form = entry.forms[0]
        if n is not None and len(entry.forms) > 1:
            form = entry.forms[min(chosen.plural(n), len(entry.forms) - 1)]
        if not fields:
            return form
        return form.format(**{k: _field(v, chosen.locale) for k, v in fields.items()})

    def fields_of(self, locale: str, key: str) -> set[str]:
        """The `{field}` names a key's texts in `locale` use (for the catalogue tests)."""
        entry = self.locales[locale].entries[key]
        return {f for form in entry.forms for _, f, _, _ in string.Formatter().parse(form) if f}


@cache
def load_catalogue(folder: Path = CATALOGUE_DIR) -> Catalogue:
    """Read every locale's `.po` file under `folder` (once per folder)."""
    files = sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return Catalogue({path.parent.parent.name: _read(path) for path in files})
