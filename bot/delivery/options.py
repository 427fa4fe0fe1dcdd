"""The knobs of scheduled delivery, with the defaults the product promises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.learning.window import DEFAULT_WINDOW
from bot.settings import Settings


@dataclass(frozen=True)
class PlatformLimits:
    """Sliding-window send limits: per conversation, and per workspace (or tenant)."""

    conversation: tuple[tuple[int, float], ...]
    workspace: tuple[tuple[int, float], ...]
    spacing: float
    """Seconds between messages one tick queues for the same person."""


SLACK_CONVERSATION = ((1, 1.0),)
TEAMS_CONVERSATION = ((7, 1.0), (60, 30.0), (1800, 3600.0))
TEAMS_TENANT = ((30, 1.0),)


def slack_limits(workspace_rate: int) -> PlatformLimits:
    """About one message a second per conversation, plus a workspace-wide budget."""
    return PlatformLimits(SLACK_CONVERSATION, ((workspace_rate, 1.0),), 1.1)


def default_limits(slack_rate: int = 100) -> dict[str, PlatformLimits]:
    return {
        "slack": slack_limits(slack_rate),
        "teams": PlatformLimits(TEAMS_CONVERSATION, TEAMS_TENANT, 0.2),
        "local": PlatformLimits((), (), 0.0),
    }


@dataclass(frozen=True)
class DeliveryOptions:
    """Timing of slots, nudges, deadlines and repetitions; the outbox's retry policy."""

    default_window: str = DEFAULT_WINDOW
    grace: timedelta = timedelta(hours=3)
    """A slot found later than this is caught up in one "N lessons waiting" message."""
    nudges: int = 2
    nudge_after: timedelta = timedelta(days=1)
    """The first reminder; each next one waits twice as long."""
    deadline_days: tuple[int, ...] = (7, 1)
    recalls_per_slot: int = 2
    tick_seconds: float = 15.0
    plan_seconds: float = 60.0
    batch: int = 200
    # Outbox dispatch
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=60)
    max_failures: int = 6
    max_tries: int = 60
    backoff: float = 2.0
    backoff_cap: float = 600.0
    poll_seconds: float = 1.0
    limits: dict[str, PlatformLimits] = field(default_factory=default_limits)
    limit_margin: float = 0.05
    """Seconds added to every limit window: what reaches the platform late still fits."""
    heartbeat_seconds: float = 5.0
    leader_poll_seconds: float = 2.0
    keep_days: int = 30


def options_from(settings: Settings) -> DeliveryOptions:
    """The delivery options the environment asks for."""
    return DeliveryOptions(
        default_window=settings.quiet_hours,
        grace=timedelta(minutes=settings.catchup_grace_minutes),
        nudges=settings.nudges,
        nudge_after=timedelta(hours=settings.nudge_after_hours),
        deadline_days=settings.deadline_days,
        tick_seconds=settings.tick_seconds,
        concurrency=settings.outbox_concurrency,
        max_failures=settings.outbox_max_failures,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        limits=default_limits(settings.slack_workspace_rate),
    )
