"""Credentials (reserved for its own issue)."""
