"""The copy catalogue: every key the code asks for exists in English, every locale fills in
the same fields, German covers English, and a broken file is named with its line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.copy import CopyError, load_catalogue
from bot.core.actions import ROLE_REFUSALS
from bot.core.copy import speaking, t, tn
from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
CALLS = ("t", "tn")


def keys_in_code() -> dict[str, str]:
    """Every string literal inside the key argument of a `t`/`tn` call, with where it is."""
    found: dict[str, str] = {}
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CALLS:
                for inner in ast.walk(node.args[0]) if node.args else ():
                    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                        found.setdefault(
                            inner.value, f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"
                        )
    return found


def test_every_key_the_code_asks_for_is_in_english() -> None:
    english = load_catalogue().english.entries
    wanted = {**keys_in_code(), **{key: "bot/core/actions.py" for key in ROLE_REFUSALS.values()}}
    assert len(wanted) > 50, "the scan finds the code's keys"
    missing = sorted(f"{where}: {key}" for key, where in wanted.items() if key not in english)
    assert missing == []


def test_every_english_key_is_used_somewhere() -> None:
    english = load_catalogue().english.entries
    used = set(keys_in_code()) | set(ROLE_REFUSALS.values())
    assert sorted(set(english) - used) == []


@pytest.mark.parametrize("locale", sorted(load_catalogue().locales))
def test_each_locale_fills_in_the_same_fields_as_english(locale: str) -> None:
    catalogue = load_catalogue()
    entries = catalogue.locales[locale].entries
    mismatched = [
        f"{key}: {sorted(catalogue.fields_of(locale, key))} ≠ "
        f"{sorted(catalogue.fields_of('en', key))}"
        for key in entries
        if catalogue.fields_of(locale, key) - catalogue.fields_of("en", key)
    ]
    assert mismatched == []


def test_german_covers_every_english_key_so_a_whole_journey_reads_in_german() -> None:
    catalogue = load_catalogue()
    assert sorted(set(catalogue.english.entries) - set(catalogue.locales["de"].entries)) == []


def test_a_locale_tag_finds_its_catalogue_and_anything_else_reads_english() -> None:
    with speaking("de-AT"):
        assert t("help.title") == "Lernen im Chat"
    with speaking("pt-BR"):
        assert t("help.title") == "Learning in chat"
    with speaking(""):
        assert tn("catalog.lessons", 1) == "1 lesson"


def test_plural_forms_and_numbers_follow_the_locale() -> None:
    assert [tn("catalog.lessons", n) for n in (0, 1, 2)] == ["0 lessons", "1 lesson", "2 lessons"]
    with speaking("de"):
        assert tn("common.points", 2, value=2.5) == "2,5 Punkte"
        assert tn("common.points", 1, value=1) == "1 Punkt"
    assert tn("common.points", 2, value=1250) == "1,250 points"


def test_a_key_nobody_wrote_fails_loudly_with_the_file_to_add_it_to() -> None:
    with pytest.raises(KeyError, match=r"microcred\.po"):
        t("no.such.key")


def test_a_broken_catalogue_file_is_named_with_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "locales"
    for locale, body in (
        ("en", 'msgid "a.b"\nmsgstr "A"\n'),
        ("fr", 'msgid "a.b"\nmsgstr "A"\nnot a keyword\n'),
    ):
        (folder / locale / "LC_MESSAGES").mkdir(parents=True)
        (folder / locale / "LC_MESSAGES" / "microcred.po").write_text(body)
    with pytest.raises(
        CopyError, match=r"fr/LC_MESSAGES/microcred.po:3: Unknown or misformatted keyword"
    ):
        load_catalogue(folder)
