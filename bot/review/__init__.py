"""Peer review: portfolio submissions, reviewer routing, quorum decisions, calibration."""

from bot.review.repair import SweepResult
from bot.review.service import PeerReview

__all__ = ["PeerReview", "SweepResult"]
