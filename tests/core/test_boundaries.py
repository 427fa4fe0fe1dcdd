"""The import boundaries of DESIGN.md: the domain never depends on a platform SDK."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "openai")
DOMAIN = ("content", "learning", "assessment", "review", "credentials", "engagement")
CHANNEL_CODE = ("bot.channels", "bot.web")


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py"))


def _root(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_import_no_sdk_and_no_channel(package: str) -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)} imports {name}"
        for path in modules(package)
        for name in imports(path)
        if _root(name) in SDKS[:-1] or name.startswith(CHANNEL_CODE)
    ]
    assert offenders == []


def test_core_imports_only_the_standard_library_and_itself() -> None:
    allowed_roots = {"bot", "__future__"}
    offenders = []
    for path in modules("core"):
        for name in imports(path):
            outside_core = _root(name) == "bot" and not name.startswith("bot.core")
            third_party = _root(name) not in allowed_roots and not _is_stdlib(name)
            if outside_core or third_party:
                offenders.append(f"{path.name} imports {name}")
    assert offenders == []


def test_botbuilder_stays_inside_the_teams_channel() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}"
        for path in BOT.rglob("*.py")
        if "channels/teams" not in path.as_posix()
        and any(_root(n) in ("botbuilder", "botframework") for n in imports(path))
    ]
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "leak.py"
    sample.write_text("from slack_sdk.web.async_client import AsyncWebClient\nimport os\n")
    assert imports(sample) == ["slack_sdk.web.async_client", "os"]


def _is_stdlib(name: str) -> bool:
    import sys

    return _root(name) in sys.stdlib_module_names


@pytest.mark.parametrize("channel", ["slack", "teams"])
def test_a_channels_translate_module_loads_neither_the_application_nor_the_database(
    channel: str,
) -> None:
    module = f"bot.channels.{channel}.translate"
    probe = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m.startswith(('bot.', 'storage.', 'sqlalchemy'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(ast.literal_eval(done.stdout))
    assert module in loaded
    assert "bot.application" not in loaded
    assert not {m for m in loaded if m.startswith(("storage.", "sqlalchemy"))}
    assert len(loaded) < 20, sorted(loaded)
