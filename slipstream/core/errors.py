"""Domain errors; the transport layer maps each class to one gRPC status code."""

from __future__ import annotations


class SlipstreamError(Exception):
    """Base of every error that is safe to show to a client."""

    reason = "ERROR"


class InvalidArgument(SlipstreamError):
    """A request field is malformed; `field` is its dotted path in the request."""

    reason = "INVALID_ARGUMENT"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFound(SlipstreamError):
    """The named resource does not exist."""

    reason = "NOT_FOUND"


class Unauthenticated(SlipstreamError):
    """No usable credentials were presented."""

    reason = "UNAUTHENTICATED"


class PermissionDenied(SlipstreamError):
    """The caller is known but may not do this."""

    reason = "PERMISSION_DENIED"


class FailedPrecondition(SlipstreamError):
    """The request is well formed but the current state forbids it."""

    reason = "FAILED_PRECONDITION"


class Unavailable(SlipstreamError):
    """A dependency (an exchange) does not answer now; the same request may succeed later."""

    reason = "UNAVAILABLE"


class OrderRejected(SlipstreamError):
    """A pod's own pre-trade check refused an order (halted, reduce-only, over a limit)."""

    reason = "ORDER_REJECTED"
