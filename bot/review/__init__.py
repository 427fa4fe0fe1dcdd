"""Peer review: portfolio submissions, reviewer routing, quorum decisions, calibration."""

from bot.review.repair import SweepResult
from bot.review.service import CHANNEL_ACTIONS, PeerReview

__all__ = ["CHANNEL_ACTIONS", "PeerReview", "SweepResult"]
