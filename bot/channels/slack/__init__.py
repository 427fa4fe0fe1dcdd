"""Slack: Bolt listeners translate payloads to neutral events; render.py draws Block Kit."""

from bot.channels.slack.app import SlackChannel, build_slack, slack_problem
from bot.channels.slack.messenger import SlackMessenger
from bot.channels.slack.mount import SLACK, mount_slack
from bot.channels.slack.render import home_view, render_message

__all__ = [
    "SLACK",
    "SlackChannel",
    "SlackMessenger",
    "build_slack",
    "home_view",
    "mount_slack",
    "render_message",
    "slack_problem",
]
