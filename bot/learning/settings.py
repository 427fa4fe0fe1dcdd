"""A learner's own settings: time zone, lesson rhythm, quiet hours and language."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.copy import DEFAULT_LOCALE, available_locales, locale_for, t
from bot.core.errors import BadRequest
from bot.core.text import escape_markdown, shorten
from bot.learning.cadence import parse_cadence
from bot.learning.window import parse_window
from storage.models import Person


def valid_timezone(name: str) -> str:
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(
            t("settings.unknown_timezone", zone=escape_markdown(shorten(name, 64)))
        ) from None
    return name


def valid_language(wanted: str) -> str:
    """The catalogue locale for a language the learner asked for (`de`, `de-AT`, `Deutsch`
    is not a tag), or a clear refusal naming the ones there are."""
    chosen = locale_for(wanted.strip())
    if chosen == DEFAULT_LOCALE and not wanted.strip().lower().startswith(DEFAULT_LOCALE):
        raise BadRequest(
            t(
                "settings.unknown_language",
                wanted=escape_markdown(shorten(wanted.strip(), 32)),
                available=", ".join(f"`{code}`" for code in available_locales()),
            )
        )
    return chosen


def apply_settings(person: Person, changes: dict[str, str]) -> list[str]:
    """Validate and apply changes; return what changed, in words."""
    done = []
    if language := changes.get("language", "").strip():
        chosen = valid_language(language)
        if chosen != person.locale:
            person.locale = chosen
            done.append(t("settings.changed_language", language=chosen))
    tz = changes.get("timezone", "").strip()
    if tz and tz != person.timezone:
        person.timezone = valid_timezone(tz)
        done.append(t("settings.saved_timezone", zone=person.timezone))
    if rhythm := changes.get("cadence", "").strip():
        # a refusal quotes what was typed: make it literal
        cadence = str(parse_cadence(rhythm, shown=escape_markdown(shorten(rhythm, 64))))
        if cadence != person.cadence:
            person.cadence = cadence
            done.append(t("settings.saved_cadence", cadence=cadence))
    if hours := changes.get("quiet_hours", "").strip():
        window = str(parse_window(hours, shown=escape_markdown(shorten(hours, 64))))
        if window != person.quiet_hours:
            person.quiet_hours = window
            done.append(t("settings.saved_quiet_hours", window=window))
    return done


def parse_settings_text(arg: str) -> dict[str, str]:
    """`timezone Europe/Paris`, `tz Europe/Paris`, `cadence mon,wed 14:00`, `hours …-…`."""
    key, _, value = arg.strip().partition(" ")
    key = {"tz": "timezone", "time": "timezone", "zone": "timezone", "rhythm": "cadence"}.get(
        key.lower(), key.lower()
    )
    key = {"hours": "quiet_hours", "quiet": "quiet_hours", "window": "quiet_hours"}.get(key, key)
    key = {"lang": "language", "locale": "language"}.get(key, key)
    if key not in ("timezone", "cadence", "quiet_hours", "language") or not value.strip():
        raise BadRequest(t("settings.usage"))
    return {key: value}
