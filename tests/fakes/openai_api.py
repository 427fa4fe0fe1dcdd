"""A local OpenAI-compatible chat completions server that records requests and plays a script."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Step:
    """One scripted answer: a JSON body as the message content, raw text, a status or a delay.

    `reply`, when set, writes the content from the request it answers (see `grade`)."""

    content: str = ""
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    reply: Callable[[dict[str, Any]], str] | None = None


def learner_answer(request: dict[str, Any]) -> str:
    """The answer as the model saw it: the text of the user message's tagged data block."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    match = re.search(r"<learner_answer>\n(.*)\n</learner_answer>", user, re.DOTALL)
    return match.group(1) if match else ""


def _verdict(
    levels: dict[str, str], feedback: str, quotes: Mapping[str, list[str]], extra: dict[str, Any]
) -> str:
    criteria = {
        cid: {
            "evidence": list(quotes.get(cid, [])),
            "level": level,
            "justification": "Quoted evidence.",
            "feedback": feedback,
        }
        for cid, level in levels.items()
    }
    return json.dumps({"criteria": criteria, "overall_feedback": "Overall fine.", **extra})


def grade(
    levels: dict[str, str],
    feedback: str = "Good work.",
    evidence: Mapping[str, list[str]] | None = None,
    **extra: Any,
) -> Step:
    """A well-formed verdict. `evidence` gives each criterion's quotes ({} for none); left
    out, every criterion quotes the first words of the answer the fake was sent."""
    if evidence is not None:
        return Step(_verdict(levels, feedback, evidence, extra))

    def quoting(request: dict[str, Any]) -> str:
        opening = " ".join(learner_answer(request).split()[:8])
        quotes = {cid: [opening] if opening else [] for cid in levels}
        return _verdict(levels, feedback, quotes, extra)

    return Step(reply=quoting)


def malformed() -> Step:
    return Step('{"criteria": {"oops": ')


def rate_limited() -> Step:
    return Step(json.dumps({"error": {"message": "slow down"}}), 429, headers={"retry-after": "0"})


def hang(seconds: float = 5.0) -> Step:
    return Step(delay=seconds)


@dataclass
class FakeOpenAI:
    """Answers POST /v1/chat/completions from `script` (the last step repeats)."""

    script: list[Step] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def messages(self, index: int = -1) -> dict[str, str]:
        """One recorded request's messages by role: what the model was told and shown."""
        return {m["role"]: m["content"] for m in self.requests[index]["messages"]}

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(await request.json())
        self.headers.append(dict(request.headers))
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if step.delay:
            await asyncio.sleep(step.delay)
        content = step.reply(self.requests[-1]) if step.reply else step.content
        if step.status != 200:
            return web.Response(status=step.status, text=content, headers=step.headers)
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": self.requests[-1].get("model", ""),
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
            }
        )


@asynccontextmanager
async def fake_openai(*script: Step) -> AsyncIterator[FakeOpenAI]:
    """Serve on 127.0.0.1 at a random port; `fake.url` is the base URL (…/v1)."""
    fake = FakeOpenAI(list(script) or [Step("{}")])
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake._completions)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}/v1"
    try:
        yield fake
    finally:
        await runner.cleanup()
