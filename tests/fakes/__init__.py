"""Fake platform servers for tests: real local HTTP servers that record what they receive."""
