"""Overriding a score, from chat or from the shell, leaves an audit entry naming who and where."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.application import Application
from bot.cli import main
from bot.settings import Settings
from storage.models import Attempt
from storage.queries.org import grant_role
from storage.queries.people import ensure_person
from tests.assessment import library
from tests.driver import Learner

Invoke = Callable[..., Awaitable[Result]]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    library.write(tmp_path / "lib")
    return tmp_path / "lib"


@pytest.fixture
async def services(db_url: str, root: Path) -> AsyncIterator[Application]:
    built = Application.build(Settings(database_url=db_url, content_dir=root))
    yield built
    await built.stop()


@pytest.fixture
def cli(db_url: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(root))
    monkeypatch.setenv("LOGNAME", "opal")  # getpass.getuser() reads it first
    runner = CliRunner()

    async def invoke(*args: str) -> Result:  # the CLI runs its own event loop
        return await asyncio.to_thread(runner.invoke, main, list(args), catch_exceptions=False)

    return invoke


async def essay_of(services: Application, workspace: str) -> tuple[Learner, int]:
    """Ann answers the essay well (scored 4/4 offline); Rita may review the program."""
    async with services.database.transaction() as session:
        rita = await ensure_person(session, identity=f"{workspace}:rita", display_name="Rita")
        await grant_role(session, person=rita, role="reviewer", program_id="essay")
    ann = Learner(services.router, "ann", workspace)
    for text in ("start essay", "next", "impact", library.GOOD):
        await ann.say(text)
    async with services.database.transaction() as session:
        essay = await session.scalar(select(Attempt).where(Attempt.question_id == "essay"))
    assert essay is not None and essay.points == 4
    return Learner(services.router, "rita", workspace), essay.id


@pytest.mark.parametrize(
    ("workspace", "surface"),
    [("local", "playground"), ("slack:T1", "slack"), ("teams:TEN", "teams")],
)
async def test_a_chat_override_is_audited_with_the_actor_and_surface(
    services: Application, cli: Invoke, workspace: str, surface: str
) -> None:
    rita, essay = await essay_of(services, workspace)
    said = rita.text(await rita.say(f"marking override {essay} 2 No example given."))
    assert "now has 2 of 4 points" in said

    listed = await cli("audit", "list", "--workspace", workspace)
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    _when, actor, where, action, *rest = line.split("  ")
    assert (actor, where, action) == (f"{workspace}:rita", surface, "score.override")
    assert rest[0] == f"answer #{essay} in essay/check/essay · {workspace}:ann"
    assert '"points": {"after": 2.0, "before": 4.0}' in rest[1]
    assert '"reason": "No example given."' in rest[1] and '"quiz": "passed"' in rest[1]


async def test_the_shell_override_is_audited_as_the_os_user_newest_last(
    services: Application, cli: Invoke
) -> None:
    rita, essay = await essay_of(services, "local")
    await rita.say(f"marking confirm {essay}")
    lowered = await cli("scores", "override", str(essay), "--points", "0", "--reason", "Copied.")
    assert lowered.exit_code == 0, lowered.output

    lines = (await cli("audit", "list")).output.splitlines()
    assert [line.split("  ")[1:4] for line in lines[:2]] == [
        ["local:rita", "playground", "score.confirm"],
        ["cli:opal", "cli", "score.override"],
    ]
    assert '"quiz": "failed"' in lines[1] and '"reason": "Copied."' in lines[1]
    mine = (await cli("audit", "list", "--actor", "cli:opal")).output.splitlines()
    assert [line.split("  ")[3] for line in mine] == [
        line.split("  ")[3] for line in lines if "cli:opal" in line
    ]
    assert all("cli:opal" in line for line in mine)
    later = await cli("audit", "list", "--since", "2999-01-01")
    assert later.output.strip() == "no audit entries match"
