"""Numbers with units: `72 hours`, `3 days`, `1.5 GB`, `20 %`, converted to the question's unit."""

from __future__ import annotations

import re

# One dimension per table; values are the size of the unit in the table's base unit.
_DIMENSIONS: tuple[dict[str, float], ...] = (
    {
        "ms": 0.001,
        "millisecond": 0.001,
        "s": 1,
        "sec": 1,
        "second": 1,
        "min": 60,
        "minute": 60,
        "h": 3600,
        "hr": 3600,
        "hour": 3600,
        "d": 86400,
        "day": 86400,
        "week": 604800,
        "wk": 604800,
    },
    {
        "b": 1,
        "byte": 1,
        "kb": 1e3,
        "mb": 1e6,
        "gb": 1e9,
        "tb": 1e12,
        "kib": 1024,
        "mib": 1024**2,
        "gib": 1024**3,
        "tib": 1024**4,
    },
    {"mm": 0.001, "cm": 0.01, "m": 1, "metre": 1, "meter": 1, "km": 1000},
    {"%": 1, "percent": 1, "per cent": 1},
)
_NUMBER = re.compile(
    r"^\s*([-+]?(?:\d[\d\s',]*)?(?:[.,]\d+)?(?:e[-+]?\d+)?)\s*(.*?)\s*\.?\s*$", re.I
)


class UnitError(ValueError):
    """The text has a number but not in a unit that converts to the question's."""


def _singular(unit: str) -> str:
    unit = re.sub(r"\s+", " ", unit.strip().casefold())
    if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def _factor(unit: str) -> tuple[int, float] | None:
    name = _singular(unit)
    for index, table in enumerate(_DIMENSIONS):
        if name in table:
            return index, table[name]
        if unit.strip().casefold() in table:
            return index, table[unit.strip().casefold()]
    return None


def _number(text: str) -> float:
    text = text.replace(" ", "").replace("'", "")
    if text.count(",") == 1 and "." not in text and len(text.split(",")[1]) != 3:
        text = text.replace(",", ".")  # a decimal comma: 2,5
    return float(text.replace(",", ""))


def parse_quantity(text: str, unit: str) -> float:
    """The number in `text`, in `unit`; ValueError if no number, UnitError if units clash."""
    found = _NUMBER.match(text)
    if not found or not re.search(r"\d", found.group(1)):
        raise ValueError(text)
    value = _number(found.group(1))
    given = found.group(2).strip()
    if not given or not unit:
        if given and not unit:
            raise UnitError(given)
        return value
    wanted = _singular(unit)
    if _singular(given) == wanted or given.casefold() == unit.casefold():
        return value
    source, target = _factor(given), _factor(unit)
    if source is None or target is None or source[0] != target[0]:
        raise UnitError(given)
    return value * source[1] / target[1]
