"""`microcred learners retake`: an admin grants a learner who used every run another go."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from bot.application import Application
from bot.content import load_library
from bot.settings import Settings
from storage.models import AuditEntry, QuizRun, RetakeGrant
from tests.cli.conftest import Cli
from tests.driver import Learner, all_text, shown_letters
from tests.learning.pool import question, write_pool

T = TypeVar("T")
QUIZ_HEAD = "id: final\ntitle: Final\npass_mark: 100\ndraw: 3\nretakes: 0\nretake_cooldown: 2h\n"
USED_UP = "You have used every run of **Final**"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A program whose quiz has one run (no retake), a 2-hour cool-down and a pool of six."""
    questions = "".join(question(n, options=4) for n in range(1, 7))
    return write_pool(tmp_path / "library", f"{QUIZ_HEAD}questions:\n{questions}")


@pytest.fixture(autouse=True)
def os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", "opal")  # getpass.getuser() reads it first


Chat = Callable[[str, Callable[[Learner], Awaitable[T]]], T]


@pytest.fixture
def chat(db_url: str, library: Path) -> Chat:
    """`chat("ann", script)` runs `script(learner)` against the bot, as a channel would."""

    def run(name: str, script: Callable[[Learner], Awaitable[T]]) -> T:
        async def go() -> T:
            services = Application.build(
                Settings(database_url=db_url), catalog=load_library(library)
            )
            try:
                return await script(Learner(services.router, name))
            finally:
                await services.stop()

        return asyncio.run(go())

    return run


async def _fail_a_run(learner: Learner) -> str:
    """Answer every question of the open run wrongly; the result's text."""
    text = ""
    for _ in range(5):
        key = learner.last.key
        assert key, all_text(learner.last)
        text = learner.text(await learner.say(shown_letters(learner.last)["o0"]))
        if ": result" in text:
            return text
    raise AssertionError(text)


async def _use_every_run(learner: Learner) -> str:
    """Start the program, fail its quiz's only run, and ask for a retake: the reply."""
    for line in ("start pool", "next", "next"):
        await learner.say(line)
    result = await _fail_a_run(learner)
    assert "Ask your learning admin if you need another go." in result
    return learner.text(await learner.say("retake final"))


async def _retake_and_fail(learner: Learner) -> tuple[str, str]:
    """Ask for a retake; if a run starts, fail it. The retake's reply and the result."""
    started = learner.text(await learner.say("retake final"))
    if "Question 1 of 3" not in started:
        return started, ""
    return started, await _fail_a_run(learner)


def _runs(in_db) -> list[list[str]]:
    async def work(session) -> list[list[str]]:
        rows = await session.scalars(select(QuizRun).order_by(QuizRun.id))
        return [list(r.questions) for r in rows]

    return in_db(work)


def _written(in_db) -> tuple[int, int]:
    """How many retake grants and audit entries the database holds."""

    async def work(session) -> tuple[int, int]:
        grants = await session.scalar(select(func.count()).select_from(RetakeGrant))
        entries = await session.scalar(select(func.count()).select_from(AuditEntry))
        return int(grants or 0), int(entries or 0)

    return in_db(work)


def _grant(cli: Cli, *extra: str, reason: str = "ill on the day of the quiz"):
    return cli("learners", "retake", "local:ann", "pool", "final", "--reason", reason, *extra)


def test_a_granted_run_opens_at_once_and_asks_other_questions(cli: Cli, chat: Chat, in_db) -> None:
    refused = chat("ann", _use_every_run)
    assert f"{USED_UP} (1). Ask your learning admin if you need another go." in refused
    assert len(_runs(in_db)) == 1

    granted = _grant(cli)
    assert granted.exit_code == 0, granted.output
    assert "granted Ann 1 more run of Final (pool/final; 2 runs allowed in all)" in granted.stdout

    started, result = chat("ann", _retake_and_fail)  # within the 2-hour cool-down
    assert "Question 1 of 3" in started
    first, second = _runs(in_db)
    assert len(second) == 3 and set(first).isdisjoint(second)  # a pool twice the draw
    assert "used every run" in result

    again, _ = chat("ann", _retake_and_fail)
    assert f"{USED_UP} (2)" in again  # the granted run is used up too
    assert len(_runs(in_db)) == 2


def test_several_runs_may_be_granted_and_each_skips_the_cool_down(
    cli: Cli, chat: Chat, in_db
) -> None:
    chat("ann", _use_every_run)
    assert _grant(cli, "--runs", "2").exit_code == 0
    for _ in range(2):
        started, _ = chat("ann", _retake_and_fail)
        assert "Question 1 of 3" in started
    refused, _ = chat("ann", _retake_and_fail)
    assert f"{USED_UP} (3)" in refused
    assert len(_runs(in_db)) == 3
    too_many = _grant(cli, "--runs", "6")
    assert too_many.exit_code == 2 and "6 is not in the range 1<=x<=5" in too_many.stderr


def test_the_grant_is_in_the_audit_log_with_the_reason(cli: Cli, chat: Chat, in_db) -> None:
    chat("ann", _use_every_run)
    assert _grant(cli, reason="  was ill on the day  ").exit_code == 0
    listed = cli("audit", "list")
    assert listed.exit_code == 0, listed.output
    [entry] = [line.split("  ") for line in listed.stdout.splitlines()]
    assert entry[1:5] == ["cli:opal", "cli", "retake.grant", "runs of pool/final · local:ann"]
    assert json.loads(entry[5]) == {
        "before": 1,
        "after": 2,
        "runs": 1,
        "reason": "was ill on the day",
    }

    async def grants(session) -> list[tuple[str, int, str, str]]:
        rows = await session.scalars(select(RetakeGrant))
        return [(g.quiz_id, g.runs, g.reason, g.granted_by) for g in rows]

    assert in_db(grants) == [("final", 1, "was ill on the day", "cli:opal")]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("local:nobody", "pool", "final", "--reason", "r"), "no one is known as 'local:nobody'"),
        (("local:ann", "pool", "final", "--reason", "  "), "give a --reason"),
        (("local:ann", "nope", "final", "--reason", "r"), "unknown program 'nope'"),
        (("local:ann", "pool", "exam", "--reason", "r"), "no quiz 'exam'; its quizzes: final"),
        (("local:bob", "pool", "final", "--reason", "r"), "Bob is not enrolled in pool"),
    ],
)
def test_refusals_write_nothing(
    cli: Cli, chat: Chat, in_db, args: tuple[str, ...], said: str
) -> None:
    chat("ann", _use_every_run)
    chat("bob", lambda bob: bob.say("help"))  # known to the bot, enrolled in nothing
    refused = cli("learners", "retake", *args)
    assert refused.exit_code == 1 and said in refused.stderr
    assert _written(in_db) == (0, 0)
    still, _ = chat("ann", _retake_and_fail)
    assert f"{USED_UP} (1)" in still


def test_a_learner_with_runs_left_is_told_how_many(cli: Cli, chat: Chat, in_db) -> None:
    async def enrol(learner: Learner) -> None:
        await learner.say("start pool")

    chat("ann", enrol)
    early = _grant(cli)
    assert early.exit_code == 1
    assert "Ann still has 1 run of final left (0 of 1 used): nothing granted" in early.stderr
    assert _written(in_db) == (0, 0)

    chat("ann", _use_every_run)
    assert _grant(cli).exit_code == 0
    twice = _grant(cli)
    assert twice.exit_code == 1
    assert "Ann still has 1 run of final left (1 of 2 used): nothing granted" in twice.stderr
    assert _written(in_db) == (1, 1)
