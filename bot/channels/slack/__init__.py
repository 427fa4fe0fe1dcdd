"""Slack: Bolt listeners translate payloads to neutral events; render.py draws Block Kit.

Import the modules themselves (`bot.channels.slack.mount`, `.translate`): this package
loads nothing, so the pure translation modules stay light.
"""
