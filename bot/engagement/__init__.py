"""Engagement: points, streaks, levels, leaderboards, challenges and weekly digests."""

from bot.engagement.levels import LEVELS, Level, level_for
from bot.engagement.rules import PointsRules
from bot.engagement.service import Engagement, sweep_engagement
from bot.engagement.sweep import SweepOptions, SweepResult

__all__ = [
    "LEVELS",
    "Engagement",
    "Level",
    "PointsRules",
    "SweepOptions",
    "SweepResult",
    "level_for",
    "sweep_engagement",
]
