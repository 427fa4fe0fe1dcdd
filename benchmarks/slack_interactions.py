"""Signed quiz-answer clicks: microcred's full Slack stack vs a bare Bolt ack-only app.

Both run as `AsyncApp(process_before_response=True)` behind the same aiohttp server, each in
its own process on 127.0.0.1, driven by one load generator with 16 requests in flight. Ours
checks the signature, stores the click in the durable inbox (group commit) and acks; its
in-process inbox worker then scores the answer, writes it to SQLite and updates the clicked
message with chat.update on a local fake Web API, whose arrival times give the "until
chat.update" figures. A run ends only once the inbox is empty; `accepted` counts the acked
clicks and `completed` the answers recorded; CPU is read from /proc for each server process
while it serves. Usage: python benchmarks/slack_interactions.py [--requests N] [--rate R]
[--database sqlite|postgresql] [--postgres-url ADMIN_URL] [--workers N] (R clicks a second
in all, 100 by default; 0 sends as fast as acks return, for the edge `ratio`; PostgreSQL runs
on throwaway databases, with N > 0 as `serve --no-worker` plus N `microcred worker`s). The
last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientSession, TCPConnector, web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET, TOKEN, TEAM = "bench-signing-secret", "xoxb-bench", "T1"
PROGRAM, QUIZ = "secure-coding", "untrusted-input-check"
CONCURRENCY = 16
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


# -- a lean fake Web API: canned answers, arrival time of every chat.update ------------


class LeanSlack:
    def __init__(self) -> None:
        self.updates: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] = self.calls.get(method, 0) + 1
        body = await request.json() if request.content_type == "application/json" else {}
        if method == "chat.update":
            self.updates.setdefault(str(body.get("ts")), time.perf_counter())
        canned: dict[str, Any] = {
            "auth.test": {"team_id": TEAM, "user_id": "UBOT", "bot_id": "BBOT"},
            "users.info": {"user": {"id": "U", "tz": "Europe/Berlin", "name": "learner"}},
            "conversations.open": {"channel": {"id": "DBENCH"}},
            "chat.postMessage": {"channel": "DBENCH", "ts": f"{time.time():.6f}"},
        }
        return web.json_response({"ok": True, **canned.get(method, {})})

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner


# -- the two servers, each in its own process -------------------------------------------


def serve_ours(port: int, db_url: str, api_url: str, inbox_worker: bool = True) -> None:
    from bot.application import Application
    from bot.settings import Settings
    from bot.web.server import create_app

    settings = Settings(
        database_url=db_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        log_level="WARNING",
        inbox_worker=inbox_worker,
    )
    web.run_app(
        create_app(Application.build(settings)),
        host="127.0.0.1",
        port=port,
        access_log=None,
        print=None,
    )


class StubEngine:
    """Answers every click like a scored answer, without the engine or the database."""

    def __init__(self) -> None:
        from bot.core.views import Context, Header, Reply, Text, message

        shown = message(
            Header("Quiz"),
            Text("**Your answer:** A"),
            Text("✅ Correct"),
            Context("Question 1 of 6 · answered"),
            fallback="✅ Correct",
        )
        self.reply = Reply((shown,), replace_source=shown)
        self.reply_type = Reply

    async def handle(self, inbound: Any) -> Any:
        return self.reply


def serve_stub(port: int, db_url: str, api_url: str) -> None:
    from bot.application import Application
    from bot.channels.slack.mount import SLACK
    from bot.settings import Settings
    from bot.web.server import create_app

    settings = Settings(
        database_url=db_url,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        log_level="WARNING",
    )
    app = create_app(Application.build(settings))
    app[SLACK].listeners.conversation = StubEngine()
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def serve_bare(port: int, db_url: str, api_url: str) -> None:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @bolt.action(re.compile(".*"))
    async def ack_only(ack: Any) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


# -- learners positioned at a quiz, and their clicks --------------------------------------


async def prepare(db_url: str, learners: int) -> list[list[dict[str, Any]]]:
    """Enrol learners and bring each to the quiz; return each one's clicks, in order."""
    from sqlalchemy import select

    from bot.application import Application
    from bot.core.events import Actor, Inbound, TextInput
    from bot.settings import Settings
    from storage.migrate import upgrade
    from storage.models import Enrollment, Identity
    from tests.driver import correct_answer

    upgrade(db_url)
    services = Application.build(Settings(database_url=db_url))
    program = services.catalog.programs[PROGRAM]
    quiz = program.quizzes[QUIZ]
    clicks: list[list[dict[str, Any]]] = []
    for n in range(learners):
        user = f"U{n:05d}"
        actor = Actor(f"slack:{TEAM}", user)
        await services.router.handle(Inbound(actor, TextInput(f"start {PROGRAM}")))
        row: Enrollment | None = None
        for _ in range(40):
            async with services.database.transaction() as session:
                row = await session.scalar(
                    select(Enrollment)
                    .join(Identity, Identity.person_id == Enrollment.person_id)
                    .where(Identity.identity == actor.identity)
                )
            if row is not None and row.cursor_step == f"quiz:{QUIZ}" and row.cursor_shown:
                break
            await services.router.handle(Inbound(actor, TextInput("next")))
        if row is None or row.cursor_step != f"quiz:{QUIZ}":
            raise RuntimeError(f"{user} did not reach {QUIZ}")
        mine = []
        for question in quiz.questions:
            args = {"e": str(row.id), "q": f"{QUIZ}/{question.id}", "r": str(row.quiz_run)}
            mine.append({"user": user, "args": args, "answer": correct_answer(question)})
        clicks.append(mine)
    await services.stop()
    return clicks


def payload(click: dict[str, Any], ts: str) -> str:
    answer = click["answer"]
    letters = [a.strip().lower() for a in answer.split(",")] if "," in answer else [answer]
    state = {"mcf:answer": {"mcf:answer": {"type": "plain_text_input", "value": answer}}}
    if "," in answer:
        options = [{"value": v} for v in letters]
        state = {"mcf:answer": {"mcf:answer": {"type": "checkboxes", "selected_options": options}}}
    body = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": click["user"], "team_id": TEAM},
        "container": {"type": "message", "message_ts": ts, "channel_id": "DBENCH"},
        "channel": {"id": "DBENCH"},
        "message": {"ts": ts, "text": "q", "blocks": []},
        "trigger_id": f"trig-{ts}",
        "state": {"values": state},
        "actions": [
            {
                "type": "button",
                "action_id": "mc:answer:0",
                "value": urlencode(click["args"]),
                "action_ts": ts,
            }
        ],
    }
    return urlencode({"payload": json.dumps(body)})


def signed(body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={mac}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


async def load(port: int, queues: list[list[tuple[str, str]]], rate: float = 0.0) -> dict[str, Any]:
    """16 workers; each takes a learner's clicks and sends them one after another, all of
    them together at most `rate` clicks a second (0: as fast as acks come back)."""
    url = f"http://127.0.0.1:{port}/slack/events"
    latencies: list[float] = []
    sent: dict[str, float] = {}
    statuses: dict[int, int] = {}
    pending = list(queues)
    async with ClientSession(connector=TCPConnector(limit=CONCURRENCY)) as http:
        slots = itertools.count()

        async def paced() -> None:
            if rate > 0:
                due = began + next(slots) / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))

        async def worker() -> None:
            while pending:
                for ts, body in pending.pop():
                    await paced()
                    started = time.perf_counter()
                    sent[ts] = started
                    async with http.post(url, data=body, headers=signed(body)) as response:
                        await response.read()
                        statuses[response.status] = statuses.get(response.status, 0) + 1
                    latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - began
    return {"latencies": latencies, "sent": sent, "elapsed": elapsed, "statuses": statuses}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else 0.0


def cpu_seconds(pid: int | None) -> tuple[float, float]:
    """User and system CPU a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def start_workers(count: int, db_url: str, api_url: str) -> list[subprocess.Popen[bytes]]:
    """`microcred worker` processes answering the edge's stored events (PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    env.update(
        DATABASE_URL=db_url,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        MICROCRED_DELIVERY="0",
        MICROCRED_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "bot", "worker"]
    return [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]


async def run(
    server: Any,
    port: int,
    db_url: str,
    api_url: str,
    queues: Any,
    rate: float,
    workers: int = 0,
) -> dict[str, Any]:
    args = (port, db_url, api_url) + ((False,) if workers else ())
    process = multiprocessing.get_context("spawn").Process(target=server, args=args, daemon=True)
    process.start()
    helpers = start_workers(workers, db_url, api_url)
    pids = [process.pid, *(h.pid for h in helpers)]
    try:
        await wait_listening(port)
        await asyncio.sleep(3 if workers else 0)  # the workers' start-up is not serving
        cpu_before = [cpu_seconds(pid) for pid in pids]
        began = time.perf_counter()
        figures = await load(port, queues, rate)
        await inbox_empty(db_url)
        figures["drained"] = time.perf_counter() - began
        used = [
            (after[0] - before[0], after[1] - before[1])
            for after, before in zip((cpu_seconds(pid) for pid in pids), cpu_before, strict=True)
        ]
        system = sum(s for _, s in used)
        figures["cpu"], figures["cpu_system"] = sum(u for u, _ in used) + system, system
        return figures
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(10)
        process.terminate()
        process.join(10)


async def inbox_empty(db_url: str, timeout: float = 300) -> None:
    """Until every stored event has been run and answered (a bare Bolt app stores none)."""
    from storage.db import Database
    from storage.queries.event_inbox import open_events

    database = Database(db_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            async with database.transaction() as session:
                if await open_events(session) == 0:
                    return
            await asyncio.sleep(0.02)
        raise RuntimeError("the inbox was not drained")
    finally:
        await database.close()


async def answers(db_url: str) -> int:
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import Attempt

    database = Database(db_url)
    try:
        async with database.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(Attempt)) or 0)
    finally:
        await database.close()


@contextmanager
def sqlite_databases() -> Iterator[tuple[str, Callable[[], tuple[str, str]]]]:
    """A prepared database's URL, and how to copy it for the stub and for ours."""
    with tempfile.TemporaryDirectory() as folder:

        def copies() -> tuple[str, str]:
            for name in ("stub", "ours"):
                shutil.copy(f"{folder}/bench.db", f"{folder}/{name}.db")
            return f"sqlite:///{folder}/stub.db", f"sqlite:///{folder}/ours.db"

        yield f"sqlite:///{folder}/bench.db", copies


@contextmanager
def postgres_databases(admin: str) -> Iterator[tuple[str, Callable[[], tuple[str, str]]]]:
    """The same on PostgreSQL: throwaway databases, copied with CREATE DATABASE … TEMPLATE."""
    import psycopg
    from sqlalchemy.engine import make_url

    stem = f"microcred_bench_{os.getpid()}"
    names = [stem, f"{stem}_stub", f"{stem}_ours"]

    def url(name: str) -> str:
        return make_url(admin).set(database=name).render_as_string(hide_password=False)

    def execute(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    def copies() -> tuple[str, str]:
        for name in names[1:]:
            execute(f'CREATE DATABASE "{name}" TEMPLATE "{stem}"')
        return url(names[1]), url(names[2])

    execute(f'CREATE DATABASE "{stem}"')
    try:
        yield url(stem), copies
    finally:
        for name in names:
            execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main(requests: int, rate: float, postgres: str | None, workers: int) -> dict[str, Any]:
    fake = LeanSlack()
    runner = await fake.start()
    api_url = f"http://127.0.0.1:{fake.port}/api/"
    with postgres_databases(postgres) if postgres else sqlite_databases() as (db_url, copies):
        questions = 6
        learners = -(-requests // questions)
        print(f"preparing {learners} learners at {PROGRAM}/{QUIZ} …", flush=True)
        clicks = await prepare(db_url, learners)
        count = 0
        queues: list[list[tuple[str, str]]] = []
        for mine in clicks:
            queue = []
            for click in mine:
                count += 1
                ts = f"1800000000.{count:06d}"
                queue.append((ts, payload(click, ts)))
            queues.append(queue)
        # each server gets its own copy of the prepared database (the inbox keys clicks)
        stub_url, ours_url = copies()
        bare = await run(serve_bare, free_port(), db_url, api_url, [list(q) for q in queues], rate)
        stub = await run(
            serve_stub, free_port(), stub_url, api_url, [list(q) for q in queues], rate
        )
        fake.updates.clear()
        ours = await run(
            serve_ours, free_port(), ours_url, api_url, [list(q) for q in queues], rate, workers
        )
        deadline = time.monotonic() + 30
        while len(fake.updates) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        completed = await answers(ours_url)
    await runner.cleanup()
    to_update = [fake.updates[ts] - ours["sent"][ts] for ts in ours["sent"] if ts in fake.updates]
    result = {
        "database": "postgresql" if postgres else "sqlite",
        "workers": workers,
        "requests": count,
        "concurrency": CONCURRENCY,
        "rate": rate,
        "bare_rps": round(count / bare["elapsed"], 1),
        "bare_p50_ms": round(pct(bare["latencies"], 50), 2),
        "bare_p99_ms": round(pct(bare["latencies"], 99), 2),
        "ours_rps": round(count / ours["elapsed"], 1),
        "ours_p50_ms": round(pct(ours["latencies"], 50), 2),
        "ours_p99_ms": round(pct(ours["latencies"], 99), 2),
        "ratio": round(bare["elapsed"] / ours["elapsed"], 3),
        "stub_rps": round(count / stub["elapsed"], 1),
        "stub_p50_ms": round(pct(stub["latencies"], 50), 2),
        "stub_p99_ms": round(pct(stub["latencies"], 99), 2),
        "update_p50_ms": round(pct(to_update, 50), 2),
        "update_p99_ms": round(pct(to_update, 99), 2),
        "updates_received": len(to_update),
        "accepted": ours["statuses"].get(200, 0),
        "completed": completed,
        "ours_drained_s": round(ours["drained"], 2),
        "completed_per_s": round(completed / ours["drained"], 1),
        "cpu_ms_per_answer": round(ours["cpu"] * 1000 / completed, 2) if completed else None,
        "cpu_system_ms_per_answer": (
            round(ours["cpu_system"] * 1000 / completed, 2) if completed else None
        ),
        "stub_cpu_ms_per_request": round(stub["cpu"] * 1000 / count, 3),
        "bare_cpu_ms_per_request": round(bare["cpu"] * 1000 / count, 3),
        "bare_statuses": bare["statuses"],
        "ours_statuses": ours["statuses"],
    }
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument(
        "--rate", type=float, default=100.0, help="clicks a second in all (0: unpaced)"
    )
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("MICROCRED_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="an admin URL: throwaway databases are created and dropped",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="PostgreSQL: serve --no-worker plus this many `microcred worker` processes",
    )
    options = parser.parse_args()
    postgres = options.postgres_url if options.database == "postgresql" else None
    if options.workers and not postgres:
        parser.error("--workers needs --database postgresql (SQLite runs one process)")
    figures = asyncio.run(main(options.requests, options.rate, postgres, options.workers))
    print(
        f"bare Bolt ack-only : {figures['bare_rps']:8.1f} req/s  p50 {figures['bare_p50_ms']} ms"
        f"  p99 {figures['bare_p99_ms']} ms"
    )
    print(
        f"microcred full     : {figures['ours_rps']:8.1f} req/s  p50 {figures['ours_p50_ms']} ms"
        f"  p99 {figures['ours_p99_ms']} ms"
    )
    print(f"ratio ours / bare  : {figures['ratio']}")
    print(
        f"ours, engine stub  : {figures['stub_rps']:8.1f} req/s  p50 {figures['stub_p50_ms']} ms"
        f"  p99 {figures['stub_p99_ms']} ms  (the Slack layer and the inbox, no scoring)"
    )
    print(
        f"until chat.update  : p50 {figures['update_p50_ms']} ms  p99 {figures['update_p99_ms']} ms"
        f"  ({figures['updates_received']} of {figures['requests']})"
    )
    print(
        f"inbox drained      : {figures['completed']} answers of {figures['accepted']} accepted"
        f" in {figures['ours_drained_s']} s ({figures['completed_per_s']} answers/s)"
    )
    print(
        f"CPU per answer     : {figures['cpu_ms_per_answer']} ms (ours, edge and worker) · "
        f"{figures['bare_cpu_ms_per_request']} ms per bare Bolt request · "
        f"{figures['stub_cpu_ms_per_request']} ms per stubbed-engine request"
    )
    print(json.dumps(figures))
