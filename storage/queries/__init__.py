"""Query functions: they take the session keyword-only and never commit."""
