"""SQL is built in `storage/queries/` only: no module under `bot/` constructs a statement."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
CONSTRUCTORS = frozenset({"select", "update", "delete", "insert", "text"})
"""SQLAlchemy's statement constructors (`session.get` and ORM attribute changes are fine)."""
ALLOWED: frozenset[tuple[str, str]] = frozenset()
"""(module path under the project, constructor) pairs that must stay in `bot/`, each with a
comment saying why. Empty: every statement has a query function in `storage/queries/`."""


def _from_sqlalchemy(module: str | None) -> bool:
    return module is not None and (module == "sqlalchemy" or module.startswith("sqlalchemy."))


def statement_constructors(path: Path) -> list[str]:
    """The SQLAlchemy statement constructors a module imports or reaches through a module
    alias (`from sqlalchemy import select`, `import sqlalchemy as sa` … `sa.select`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _from_sqlalchemy(node.module):
            found += [a.name for a in node.names if a.name in CONSTRUCTORS]
            aliases |= {a.asname or a.name for a in node.names if a.name not in CONSTRUCTORS}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _from_sqlalchemy(alias.name):
                    aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in CONSTRUCTORS
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append(node.attr)
    return found


def test_no_module_under_bot_builds_a_sql_statement() -> None:
    offenders = sorted(
        f"{path.relative_to(PROJECT_ROOT).as_posix()} uses {name}"
        for path in BOT.rglob("*.py")
        for name in statement_constructors(path)
        if (path.relative_to(PROJECT_ROOT).as_posix(), name) not in ALLOWED
    )
    assert offenders == [], "move these statements into a storage/queries/ function"


def test_the_allow_list_names_only_modules_that_still_need_it() -> None:
    stale = sorted(
        f"{module} {name}"
        for module, name in ALLOWED
        if name not in statement_constructors(PROJECT_ROOT / module)
    )
    assert stale == []


def test_the_checker_sees_each_way_of_reaching_a_constructor(tmp_path: Path) -> None:
    sample = tmp_path / "leak.py"
    sample.write_text(
        "import sqlalchemy as sa\n"
        "from sqlalchemy import func, select as pick\n"
        "from sqlalchemy.dialects.postgresql import insert\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "from sqlalchemy.sql import expression\n"
        "rows = sa.update(1), expression.delete(2), pick, insert, func.count()\n"
        "values = {}.update(a=1)  # dict.update is not SQL\n"
    )
    assert sorted(statement_constructors(sample)) == ["delete", "insert", "select", "update"]


def test_the_checker_passes_a_module_that_calls_query_functions(tmp_path: Path) -> None:
    sample = tmp_path / "clean.py"
    sample.write_text(
        "from sqlalchemy.exc import IntegrityError\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "from storage.queries.outbox import existing_outbox_keys\n"
        "lines: list[str] = []\n"
        "lines.insert(0, 'first')\n"
    )
    assert statement_constructors(sample) == []
