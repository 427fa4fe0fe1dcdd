"""Microsoft Teams channel: botbuilder on /api/messages, Adaptive Cards, proactive messages.

Import the modules themselves (`bot.channels.teams.app`, `.translate`): this package loads
nothing, so the pure translation modules stay light.
"""
