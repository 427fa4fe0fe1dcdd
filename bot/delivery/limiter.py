"""Sliding-window rate limits on real start times: when may the next send start, legally."""

from __future__ import annotations

from collections import deque

CATCH_UP = 2
"""Sends a paced key may run behind its even schedule and make up at once."""
WIDEN, WIDEST, RELAX = 0.05, 0.5, 0.995
"""After a 429 a key's windows widen by WIDEN seconds (up to WIDEST), then narrow again by
RELAX per send: sends that reach the platform bunched up still fit, without giving up much."""


class SlidingWindows:
    """At most `n` sends start within any `w` seconds, per key, for each (n, w) given.

    Times are when sends really started: a caller asks `earliest`, sleeps, asks again,
    and `take`s the moment only when it is allowed (nothing awaits in between, so callers
    on one event loop cannot both take it). One send can so respect several limiters (the
    conversation's and the workspace's). `margin` widens each window, so sends that reach
    the platform a little late still fit; `paced` spreads a budget evenly (no bursts).
    """

    def __init__(
        self,
        limits: tuple[tuple[int, float], ...],
        margin: float = 0.0,
        share: float = 1.0,
        *,
        paced: bool = False,
    ) -> None:
        self.base = tuple(limits)
        self.margin = margin
        self.paced = paced
        self.spacing = 0.0
        self.limits: tuple[tuple[int, float], ...] = ()
        self.keep = 0
        self.times: dict[str, deque[float]] = {}
        self.paused: dict[str, float] = {}
        self.schedule: dict[str, float] = {}
        """Paced keys: when the next send is due if sends were perfectly even."""
        self.widened: dict[str, float] = {}
        self.set_share(share)

    def set_share(self, share: float) -> None:
        """Use `share` of each budget (several processes send for one workspace)."""
        self.limits = tuple(
            (max(1, int(n * share)), w + self.margin) for n, w in self.base if n > 0
        )
        self.keep = max((n for n, _ in self.limits), default=0)
        self.spacing = max((w / n for n, w in self.limits), default=0.0) if self.paced else 0.0

    def earliest(self, key: str, now: float) -> float:
        """The first moment at or after `now` one more send under `key` may start.

        A paced key may run a few sends behind its even schedule and catch up (a late
        wake-up does not lose its turn); the windows still hold.
        """
        at = max(now, self.paused.get(key, 0.0))
        times = self.times.get(key)
        if not times or not self.limits:
            return at
        widened = self.widened.get(key, 0.0)
        if self.spacing:
            catch_up = 0 if widened else CATCH_UP
            spacing = self.spacing + widened / self.keep
            at = max(at, self.schedule.get(key, 0.0) - catch_up * spacing)
        for n, window in self.limits:
            if len(times) >= n:
                at = max(at, times[-n] + window + widened)
        return at

    def take(self, key: str, at: float) -> None:
        """Record a send starting at `at` (when `earliest` allows it)."""
        if not self.limits:
            return
        times = self.times.setdefault(key, deque())
        times.append(at)
        widened = self.widened.get(key, 0.0)
        if widened:
            self.widened[key] = widened * RELAX if widened > 0.001 else 0.0
        if self.spacing:
            spacing = self.spacing + widened / self.keep
            self.schedule[key] = max(self.schedule.get(key, at), at) + spacing
        while len(times) > self.keep:
            times.popleft()

    def pause(self, key: str, until: float) -> None:
        """The platform said wait (429 Retry-After): nothing starts under `key` before `until`."""
        self.paused[key] = max(self.paused.get(key, 0.0), until)
        self.widened[key] = min(self.widened.get(key, 0.0) + WIDEN, WIDEST)

    def prune(self, now: float) -> None:
        """Forget keys whose every window has passed."""
        longest = max((w for _, w in self.limits), default=0.0)
        for key in [k for k, t in self.times.items() if not t or t[-1] < now - longest]:
            del self.times[key]
            self.schedule.pop(key, None)
        for key in [k for k, until in self.paused.items() if until < now]:
            del self.paused[key]
