"""Scheduled delivery: slots in each learner's zone, nudges, recalls, the outbox and its tick."""

from bot.delivery.options import (
    DeliveryOptions,
    PlatformLimits,
    default_limits,
    options_from,
    slack_limits,
)
from bot.delivery.rules import Rule, rule_for
from bot.delivery.service import DeliveryService

__all__ = [
    "DeliveryOptions",
    "DeliveryService",
    "PlatformLimits",
    "Rule",
    "default_limits",
    "options_from",
    "rule_for",
    "slack_limits",
]
