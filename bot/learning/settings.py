"""A learner's own settings: time zone and lesson rhythm."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import BadRequest
from bot.learning.cadence import parse_cadence
from storage.models import Person


def valid_timezone(name: str) -> str:
    name = name.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequest(
            f"'{name}' is not a time zone I know. "
            "Use a name like Europe/Berlin or America/New_York."
        ) from None
    return name


def apply_settings(person: Person, changes: dict[str, str]) -> list[str]:
    """Validate and apply changes; return what changed, in words."""
    done = []
    tz = changes.get("timezone", "").strip()
    if tz and tz != person.timezone:
        person.timezone = valid_timezone(tz)
        done.append(f"time zone {person.timezone}")
    if rhythm := changes.get("cadence", "").strip():
        cadence = str(parse_cadence(rhythm))
        if cadence != person.cadence:
            person.cadence = cadence
            done.append(f"rhythm {cadence}")
    return done


def parse_settings_text(arg: str) -> dict[str, str]:
    """`timezone Europe/Paris`, `tz Europe/Paris` or `cadence mon,wed 14:00`."""
    key, _, value = arg.strip().partition(" ")
    key = {"tz": "timezone", "time": "timezone", "zone": "timezone", "rhythm": "cadence"}.get(
        key.lower(), key.lower()
    )
    if key not in ("timezone", "cadence") or not value.strip():
        raise BadRequest(
            "Change a setting with `settings timezone Europe/Paris` or "
            "`settings cadence weekdays 09:30`."
        )
    return {key: value}
