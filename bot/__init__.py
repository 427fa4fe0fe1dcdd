"""microcred: micro-credential programs that run inside Slack and Microsoft Teams."""

__version__ = "0.1.0"
