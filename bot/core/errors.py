"""The error taxonomy: what the user did wrong, what cannot proceed, and our faults."""


class MicrocredError(Exception):
    """Base of every error we raise on purpose."""


class BadRequest(MicrocredError):
    """The person asked for something invalid; the message tells them how to fix it."""


class CannotProceed(MicrocredError):
    """The request is valid but the current state does not allow it."""


class InternalFault(MicrocredError):
    """Something on our side failed; logged with context, the user sees an apology."""


class Unreachable(MicrocredError):
    """A person or channel cannot be reached on its platform; retrying will not help."""


class RateLimited(MicrocredError):
    """The platform asked us to slow down; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float, message: str = "rate limited") -> None:
        super().__init__(message)
        self.retry_after = retry_after
