"""Features build and read buttons only through their `ActionType`, never as loose strings."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
CARRIERS = {"core/views.py", "core/actions.py", "core/templates.py"}
"""Where `Action` itself is defined and encoded, and where fan-out swaps the enrollment in
encoded buttons (one template rendered for many learners)."""


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _loose_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _named(node.func, "Action"):
            found.append(f"{node.lineno}: Action(...)")
        elif isinstance(node, ast.Attribute) and node.attr == "of" and _named(node.value, "Action"):
            found.append(f"{node.lineno}: Action.of(...)")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "args"
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "action"
        ):
            found.append(f"{node.lineno}: .action.args")
    return found


def test_no_domain_module_spells_an_action_by_hand() -> None:
    offenders = {
        str(path.relative_to(BOT)): uses
        for path in sorted(BOT.rglob("*.py"))
        if not str(path.relative_to(BOT)).startswith("channels/")
        and str(path.relative_to(BOT)) not in CARRIERS
        and (uses := _loose_uses(path))
    }
    assert offenders == {}, "use the feature's ActionType to encode and decode: " + str(offenders)
