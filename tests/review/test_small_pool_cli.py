"""Small pools never deadlock; a portfolio completed from the terminal and the command line."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from click.testing import CliRunner, Result

from bot.application import Application
from bot.cli import main
from bot.content import load_library
from bot.settings import Settings
from storage.models import AdminAlert, Attempt, Enrollment, PeerSubmission
from tests.driver import Learner
from tests.review import helpers as h
from tests.review.library import WRITEUP, write_peer_library

T = TypeVar("T")
ANN, RITA, ELI, BEA = "local:ann", "local:rita", "local:eli", "local:bea"


class Run(Protocol):
    """The `run` fixture: `work(services)`'s result, whatever its type."""

    def __call__(self, work: Callable[[Application], Awaitable[T]], /) -> T: ...


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_peer_library(tmp_path / "library")


@pytest.fixture
def run(db_url: str, library: Path) -> Run:
    """Run `work(services)` against the test database, with peer review's posts sent."""

    def go(work: Callable[[Application], Awaitable[T]]) -> T:
        async def inner() -> T:
            services = Application.build(
                Settings(database_url=db_url), catalog=load_library(library)
            )
            try:
                result = await work(services)
                await services.reviews.drain()
                return result
            finally:
                await services.stop()

        return asyncio.run(inner())

    return go


@pytest.fixture
def cli(db_url: str, library: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("MICROCRED_CONTENT_DIR", str(library))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


async def _submit(services: Application, program_id: str = "peer-open") -> str:
    ann = Learner(services.router, "ann")
    await ann.say(f"start {program_id}")
    return ann.text(await ann.say(WRITEUP))


def test_one_peer_and_the_team_lead(run: Run, cli: Callable[..., Result]) -> None:
    async def setup(services: Application) -> str:
        await h.reviewer(services.database, BEA, "peer-open", "Bea")
        await h.team(services.database, ELI, ANN)
        return await _submit(services)

    said = str(run(setup))
    assert "Sent to 2 reviewers" in said
    assert "has only 1 eligible reviewer. The team lead was added. 2 approvals decide." in said
    out = cli("reviews", "pending").output
    assert "Bea (reviewer) waiting" in out and "eli (lead) waiting" in out
    assert "The team lead was added" in out


def test_nobody_to_review_then_an_admin_completes_it_from_the_shell(
    run: Run, cli: Callable[..., Result]
) -> None:
    async def submit_solo(services: Application) -> str:
        return await _submit(services, "peer-solo")

    said = str(run(submit_solo))
    assert "A reviewer is being found" in said and "an admin was alerted" in said
    rows = [json.loads(line) for line in cli("reviews", "pending", "--json").output.splitlines()]
    assert [(r["id"], r["reviewers"]) for r in rows] == [(1, [])]

    async def rita_exists(services: Application) -> None:
        await h.person(services.database, RITA, "Rita")

    run(rita_exists)
    assert "Rita was asked to review portfolio #1" in cli("reviews", "assign", "1", RITA).output
    refused = CliRunner().invoke(
        main, ["reviews", "decide", "1", "--reviewer", ANN, "--approve", "--levels", "met,met"]
    )
    assert refused.exit_code != 0 and "your own work" in refused.output
    done = cli(
        "reviews", "decide", "1", "--reviewer", RITA, "--approve", "--levels", "met met"
    ).output
    assert "last approval needed" in done

    async def check(
        services: Application,
    ) -> tuple[list[PeerSubmission], list[Attempt], list[Enrollment], list[AdminAlert]]:
        db = services.database
        return (
            await h.rows(db, PeerSubmission),
            await h.rows(db, Attempt),
            await h.rows(db, Enrollment),
            await h.rows(db, AdminAlert),
        )

    subs, attempts, enrollments, alerts = run(check)
    assert [s.status for s in subs] == ["approved"]
    assert [(a.status, a.points) for a in attempts] == [("scored", 3.0)]
    assert [e.status for e in enrollments] == ["completed"]
    # one event, one alert, saying what happened: nobody left, nobody was eligible yet
    assert [a.subject for a in alerts] == ["portfolio #1: no eligible reviewer yet"]
    assert "no portfolio waits" in cli("reviews", "pending").output
    audited = [line.split("  ") for line in cli("audit", "list").output.splitlines()]
    assert [(r[2], r[3], r[4]) for r in audited] == [  # the quorum's re-score is not an admin's
        ("cli", "review.reassign", "portfolio #1 v1 in peer-solo/work · local:ann"),
        ("cli", "review.decide-override", "portfolio #1 v1 in peer-solo/work · local:ann"),
    ]
    assert all(r[1].startswith("cli:") for r in audited)
    assert '"for": "Reviewer 1"' in audited[1][5] and '"after": "approve"' in audited[1][5]


def test_only_the_lead_calibrates_and_decides_in_the_terminal(run: Run) -> None:
    async def flow(services: Application) -> str:
        await h.team(services.database, ELI, ANN)
        said = await _submit(services, "peer-min")  # asks for 2, accepts 1 when nobody else
        assert "accepts 1 approval when no second reviewer is available" in said
        assert "1 approval decides" in said
        await services.reviews.drain()
        eli = Learner(services.router, "eli")
        listed = eli.text(await eli.say("review"))
        assert "#1" in listed
        refused = eli.text(await eli.say("review 1 approve met,met"))
        assert "score the calibration example" in refused  # a new reviewer calibrates first
        compared = eli.text(await eli.say("review calibrate met not-yet"))
        assert "Agreement with the reference: 50%" in compared and "Calibrated" in compared
        return eli.text(await eli.say("review 1 approve met,met"))

    assert "last approval needed" in str(run(flow))
