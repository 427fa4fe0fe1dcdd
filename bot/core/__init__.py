"""Core: neutral events, views, the router and the error taxonomy (no SDKs here)."""
