"""Microsoft Teams channel: botbuilder on /api/messages, Adaptive Cards, proactive messages."""

from bot.channels.teams.app import TEAMS, TeamsChannel, mount_teams
from bot.channels.teams.messenger import TeamsMessenger
from bot.channels.teams.render import render_card

__all__ = ["TEAMS", "TeamsChannel", "TeamsMessenger", "mount_teams", "render_card"]
