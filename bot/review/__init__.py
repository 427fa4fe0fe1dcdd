"""Review (reserved for its own issue)."""
