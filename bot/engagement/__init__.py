"""Engagement (reserved for its own issue)."""
