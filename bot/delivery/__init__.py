"""Delivery (reserved for its own issue)."""
