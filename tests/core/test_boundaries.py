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
DOMAIN = ("content", "assessment", "learning", "marking", "review", "credentials", "engagement")
ORDER = (
    "core",
    "runtime",
    "content",
    "assessment",
    "learning",
    "marking",
    "delivery",
    "review",
    "credentials",
    "engagement",
)
"""Each package imports only those before it (docs/architecture.md, "Packages in order")."""
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


def module_graph() -> dict[str, set[str]]:
    """Every bot module and the bot modules it imports, type-only imports included
    (`from package import module` counts as the module, not the package's __init__)."""
    names = {
        ".".join(p.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in BOT.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = {f"{node.module}.{a.name}" for a in node.names} & names.keys()
                targets |= subs if len(subs) == len(node.names) else {node.module, *subs}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        graph[name] = (targets & names.keys()) - {name}
    return graph


def _package(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_packages_depend_one_way_in_the_written_order() -> None:
    rank = {package: n for n, package in enumerate(ORDER)}
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in module_graph().items()
        if _package(module) in rank
        for target in targets
        if _package(target) in rank and rank[_package(target)] > rank[_package(module)]
    )
    assert offenders == []


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = module_graph()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for target in sorted(graph[module]):
            if cycle := visit(target, (*path, module)):
                return cycle
        done.add(module)
        return []

    cycles = [" -> ".join(c) for m in sorted(graph) if (c := visit(m, ()))]
    assert cycles == []


def test_the_order_check_sees_an_upward_import(tmp_path: Path) -> None:
    sample = tmp_path / "upward.py"
    sample.write_text("if TYPE_CHECKING:\n    from bot.engagement.service import Engagement\n")
    assert imports(sample) == ["bot.engagement.service"]
