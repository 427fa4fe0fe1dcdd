"""No sentence a person reads is written in code: text handed to the view model comes from
the catalogue (`t`, `tn`). Modules join `MOVED` as their copy moves into the catalogue."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.settings import PROJECT_ROOT

MOVED = (
    "bot/assessment/responses.py",
    "bot/core",
    "bot/delivery/messages.py",
    "bot/delivery/notices.py",
    "bot/delivery/repetition.py",
    "bot/engagement/board_views.py",
    "bot/learning/cadence.py",
    "bot/learning/journey.py",
    "bot/learning/keep.py",
    "bot/learning/runs.py",
    "bot/learning/screens/common.py",
    "bot/learning/screens/menus.py",
    "bot/learning/screens/questions.py",
    "bot/learning/screens/results.py",
    "bot/learning/screens/rubric.py",
    "bot/learning/screens/settings_view.py",
    "bot/learning/settings.py",
    "bot/learning/turn.py",
    "bot/learning/window.py",
)
"""Where every user-facing string comes from the catalogue (the rest moves in later steps)."""
TEXT_ARGS = {
    "Text": (0,),
    "Header": (0,),
    "Context": (0,),
    "Button": (0,),
    "Form": (0,),
    "TextField": (1,),
    "ChoiceField": (1,),
    "Option": (1,),
    "say": (0,),
    "message": (),
    "BadRequest": (0,),
    "CannotProceed": (0,),
}
"""View constructors (and errors shown to people), and which positional argument is text."""
TEXT_KEYWORDS = {"fallback", "label", "title", "text"}
WORDS = re.compile(r"[^\W\d_]{2,}")


def _literal_words(node: ast.expr) -> str:
    """The words a literal (or the literal parts of an f-string) writes, if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if WORDS.search(node.value) else ""
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return "".join(str(p) for p in parts) if WORDS.search("".join(map(str, parts))) else ""
    if isinstance(node, ast.IfExp):
        return _literal_words(node.body) or _literal_words(node.orelse)
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) or _literal_words(node.right)
    return ""


def offenders(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        texts = [node.args[i] for i in TEXT_ARGS.get(str(name), ()) if i < len(node.args)]
        if name in TEXT_ARGS:
            texts += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for text in texts:
            if words := _literal_words(text):
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {words[:60]!r}")
    return found


def moved_files() -> list[Path]:
    files: list[Path] = []
    for entry in MOVED:
        path = PROJECT_ROOT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_moved_modules_hand_the_view_model_no_sentence_of_their_own() -> None:
    assert [o for path in moved_files() for o in offenders(path)] == []


def test_the_scan_sees_a_sentence_written_in_code(tmp_path: Path) -> None:
    sample = PROJECT_ROOT / "bot" / "_copy_scan_sample.py"
    try:
        sample.write_text(
            'Text("Well done!")\nButton(f"Start {title}", action)\nText(t("ok"))\n'
            'Context(f"{a} · {b}")\nmessage(fallback="Programs you can take")\n'
            'raise BadRequest("That is too long")\n'
        )
        found = offenders(sample)
    finally:
        sample.unlink()
    assert [line.split(":")[1] for line in found] == ["1", "2", "5", "6"]
