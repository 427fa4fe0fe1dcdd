"""Sliding-window rate limits: reserve the earliest start time that keeps every window legal."""

from __future__ import annotations

from collections import deque


class SlidingWindows:
    """At most `n` sends start within any `w` seconds, per key, for each (n, w) given.

    `earliest` and `take` are separate so one send can respect several limiters (the
    conversation's and the workspace's) and be recorded in all of them at one time.
    `margin` widens each window, so sends that reach the platform a little late still fit.
    """

    def __init__(
        self, limits: tuple[tuple[int, float], ...], margin: float = 0.0, share: float = 1.0
    ) -> None:
        self.base = tuple(limits)
        self.margin = margin
        self.limits: tuple[tuple[int, float], ...] = ()
        self.keep = 0
        self.times: dict[str, deque[float]] = {}
        self.paused: dict[str, float] = {}
        self.set_share(share)

    def set_share(self, share: float) -> None:
        """Use `share` of each budget (several processes send for one workspace)."""
        self.limits = tuple(
            (max(1, int(n * share)), w + self.margin) for n, w in self.base if n > 0
        )
        self.keep = max((n for n, _ in self.limits), default=0)

    def earliest(self, key: str, now: float) -> float:
        """The first moment at or after `now` one more send under `key` may start."""
        at = max(now, self.paused.get(key, 0.0))
        times = self.times.get(key)
        if not times or not self.limits:
            return at
        at = max(at, times[-1])
        for n, window in self.limits:
            if len(times) >= n:
                at = max(at, times[-n] + window)
        return at

    def take(self, key: str, at: float) -> None:
        """Record a send starting at `at` (not earlier than what `earliest` allowed)."""
        if not self.limits:
            return
        times = self.times.setdefault(key, deque())
        times.append(at)
        while len(times) > self.keep:
            times.popleft()

    def pause(self, key: str, until: float) -> None:
        """The platform said wait (429 Retry-After): nothing starts under `key` before `until`."""
        self.paused[key] = max(self.paused.get(key, 0.0), until)

    def prune(self, now: float) -> None:
        """Forget keys whose every window has passed."""
        longest = max((w for _, w in self.limits), default=0.0)
        for key in [k for k, t in self.times.items() if not t or t[-1] < now - longest]:
            del self.times[key]
        for key in [k for k, until in self.paused.items() if until < now]:
            del self.paused[key]
