"""Rate-limit windows, failure classification, backoff, the message codec, and boundaries."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from bot.core.errors import RateLimited, Unreachable
from bot.core.views import (
    Action,
    Button,
    Buttons,
    ChoiceField,
    Context,
    Form,
    Header,
    Message,
    Option,
    Text,
    TextField,
)
from bot.delivery.codec import dump_message, load_message
from bot.delivery.failures import backoff, classify, retry_after_of
from bot.delivery.limiter import SlidingWindows
from tests.core.test_boundaries import SDKS, imports, modules


def _sdk_error(status: int, headers: dict[str, str] | None = None, error: str = "") -> Exception:
    exc = Exception(f"HTTP {status}")
    exc.response = SimpleNamespace(  # type: ignore[attr-defined]
        status_code=status, headers=headers or {}, data={"ok": False, "error": error}
    )
    return exc


def test_windows_allow_n_per_window_and_honour_pauses() -> None:
    windows = SlidingWindows(((3, 1.0),), margin=0.0)
    for t in (0.0, 0.1, 0.2):
        assert windows.earliest("c", t) == t
        windows.take("c", t)
    assert windows.earliest("c", 0.3) == pytest.approx(1.0)
    windows.pause("c", 5.0)
    assert windows.earliest("c", 2.0) == 5.0
    assert windows.earliest("other", 2.0) == 2.0


def test_paced_windows_spread_a_budget_and_share_it() -> None:
    windows = SlidingWindows(((100, 1.0),), margin=0.0, paced=True)
    now, starts = 0.0, []
    for _ in range(300):
        now = windows.earliest("w", now)
        windows.take("w", now)
        starts.append(now)
    assert all(sum(1 for s in starts if t <= s < t + 1.0) <= 100 for t in starts)
    assert starts[-1] == pytest.approx(2.97, abs=0.05)  # about 100 a second, no bursts
    windows.set_share(0.5)
    assert windows.limits == ((50, 1.0),)


def test_failures_are_sorted_without_sdk_imports() -> None:
    assert classify(RateLimited(7)).retry_after == 7
    assert classify(Unreachable("gone")).action == "gone"
    throttled = classify(_sdk_error(429, {"Retry-After": "3"}))
    assert (throttled.action, throttled.retry_after) == ("throttled", 3.0)
    for status in (500, 502, 503, 504, 412):
        verdict = classify(_sdk_error(status))
        assert verdict.action == "retry" and verdict.uncertain
    assert classify(_sdk_error(403)).action == "gone"  # Teams: blocked or uninstalled
    assert classify(_sdk_error(400)).action == "fatal"
    assert classify(_sdk_error(200, error="invalid_blocks")).action == "fatal"
    assert classify(_sdk_error(200, error="ratelimited")).action == "throttled"
    assert classify(TimeoutError()).action == "retry"
    assert classify(ValueError("bad identity")).action == "fatal"
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert retry_after_of(_sdk_error(429, {"Retry-After": date})) == 0.0


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    rng = random.Random(5)
    waits = [backoff(n, 2.0, 60.0, rng) for n in range(1, 9)]
    for n, wait in enumerate(waits, 1):
        ceiling = min(60.0, 2.0 * 2 ** (n - 1))
        assert ceiling / 2 <= wait <= ceiling


def test_messages_survive_the_outbox() -> None:
    action = Action.of("answer", e=3, q="quiz/q1")
    message = Message(
        (
            Header("Title"),
            Text("**Body**"),
            Buttons((Button("A", action, "primary", "a"),)),
            Form(
                "Your answer",
                (
                    ChoiceField("answer", "Pick", (Option("a", "A"), Option("b", "B")), True),
                    TextField("note", "Note", multiline=True, max_length=30),
                ),
                Button("Submit", action, "primary"),
            ),
            Context("Step 1 of 2"),
        ),
        "fallback",
        "key-1",
    )
    assert load_message(dump_message(message)) == message
    with pytest.raises(ValueError):
        load_message({"_": "Nope"})


def test_delivery_imports_no_sdk_and_no_channel() -> None:
    offenders = [
        f"{path.name} imports {name}"
        for path in modules("delivery")
        for name in imports(path)
        if name.split(".")[0] in SDKS[:-1] or name.startswith(("bot.channels", "bot.web"))
    ]
    assert offenders == []
