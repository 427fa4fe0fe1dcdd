"""kill -9 mid-burst: no acknowledged answer is lost, none is scored twice.

Learners are brought to a quiz question in-process; then `microcred serve` runs as a real
process (PostgreSQL: `serve --no-worker` plus two `microcred worker`s), gets a burst of signed
answer clicks and is killed with SIGKILL part-way; a restarted process drains the inbox.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.content import Catalog
from storage.db import Database
from storage.models import Attempt, InboxEvent, InboxEventStatus, ProcessedEvent
from storage.queries.event_inbox import open_events
from tests.channels.slack.conftest import start_slack
from tests.channels.slack.driver import SECRET, SlackDriver, actions_of, form, signed_headers
from tests.channels.slack.learner import question_of, right_button
from tests.channels.slack.test_http import first_question
from tests.fakes.slack_api import FakeSlack
from tests.processes import free_port, microcred_env

LEARNERS = 40
KILL_AFTER = 16
"""Acknowledged answers before the kill (which waits until answers are being delivered)."""
SENDERS = 4
PACE = 0.02
"""Seconds between one sender's requests, so the burst outlasts the workers' first turns."""


async def positioned(url: str, catalog: Catalog, fake: FakeSlack) -> list[dict[str, Any]]:
    """Each learner at the first question; the click payload of their right answer."""
    driver: SlackDriver = await start_slack(url, catalog, fake)
    program = catalog.programs["secure-coding"]
    clicks = []
    try:
        for n in range(LEARNERS):
            user = f"U{n + 10}"
            fake.add_user(user)
            message = await first_question(driver, user)
            buttons = actions_of(message)
            question = question_of(program, buttons[0])
            assert question is not None
            clicks.append(driver.click_payload(user, message, right_button(question, buttons)))
    finally:
        await driver.client.close()
    return clicks


class Process:
    """One `microcred` process, logging into a file."""

    def __init__(self, env: dict[str, str], logs: Path, name: str, *args: str) -> None:
        self.log: IO[str] = (logs / f"{name}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no cleanup of any kind
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


async def healthy(port: int, process: Process) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            assert process.process.poll() is None, "the server exited early"
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the server never became healthy")


async def started(worker: Process) -> None:
    for _ in range(600):
        assert worker.process.poll() is None, "the worker exited early"
        if "is answering" in Path(worker.log.name).read_text():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the worker never started")


async def burst(port: int, clicks: list[dict[str, Any]], on_ack: Any) -> list[str]:
    """SENDERS at once; returns the trigger ids of the answers the server acknowledged."""
    acked: list[str] = []
    pending = list(clicks)
    url = f"http://127.0.0.1:{port}/slack/events"
    async with aiohttp.ClientSession() as http:

        async def sender() -> None:
            while pending:
                click = pending.pop(0)
                body = form(click)
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    **signed_headers(body, secret=SECRET),
                }
                try:
                    async with http.post(url, data=body, headers=headers) as response:
                        await response.read()
                        if response.status == 200:
                            acked.append(click["trigger_id"])
                            on_ack(len(acked))
                except (aiohttp.ClientError, OSError):
                    pass  # the server is gone: not acknowledged
                await asyncio.sleep(PACE)

        await asyncio.gather(*(sender() for _ in range(SENDERS)))
    return acked


async def drained(database: Database, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with database.transaction() as session:
            if await open_events(session) == 0:
                return
        await asyncio.sleep(0.2)
    raise AssertionError("the inbox was not drained after the restart")


async def check_exactly_once(
    database: Database, fake: FakeSlack, clicks: list[dict[str, Any]], acked: list[str]
) -> None:
    by_trigger = {c["trigger_id"]: c for c in clicks}
    async with database.transaction() as session:
        attempts = int(await session.scalar(select(func.count()).select_from(Attempt)) or 0)
        stored = {r.key: r for r in await session.scalars(select(InboxEvent))}
        claimed = set(await session.scalars(select(ProcessedEvent.key)))
    keys = {f"slack:T1:block_actions:{t}" for t in acked}
    assert keys <= set(stored), "every acknowledged answer was stored"
    assert all(stored[k].status == InboxEventStatus.DONE for k in keys)
    assert keys <= claimed, "every acknowledged answer went through the engine"
    sent = {f"slack:T1:block_actions:{t}" for t in by_trigger}
    answered = sent & set(stored)  # acknowledged, or stored just before the kill
    assert attempts == len(answered), "one attempt per stored answer: none lost, none twice"
    texts = " ".join(str(c.args.get("text")) for c in fake.calls)
    assert "Already recorded" not in texts, "an answer was run twice"
    updates = Counter(
        c.args["ts"]
        for c in fake.calls_to("chat.update")
        if "Checking" not in str(c.args.get("text"))
    )
    assert max(updates.values(), default=0) <= 1, "a question was answered twice"
    stored_triggers = {t for t in by_trigger if f"slack:T1:block_actions:{t}" in stored}
    assert {by_trigger[t]["message"]["ts"] for t in stored_triggers} >= set(updates), (
        "only stored answers changed a question (one stored just before the kill may be unacked)"
    )


async def run_killed_burst(
    url: str, catalog: Catalog, fake: FakeSlack, tmp_path: Path, *, postgres: bool
) -> None:
    clicks = await positioned(url, catalog, fake)
    fake.calls.clear()
    env = microcred_env(
        url,
        SLACK_BOT_TOKEN=fake.token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        MICROCRED_DELIVERY="0",
        MICROCRED_INBOX_LEASE_SECONDS="2",
        MICROCRED_PLAYGROUND="off",
    )
    port = free_port()
    serve = ["serve", "--port", str(port)] + (["--no-worker"] if postgres else [])
    edge = Process(env, tmp_path, "serve-1", *serve)
    workers = (
        [Process(env, tmp_path, f"worker-{n}", "worker") for n in range(2)] if postgres else []
    )
    restarted: list[Process] = []
    database = Database(url)
    try:
        await healthy(port, edge)
        for worker in workers:
            await started(worker)

        def on_ack(count: int) -> None:
            started = fake.calls_to("chat.update") or count >= len(clicks) - 8
            if edge.process.poll() is None and count >= KILL_AFTER and started:
                edge.kill()  # mid-burst, while answers are being run and delivered
                if workers:
                    workers[0].kill()

        acked = await burst(port, clicks, on_ack)
        assert KILL_AFTER <= len(acked) < len(clicks), "the kill landed mid-burst"
        async with database.transaction() as session:
            left = Counter(
                (r.status, r.processed_at is not None, r.tries)
                for r in await session.scalars(select(InboxEvent))
                if r.status != InboxEventStatus.DONE
            )
        print(f"acknowledged {len(acked)} of {len(clicks)}; left open by the kill: {left}")
        restarted.append(Process(env, tmp_path, "serve-2", *serve))
        if postgres:
            restarted.append(Process(env, tmp_path, "worker-2", "worker"))
        await healthy(port, restarted[0])
        await drained(database)
        await asyncio.sleep(0.3)  # the last replies
        try:
            await check_exactly_once(database, fake, clicks, acked)
        except AssertionError:
            for log in sorted(tmp_path.glob("*.log")):
                print(f"--- {log.name}\n{log.read_text()[-4000:]}")
            raise
    finally:
        for process in [edge, *workers, *restarted]:
            process.stop()
        await database.close()


async def test_kill_9_mid_burst_loses_nothing_and_scores_nothing_twice_on_sqlite(
    sqlite_url: str, catalog: Catalog, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    await run_killed_burst(sqlite_url, catalog, fake_slack, tmp_path, postgres=False)


@pytest.mark.postgres
async def test_kill_9_of_an_edge_and_a_worker_on_postgres(
    postgres_url: str, catalog: Catalog, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    await run_killed_burst(postgres_url, catalog, fake_slack, tmp_path, postgres=True)
