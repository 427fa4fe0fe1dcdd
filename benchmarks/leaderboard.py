"""Leaderboards at scale: 50,000 learners in 500 teams, 1,000,000 scored attempts over a year.

For SQLite (and PostgreSQL when a URL is given or MICROCRED_TEST_POSTGRES_URL is set):

- ours: the top 10 and one learner's own rank, through the application's query functions
  (bot.engagement.boards) on the totals maintained with every award, with the privacy
  filters applied (people who left the boards are not listed; the policy is "announce");
- baseline: the same answers from one bare SQL aggregate over the attempts table;
- for each scope (program, team, organisation) and window (week, month, all time), p95
  per query; both sets of answers are compared (`answers_match`);
- the added cost per recorded attempt of keeping totals: inserting an attempt alone vs
  inserting it and awarding its points (ledger entry + totals upsert), each committed.

    python benchmarks/leaderboard.py [--learners 50000] [--attempts 1000000] [--postgres-url …]

The last line printed is one JSON object: p95_ms_sqlite, p95_ms_postgres (when reachable),
baseline_p95_ms_sqlite, and the rest of the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import bindparam, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.leaderboard_data import NOW, PROGRAMS, WORKSPACE, Loaded, Spec, load  # noqa: E402
from bot.engagement import boards  # noqa: E402
from bot.engagement.periods import ORG, period_key, program_board, team_board  # noqa: E402
from bot.engagement.points import Award, Learner, award  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database, sync_engine  # noqa: E402
from storage.models import Attempt  # noqa: E402
from storage.types import UTCDateTime  # noqa: E402

WINDOWS = ("week", "month", "all")
SCOPES = ("program", "team", "org")
SINCE = {
    "week": datetime(2026, 3, 2, tzinfo=UTC),
    "month": datetime(2026, 3, 1, tzinfo=UTC),
    "all": datetime(1970, 1, 1, tzinfo=UTC),
}
SUMS = """SELECT e.person_id AS pid, SUM(a.points) AS pts
  FROM attempts a JOIN enrollments e ON e.id = a.enrollment_id {team}
  LEFT JOIN board_preferences bp ON bp.person_id = e.person_id
 WHERE a.workspace_id = :ws AND a.created_at >= :since {program}
   AND (bp.choice IS NULL OR bp.choice <> 'off')
 GROUP BY e.person_id"""


def baseline_sql(scope: str, kind: str) -> Any:
    sums = SUMS.format(
        team="JOIN team_members tm ON tm.person_id = e.person_id AND tm.team_id = :team"
        if scope == "team"
        else "",
        program="AND a.program_id = :program" if scope == "program" else "",
    )
    if kind == "top":
        sql = f"{sums} HAVING SUM(a.points) > 0 ORDER BY pts DESC, pid LIMIT 10"
    else:
        sql = (
            f"WITH s AS ({sums}) SELECT (SELECT pts FROM s WHERE pid = :me), "
            "(SELECT COUNT(*) FROM s WHERE pts > (SELECT pts FROM s WHERE pid = :me))"
        )
    return text(sql).bindparams(bindparam("since", type_=UTCDateTime()))


def pick(scope: str, rng: random.Random, data: Loaded) -> tuple[str, dict[str, Any]]:
    """A board of the scope and the baseline's parameters for it."""
    if scope == "program":
        program = rng.choice(PROGRAMS)
        return program_board(program), {"program": program}
    if scope == "team":
        team = rng.randint(1, max(data.team_of.values()))
        return team_board(team), {"team": team}
    return ORG, {}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)], 2) if ordered else 0.0


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await call()
    return (time.perf_counter() - start) * 1000, result


async def time_queries(db: Database, data: Loaded, reps: int, base_reps: int) -> dict[str, Any]:
    rng = random.Random(11)
    ours: dict[str, list[float]] = {}
    base: dict[str, list[float]] = {}
    mismatches = 0
    listed = [p for p, c in data.choice.items() if c != "off"]
    async with db.sessions() as session:
        for scope in SCOPES:
            for window in WINDOWS:
                name, period = f"{scope}/{window}", period_key(window, NOW)
                for n in range(reps):
                    board, params = pick(scope, rng, data)
                    me = rng.choice(listed) if scope != "team" else _in_team(rng, data, params)
                    ms, top = await timed(
                        partial(
                            boards.top, session, workspace_id=WORKSPACE, board=board, period=period
                        )
                    )
                    ours.setdefault(f"{name}/top", []).append(ms)
                    ms, rank = await timed(
                        partial(
                            boards.rank_of,
                            session,
                            workspace_id=WORKSPACE,
                            board=board,
                            period=period,
                            person_id=me,
                        )
                    )
                    ours.setdefault(f"{name}/rank", []).append(ms)
                    if n >= base_reps:
                        continue
                    args = {"ws": WORKSPACE, "since": SINCE[window], "me": me, **params}
                    sql = baseline_sql(scope, "top")
                    ms, found = await timed(partial(session.execute, sql, args))
                    base.setdefault(f"{name}/top", []).append(ms)
                    expected = [(int(p), int(v)) for p, v in found]
                    got = [(r.person_id, r.points) for r in top.rows]
                    sql = baseline_sql(scope, "rank")
                    ms, found = await timed(partial(session.execute, sql, args))
                    base.setdefault(f"{name}/rank", []).append(ms)
                    pts, above = found.one()
                    want_rank = (int(above) + 1) if pts else None
                    # ours shows at most the top half of a board: compare that prefix
                    same_top = got == expected[: len(got)] and (got or len(expected) < 2)
                    if not same_top or (rank.rank, rank.points) != (want_rank, int(pts or 0)):
                        mismatches += 1
    return {
        "ours": {k: p95(v) for k, v in ours.items()},
        "baseline": {k: p95(v) for k, v in base.items()},
        "p95_ms": p95([x for v in ours.values() for x in v]),
        "baseline_p95_ms": p95([x for v in base.values() for x in v]),
        "answers_match": mismatches == 0,
        "mismatches": mismatches,
    }


def _in_team(rng: random.Random, data: Loaded, params: dict[str, Any]) -> int:
    members = [
        p for p, t in data.team_of.items() if t == params["team"] and data.choice[p] != "off"
    ]
    return rng.choice(members)


async def time_recording(db: Database, data: Loaded, count: int) -> dict[str, float]:
    """Insert an attempt alone vs with its award (ledger + totals), each committed."""
    rng = random.Random(5)
    plain: list[float] = []
    awarded: list[float] = []
    n = data.next_attempt + 10
    for i in range(count):
        eid, pid, program = rng.choice(data.enrollments)
        for with_award in (i % 2 == 0, i % 2 == 1):
            n += 1
            start = time.perf_counter()
            async with db.transaction() as session:
                session.add(_attempt(n, eid, program))
                if with_award:
                    await session.flush()
                    done = Award("first_try", f"attempt:{n}", 2, program, f"bench/{n}", 0.67)
                    await award(session, learner=Learner(pid, WORKSPACE), award=done, at=NOW)
            (awarded if with_award else plain).append((time.perf_counter() - start) * 1000)
    return {
        "attempt_only_ms": round(statistics.mean(plain), 3),
        "attempt_with_totals_ms": round(statistics.mean(awarded), 3),
        "added_ms_per_attempt": round(statistics.mean(awarded) - statistics.mean(plain), 3),
        "added_ms_per_attempt_p50": round(statistics.median(awarded) - statistics.median(plain), 3),
    }


def _attempt(n: int, enrollment_id: int, program: str) -> Attempt:
    return Attempt(
        workspace_id=WORKSPACE,
        enrollment_id=enrollment_id,
        program_id=program,
        quiz_id="bench",
        question_id=f"r{n}",
        quiz_run=0,
        try_no=1,
        content_hash="bench",
        status="scored",
        points=2.0,
        max_points=3.0,
        correct=False,
        scorer="exact",
        created_at=NOW - timedelta(minutes=1),
    )


@contextmanager
def database(kind: str, admin: str | None) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/leaderboard.db"
            migrate.upgrade(url)
            yield url
        return
    assert admin
    name = f"microcred_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def measure(url: str, spec: Spec, reps: int, base_reps: int, writes: int) -> dict[str, Any]:
    start = time.perf_counter()
    engine = sync_engine(url)
    dialect = engine.dialect if engine.dialect.name == "sqlite" else None
    engine.dispose()
    data = load(url, spec, dialect)
    generated = time.perf_counter() - start
    db = Database(url)
    try:
        queries = await time_queries(db, data, reps, base_reps)
        recording = await time_recording(db, data, writes)
    finally:
        await db.close()
    return {"load_s": round(generated, 1), "totals_rows": data.totals_rows, **queries, **recording}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=40, help="our queries per scope and window")
    parser.add_argument("--baseline-reps", type=int, default=2)
    parser.add_argument("--writes", type=int, default=400, help="attempts recorded per variant")
    parser.add_argument("--postgres-url", default=os.environ.get("MICROCRED_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    spec = Spec(args.learners, args.teams, args.attempts)
    kinds = ["sqlite"] + (["postgres"] if args.postgres_url and not args.no_postgres else [])
    summary: dict[str, Any] = {
        "learners": spec.learners,
        "teams": spec.teams,
        "attempts": spec.attempts,
    }
    for kind in kinds:
        with database(kind, args.postgres_url) as url:
            found = asyncio.run(measure(url, spec, args.reps, args.baseline_reps, args.writes))
        print(f"\n{kind}: loaded in {found['load_s']} s, {found['totals_rows']} total rows")
        print(f"{'query':<22}{'ours p95 ms':>14}{'baseline p95 ms':>18}")
        for key, ms in found["ours"].items():
            print(f"{key:<22}{ms:>14}{found['baseline'].get(key, float('nan')):>18}")
        print(
            f"recording an attempt: {found['attempt_only_ms']} ms alone, "
            f"{found['attempt_with_totals_ms']} ms with its award and totals (means): "
            f"+{found['added_ms_per_attempt']} ms"
        )
        summary[f"p95_ms_{kind}"] = found["p95_ms"]
        summary[f"baseline_p95_ms_{kind}"] = found["baseline_p95_ms"]
        summary[f"added_ms_per_attempt_{kind}"] = found["added_ms_per_attempt"]
        summary[f"added_ms_per_attempt_p50_{kind}"] = found["added_ms_per_attempt_p50"]
        summary[f"attempt_only_ms_{kind}"] = found["attempt_only_ms"]
        summary[f"answers_match_{kind}"] = found["answers_match"]
        summary[f"load_s_{kind}"] = found["load_s"]
        summary[f"totals_rows_{kind}"] = found["totals_rows"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
