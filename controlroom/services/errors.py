"""Domain errors: each carries a stable code and maps onto one HTTP status.

The services raise these; the HTTP layer turns them into ``{"error": {"code",
"message"}}`` and the CLI prints the message. Nothing has been written when one is
raised: services validate before they change state, and the transaction rolls back.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(ServiceError):
    status = 400
    code = "INVALID_INPUT"


class NotFound(ServiceError):
    status = 404
    code = "NOT_FOUND"


class Forbidden(ServiceError):
    status = 403
    code = "FORBIDDEN"


class Conflict(ServiceError):
    """The entity is not in a state that allows the action (e.g. double release)."""

    status = 409
    code = "CONFLICT"


class TooLarge(ServiceError):
    status = 413
    code = "TOO_LARGE"
