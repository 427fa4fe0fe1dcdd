"""Teams turns per second: our full stack against bare botbuilder, on one aiohttp server.

One server process hosts `/api/messages` (microcred's full stack) and two bare botbuilder
bots on the SDK's CloudAdapter: `/bare/invoke` answers Action.Execute with a fixed card,
`/bare/echo` echoes text through the connector. Auth is off in both. This process runs the
fake Bot Framework connector and the load: 16 turns in flight, one run, four phases.

    python benchmarks/teams_turns.py [--turns 600] [--database-url postgresql://…]

The last line printed is one JSON object with every figure (ratios are ours ÷ bare)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import ClientSession, TCPConnector, web  # noqa: E402

from tests.fakes.bot_connector import FakeConnector  # noqa: E402

IN_FLIGHT = 16
PROGRAM = "secure-coding"
_ids = itertools.count(1)
ERRORS: list[str] = []


def bare_routes(app: web.Application) -> None:
    """Two bare botbuilder bots, written the way the SDK's samples write them."""
    from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
    from botbuilder.integration import aiohttp as sdk
    from botbuilder.schema import AdaptiveCardInvokeResponse

    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "✅"}]}

    class BareInvoke(ActivityHandler):
        # A dict body would fail in CloudAdapter.process (it serializes with msrest): the
        # SDK's own model is what a bare bot must return.
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
            body = AdaptiveCardInvokeResponse(
                status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
            )
            return InvokeResponse(status=200, body=body)

    class BareEcho(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text}")

    config = SimpleNamespace(APP_ID="", APP_PASSWORD="")
    adapter = sdk.CloudAdapter(sdk.ConfigurationBotFrameworkAuthentication(config))
    app.router.add_post("/bare/invoke", partial(adapter.process, bot=BareInvoke()))
    app.router.add_post("/bare/echo", partial(adapter.process, bot=BareEcho()))


def serve(port: int, database_url: str) -> None:
    from bot.application import Application
    from bot.settings import Settings
    from bot.web.server import create_app

    logging.basicConfig(level=logging.WARNING)
    settings = Settings(database_url=database_url, host="127.0.0.1", log_level="WARNING")
    app = create_app(Application.build(settings))
    bare_routes(app)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def activity(service_url: str, user: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"bench-{next(_ids)}",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "localTimezone": "Europe/Berlin",
        "from": {"id": f"29:{user}", "aadObjectId": f"aad-{user}", "name": user},
        "recipient": {"id": "28:bot", "name": "microcred"},
        "conversation": {"id": f"a:{user}", "conversationType": "personal", "tenantId": "t1"},
        "channelData": {"tenant": {"id": "t1"}},
        **extra,
    }


def last_card(connector: FakeConnector, user: str) -> dict[str, Any]:
    cards = (c.card for c in reversed(connector.calls) if c.conversation == f"a:{user}")
    return next((card for card in cards if card), {})


def answer(card: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The Action.Execute data that answers the card's question (any answer), or None."""
    items, stack = [], list(card.get("body", []))
    while stack:
        item = stack.pop(0)
        items.append(item)
        stack[:0] = item.get("items", []) + item.get("actions", [])
    question = [
        e
        for e in items
        if e.get("type") == "Action.Execute" and "q" in e["data"]["microcred"]["args"]
    ]
    if not question:
        return None
    values: dict[str, Any] = {}
    for field in (e for e in items if str(e.get("type", "")).startswith("Input.")):
        if field["type"] == "Input.ChoiceSet":
            values[field["id"]] = field["choices"][0]["value"]
        elif field["type"] == "Input.Number":
            values[field["id"]] = 1
        else:
            values[field["id"]] = "parameterised queries and output encoding " * 5
    return question[0], values


def invoke(service_url: str, user: str, action: dict[str, Any], values: dict[str, Any]) -> Any:
    data = {**action["data"], **values}
    value = {"action": {"type": "Action.Execute", "verb": action["verb"], "data": data}}
    return activity(service_url, user, type="invoke", name="adaptiveCard/action", value=value)


async def timed(session: ClientSession, url: str, body: dict[str, Any], expect: str = "") -> float:
    """One turn's latency; a turn that fails or answers without `expect` counts as an error."""
    started = time.perf_counter()
    async with session.post(url, json=body) as response:
        text = await response.text()
    if response.status >= 300 or expect not in text:
        ERRORS.append(f"{url} {response.status} {text[:120]}")
    return time.perf_counter() - started


async def phase(
    turns: int, one: Callable[[int], Awaitable[float | None]], sent: Callable[[], int] | None = None
) -> dict[str, float]:
    """`turns` turns, IN_FLIGHT at a time; `sent()` counts replies that show the work was done."""
    latencies: list[float] = []
    errors, before = len(ERRORS), sent() if sent else 0

    async def worker(index: int) -> None:
        while len(latencies) < turns and (latency := await one(index)) is not None:
            latencies.append(latency)

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(IN_FLIGHT)))
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    missing = max(0, len(ms) - (sent() - before)) if sent else 0
    return {
        "turns": len(ms),
        "errors": len(ERRORS) - errors + missing,
        "turns_per_s": round(len(ms) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
    }


async def prepare(session: ClientSession, base: str, url: str, connector: Any, n: int) -> None:
    """Bring `n` learners to the first question of the program (not measured)."""
    semaphore = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> None:
        async with semaphore:
            user = f"l{i}"
            for _ in range(60):  # a turn that failed (the server is shared, and busy) is redone
                card = last_card(connector, user)
                if answer(card) is not None:
                    return
                text = "next" if "Step " in json.dumps(card) else f"start {PROGRAM}"
                await timed(session, base, activity(url, user, type="message", text=text))

    await asyncio.gather(*(one(i) for i in range(n)))


async def measure(port: int, connector: FakeConnector, turns: int) -> dict[str, Any]:
    base = f"http://127.0.0.1:{port}"
    ours, url = f"{base}/api/messages", connector.url
    learners = turns // 5 + IN_FLIGHT * 2
    async with ClientSession(connector=TCPConnector(limit=IN_FLIGHT)) as session:
        await prepare(session, ours, url, connector, learners)
        queue = [f"l{i}" for i in range(learners)]
        current: dict[int, str] = {}

        async def ours_invoke(worker: int) -> float | None:
            while True:
                user = current.get(worker)
                found = answer(last_card(connector, user)) if user else None
                if found is not None and user is not None:
                    return await timed(session, ours, invoke(url, user, *found), "Your answer")
                if not queue:
                    return None
                current[worker] = queue.pop()

        sample = invoke(url, "bare", {"verb": "answer", "data": {"microcred": {"name": "x"}}}, {})

        async def bare_invoke(_: int) -> float:
            body = {**sample, "id": f"b{next(_ids)}"}
            return await timed(session, f"{base}/bare/invoke", body, "AdaptiveCard")

        def text(path: str) -> Callable[[int], Awaitable[float]]:
            async def one(worker: int) -> float:
                user = f"l{next(_ids) % learners}"
                body = activity(url, user, type="message", text="progress")
                return await timed(session, f"{base}{path}", body)

            return one

        for warm in (bare_invoke, text("/bare/echo"), text("/api/messages")):
            for i in range(20):
                await warm(i)

        def replies(needle: str) -> Callable[[], int]:
            return lambda: sum(needle in json.dumps(c.body) for c in connector.delivered())

        results = {
            "invoke": {
                "ours": await phase(turns, ours_invoke),
                "bare": await phase(turns, bare_invoke),
            },
            "text": {
                "ours": await phase(turns, text("/api/messages"), replies("Your progress")),
                "bare": await phase(turns, text("/bare/echo"), replies("Echo: progress")),
            },
        }
    for pair in results.values():
        keys = ("turns_per_s", "p50_ms", "p99_ms")
        pair["ratio"] = {k: round(pair["ours"][k] / pair["bare"][k], 2) for k in keys}
    return results


async def main(turns: int, database_url: str) -> dict[str, Any]:
    from storage import migrate

    database_url = database_url or f"sqlite:///{tempfile.mkdtemp(prefix='teams-bench-')}/b.db"
    migrate.upgrade(database_url)
    connector = await FakeConnector().start()
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = int(free.getsockname()[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), database_url], env=env
    )
    try:
        async with ClientSession() as probe:
            for _ in range(300):
                with contextlib.suppress(OSError):
                    async with probe.get(f"http://127.0.0.1:{port}/healthz") as r:
                        if r.status == 200:
                            break
                await asyncio.sleep(0.1)
        return await measure(port, connector, turns)
    finally:
        server.terminate()
        server.wait(timeout=10)
        await connector.stop()


def report(turns: int, results: dict[str, Any]) -> None:
    names = {"invoke": "quiz-answer Action.Execute invokes", "text": "text-message turns"}
    for key, pair in results.items():
        print(f"{names[key]} ({turns} turns, {IN_FLIGHT} in flight, auth off)")
        for side in ("ours", "bare", "ratio"):
            r = pair[side]
            label, unit = ("ours ÷ bare", "×") if side == "ratio" else (side, "")
            errors = f"  errors {r['errors']}" if "errors" in r else ""
            print(
                f"  {label:12} {r['turns_per_s']:7}{unit} turns/s  p50 {r['p50_ms']}{unit or ' ms'}"
                f"  p99 {r['p99_ms']}{unit or ' ms'}{errors}"
            )
    print(json.dumps({"in_flight": IN_FLIGHT, "turns": turns, **results}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=600, help="measured turns per phase")
    parser.add_argument("--in-flight", type=int, default=IN_FLIGHT, help="concurrent turns")
    parser.add_argument("--database-url", default="", help="default: a new SQLite file")
    parser.add_argument(
        "--serve", nargs=2, metavar=("PORT", "DATABASE_URL"), help=argparse.SUPPRESS
    )
    options = parser.parse_args()
    IN_FLIGHT = options.in_flight
    if options.serve:
        serve(int(options.serve[0]), options.serve[1])
    else:
        report(options.turns, asyncio.run(main(options.turns, options.database_url)))
