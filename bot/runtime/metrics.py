"""This process's Prometheus series, on a registry of its own (`/metrics` serves them).

Domain packages never import this: the router reports through the `Observer` port and the
dispatcher and platform clients through `SendObserver` (bot/core/ports.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from bot.core.ports import Clock
from storage.db import Database
from storage.queries.backlog import Backlog, outbox_backlog

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
"""Seconds; Slack wants its ack within 3 s."""
STATEMENT_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500)
BACKLOG_SECONDS = 10.0
"""How long a scrape reuses the leader's outbox figures before querying again."""


class Metrics:
    """The series of one `Application` (`Observer` and `SendObserver` both)."""

    def __init__(
        self, database: Database, clock: Clock, *, leader: Callable[[], bool] = lambda: False
    ) -> None:
        self.database, self.clock, self.leader = database, clock, leader
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Histogram(
            "microcred_http_request_duration_seconds",
            "Time from request to response at the HTTP edge, per platform endpoint.",
            ["route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.events = Histogram(
            "microcred_event_duration_seconds",
            "Time the router took to handle one inbound event, by input kind.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.statements = Histogram(
            "microcred_event_sql_statements",
            "SQL statements executed while handling one inbound event, by input kind.",
            ["kind"],
            buckets=STATEMENT_BUCKETS,
            registry=registry,
        )
        self.sends = Counter(
            "microcred_outbox_sends",
            "Outbox sends by platform and outcome (sent, retried, rate_limited, unreachable, "
            "failed).",
            ["platform", "outcome"],
            registry=registry,
        )
        self.throttles = Counter(
            "microcred_http_429_responses",
            "HTTP 429 (rate limited) answers received from a platform's API.",
            ["platform"],
            registry=registry,
        )
        self.backlog = LeaderBacklog(self)
        registry.register(self.backlog)

    # -- Observer / SendObserver ---------------------------------------------------------

    def event_handled(self, kind: str, seconds: float, statements: int) -> None:
        self.events.labels(kind).observe(seconds)
        self.statements.labels(kind).observe(statements)

    def send_outcome(self, platform: str, outcome: str) -> None:
        self.sends.labels(platform, outcome).inc()

    def throttled(self, platform: str) -> None:
        self.throttles.labels(platform).inc()

    def request_done(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, f"{status // 100}xx").observe(seconds)

    # -- exposition ----------------------------------------------------------------------

    async def render(self) -> bytes:
        """The exposition text (the leader's outbox figures refreshed when stale)."""
        await self.backlog.refresh()
        return generate_latest(self.registry)


class LeaderBacklog(Collector):
    """Database-wide outbox gauges, exported by the scheduler leader only (so several
    processes never double count); refreshed on scrape, at most every BACKLOG_SECONDS."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.figures: Backlog | None = None
        self.at = 0.0
        self.age = 0.0

    async def refresh(self) -> None:
        if not self.metrics.leader():
            self.figures = None
            return
        if self.figures is not None and time.monotonic() - self.at < BACKLOG_SECONDS:
            return
        now = self.metrics.clock.now()
        async with self.metrics.database.transaction() as session:
            figures = await outbox_backlog(session, now=now)
        oldest = figures.oldest_due
        self.figures, self.at = figures, time.monotonic()
        self.age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0

    def describe(self) -> Iterator[Metric]:
        return iter(())  # the series come and go with leadership

    def collect(self) -> Iterator[Metric]:
        figures = self.figures
        if figures is None or not self.metrics.leader():
            return
        depth = GaugeMetricFamily(
            "microcred_outbox_depth",
            "Unsent outbox rows in the whole database, by status (leader only).",
            labels=["status"],
        )
        for status, count in sorted(figures.depth.items()):
            depth.add_metric([status], count)
        yield depth
        yield GaugeMetricFamily(
            "microcred_outbox_oldest_due_age_seconds",
            "How long the longest-overdue unsent outbox row has been due (leader only).",
            value=self.age,
        )
