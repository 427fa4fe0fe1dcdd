"""Scheduled fan-out: 10,000 learners due at the same minute, each in their own Slack DM.

The fake Slack Web API runs in its own process (tests/fakes/slack_limits.py). For each
database (SQLite, and PostgreSQL when a URL is given):

- unthrottled: our tick plus the outbox dispatcher, from the start of the tick to the last
  confirmed send, against a bare async slack_sdk client posting the same messages (open the
  DM, post) with the same concurrency: `unthrottled_ratio` = ours ÷ bare messages/s;
- throttled: the fake allows 1 message/s per conversation and 100/s per workspace and
  answers 429 with Retry-After beyond; `rate_ratio` = achieved messages/s ÷ 100; `lost` and
  `duplicated` compare what the fake stored with the keys expected (it never de-duplicates).

    python benchmarks/fanout.py [--learners 10000] [--postgres-url postgresql://…]

The last line printed is one JSON object (worst of the databases at the top level).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

TOKEN, RATE, CONCURRENCY = "xoxb-bench", 100, 16
LIBRARY = ROOT / "tests" / "fixtures" / "library"


# -- the fake, in its own process --------------------------------------------------------


def serve_fake() -> None:
    from tests.fakes.slack_limits import LimitedSlack

    class Controlled(LimitedSlack):
        validate = False

        def _message(self, args: dict[str, Any], surface: str) -> dict[str, Any] | str:
            return super()._message(args, surface) if self.validate else ""

        def m__bench_reset(self, args: dict[str, Any]) -> dict[str, Any]:
            gc.collect()  # between runs: a collector pause must not skew arrival times
            self.__init__(  # type: ignore[misc]
                conversation_rate=float(args.get("conversation_rate", 0)),
                workspace_rate=int(args.get("workspace_rate", 0)),
                token=TOKEN,
            )
            self.port = int(args["port"])
            return {"ok": True}

        def m__bench_stats(self, args: dict[str, Any]) -> dict[str, Any]:
            stored = [o.at for o in self.outcomes if o.stored]
            return {
                "ok": True,
                "keys": Counter(self.delivered_keys()),
                "statuses": Counter(str(o.status) for o in self.outcomes),
                "first": min(stored, default=0.0),
                "last": max(stored, default=0.0),
                "throttled_at": [
                    round(o.at - min(stored, default=0.0), 2)
                    for o in self.outcomes
                    if o.status == 429
                ][:20],
            }

    async def main() -> None:
        gc.disable()  # the fake timestamps arrivals; a collector pause would bunch them
        fake = await Controlled(token=TOKEN).start()
        print(fake.port, flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


class Fake:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-fake"], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        self.api_url = f"http://127.0.0.1:{self.port}/api/"

    async def call(self, method: str, **args: Any) -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            response = await http.post(f"{self.api_url}{method}", json=args)
            data: dict[str, Any] = await response.json()
            return data

    async def reset(self, conversation_rate: float = 0, workspace_rate: int = 0) -> None:
        await self.call(
            "_bench.reset",
            conversation_rate=conversation_rate,
            workspace_rate=workspace_rate,
            port=self.port,
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# -- databases -----------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    from storage import migrate

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/fanout.db"
        migrate.upgrade(url)
        yield url


def database_for(backend: str) -> AbstractContextManager[str]:
    if backend == "sqlite":
        return sqlite_database()
    from tests.databases import throwaway_postgres

    return throwaway_postgres()


# -- ours: tick + dispatcher; the bare client ----------------------------------------------


async def run_ours(url: str, fake: Fake, learners: int, rate: int | None) -> dict[str, Any]:
    from bot.assessment.scoring import ExactScorer
    from bot.channels.slack.client import SharedSession
    from bot.channels.slack.messenger import SlackMessenger
    from bot.channels.slack.oauth import StaticToken
    from bot.channels.slack.people import People
    from bot.content import load_library
    from bot.delivery import DeliveryOptions, DeliveryService, default_limits
    from bot.learning.hooks import Hooks
    from storage.db import Database
    from storage.models import OutboxMessage
    from storage.types import utcnow
    from tests.delivery.seed import seed_learners

    catalog = load_library(LIBRARY)
    database = Database(url)
    keys = await seed_learners(
        database, catalog, count=learners, due_at=utcnow() - timedelta(seconds=1)
    )
    options = DeliveryOptions(
        concurrency=CONCURRENCY, poll_seconds=0.05, limits=default_limits(rate or 10**9)
    )
    delivery = DeliveryService(database, catalog, Hooks(), ExactScorer(), options, worker="bench")
    session = SharedSession(10.0)
    await session.open()
    sender = SlackMessenger(fake.api_url, StaticToken(TOKEN), session, People()).for_outbox()
    delivery.register(sender, sender)
    dispatching = asyncio.create_task(delivery.dispatcher.run())
    started = utcnow()
    ticked = await delivery.tick()
    tick_seconds = (utcnow() - started).total_seconds()
    while True:
        await asyncio.sleep(0.25)
        async with database.transaction() as s:
            left = await s.scalar(select(func.count()).where(OutboxMessage.status != "sent"))
        if not left:
            break
    delivery.dispatcher.stop()
    await asyncio.gather(dispatching, return_exceptions=True)
    async with database.transaction() as s:
        last = await s.scalar(select(func.max(OutboxMessage.sent_at)))
        sample = await s.scalar(select(OutboxMessage.message).limit(1))
    await session.close()
    await database.close()
    assert last is not None and ticked.messages == learners
    seconds = (last - started).total_seconds()
    return {
        "seconds": seconds,
        "per_s": learners / seconds,
        "tick_seconds": tick_seconds,
        "keys": keys,
        "sample": sample,
    }


async def run_bare(fake: Fake, learners: int, sample: Any) -> float:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.channels.slack.render import render_message
    from bot.delivery.codec import load_message
    from tests.delivery.seed import user_id

    payload = render_message(load_message(sample))[0]
    async with aiohttp.ClientSession() as http:
        client = AsyncWebClient(token=TOKEN, base_url=fake.api_url, session=http)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(n: int) -> None:
            async with gate:
                opened = await client.conversations_open(users=user_id(n))
                metadata = {"event_type": "bare", "event_payload": {"key": f"bare:{n}"}}
                await client.chat_postMessage(
                    channel=opened["channel"]["id"], **payload, metadata=metadata
                )

        started = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(learners)))
        return learners / (time.monotonic() - started)


async def measure(backend: str, fake: Fake, learners: int) -> dict[str, Any]:
    await fake.reset()
    with database_for(backend) as url:
        ours = await run_ours(url, fake, learners, None)
    await fake.reset()
    bare = await run_bare(fake, learners, ours["sample"])
    await fake.reset(conversation_rate=1, workspace_rate=RATE)
    with database_for(backend) as url:
        throttled = await run_ours(url, fake, learners, RATE)
    stats = await fake.call("_bench.stats")
    delivered = Counter(stats["keys"])
    expected = set(throttled["keys"])
    return {
        "ours_per_s": round(ours["per_s"], 1),
        "ours_tick_seconds": round(ours["tick_seconds"], 2),
        "bare_per_s": round(bare, 1),
        "unthrottled_ratio": round(ours["per_s"] / bare, 3),
        "throttled_per_s": round(throttled["per_s"], 1),
        "rate_ratio": round(throttled["per_s"] / RATE, 3),
        "lost": len(expected - set(delivered)),
        "duplicated": sum(n - 1 for key, n in delivered.items() if n > 1 and key in expected),
        "fake_statuses": stats["statuses"],
        "throttled_at_seconds": stats["throttled_at"],
    }


async def main(learners: int, backends: list[str]) -> dict[str, Any]:
    fake = Fake()
    try:
        results = {}
        for backend in backends:
            results[backend] = await measure(backend, fake, learners)
            print(backend, json.dumps(results[backend]), flush=True)
    finally:
        fake.stop()
    return {
        "learners": learners,
        "unthrottled_ratio": min(r["unthrottled_ratio"] for r in results.values()),
        "rate_ratio": min(r["rate_ratio"] for r in results.values()),
        "lost": sum(r["lost"] for r in results.values()),
        "duplicated": sum(r["duplicated"] for r in results.values()),
        **results,
    }


if __name__ == "__main__":
    if "--serve-fake" in sys.argv:
        serve_fake()
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("MICROCRED_TEST_POSTGRES_URL", ""),
        help="An admin URL; a throwaway database is created (default: the test URL).",
    )
    args = parser.parse_args()
    chosen = ["sqlite"]
    if args.postgres_url:
        os.environ["MICROCRED_TEST_POSTGRES_URL"] = args.postgres_url
        chosen.append("postgresql")
    began = time.monotonic()
    summary = asyncio.run(main(args.learners, chosen))
    summary["run_seconds"] = round(time.monotonic() - began, 1)
    print(json.dumps(summary))
