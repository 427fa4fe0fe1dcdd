"""Fakes for tests: real local HTTP servers of the platforms that record what they receive,
and an in-memory Messenger (messenger.py) for the features that send without an event."""
