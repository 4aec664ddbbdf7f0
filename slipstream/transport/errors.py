"""Map domain errors to gRPC status codes with google.rpc rich details.

Every servicer method is wrapped by `rpc_method`: a SlipstreamError becomes its status code
with ErrorInfo (and BadRequest naming the field for InvalidArgument); a failed call to another
service becomes UNAVAILABLE (retryable); anything else becomes INTERNAL with a generic message,
so internals never reach the client.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from slipstream.core import errors

log = logging.getLogger(__name__)

DOMAIN = "slipstream"

_CODES: dict[type[errors.SlipstreamError], int] = {
    errors.InvalidArgument: code_pb2.INVALID_ARGUMENT,
    errors.NotFound: code_pb2.NOT_FOUND,
    errors.Unauthenticated: code_pb2.UNAUTHENTICATED,
    errors.PermissionDenied: code_pb2.PERMISSION_DENIED,
    errors.FailedPrecondition: code_pb2.FAILED_PRECONDITION,
    errors.OrderRejected: code_pb2.FAILED_PRECONDITION,
    errors.Unavailable: code_pb2.UNAVAILABLE,
}


def code_for(error: errors.SlipstreamError) -> int:
    """The google.rpc code of `error`."""
    return next((c for cls, c in _CODES.items() if isinstance(error, cls)), code_pb2.INTERNAL)


def code_name(error: errors.SlipstreamError) -> str:
    """The status code's name ("INVALID_ARGUMENT"), for errors carried inside a message."""
    return str(code_pb2.Code.Name(code_for(error)))


def status_for(error: errors.SlipstreamError) -> grpc.Status:
    """Build the rich gRPC status that describes `error`."""
    code = code_for(error)
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=error.reason, domain=DOMAIN))
    details = [info]
    if isinstance(error, errors.InvalidArgument):
        violation = any_pb2.Any()
        violation.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=error.field, description=error.problem)
                ]
            )
        )
        details.append(violation)
    return rpc_status.to_status(status_pb2.Status(code=code, message=str(error), details=details))


Request = TypeVar("Request")
Response = TypeVar("Response")
Handler = Callable[[Any, Request, grpc.aio.ServicerContext], Awaitable[Response]]


def rpc_method(method: Handler[Request, Response]) -> Handler[Request, Response]:
    """Wrap an async servicer method so domain errors become status codes."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Request, context: grpc.aio.ServicerContext) -> Response:
        try:
            return await method(self, request, context)
        except grpc.aio.AbortError:
            raise
        except errors.SlipstreamError as error:
            await context.abort_with_status(status_for(error))
        except grpc.RpcError as error:
            await context.abort(grpc.StatusCode.UNAVAILABLE, _upstream(method.__qualname__, error))
        except Exception:
            log.exception("unhandled error in %s", method.__qualname__)
            await context.abort(grpc.StatusCode.INTERNAL, "internal error")
        raise AssertionError("unreachable: abort always raises")

    return wrapper


StreamHandler = Callable[[Any, Request, grpc.aio.ServicerContext], AsyncIterator[Response]]


def rpc_stream(method: StreamHandler[Request, Response]) -> StreamHandler[Request, Response]:
    """Wrap an async-generator servicer method (server streaming) like `rpc_method`."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Request, context: grpc.aio.ServicerContext) -> AsyncIterator[Response]:
        try:
            async for item in method(self, request, context):
                yield item
        except grpc.aio.AbortError:
            raise
        except errors.SlipstreamError as error:
            await context.abort_with_status(status_for(error))
        except grpc.RpcError as error:
            await context.abort(grpc.StatusCode.UNAVAILABLE, _upstream(method.__qualname__, error))
        except Exception:
            log.exception("unhandled error in %s", method.__qualname__)
            await context.abort(grpc.StatusCode.INTERNAL, "internal error")

    return wrapper


def _upstream(where: str, error: grpc.RpcError) -> str:
    """A service this call depends on failed: say so (retryable), without its internals."""
    code = error.code() if isinstance(error, grpc.Call | grpc.aio.AioRpcError) else None
    log.warning("%s: a dependency failed: %s", where, error)
    return f"a service this call depends on failed ({code.name if code else 'unknown'}); retry later"


def describe_rpc_error(error: grpc.RpcError) -> str:
    """Return 'CODE: details' for a failed call, for logs and CLI output."""
    code = error.code() if hasattr(error, "code") else None
    name = code.name if code is not None else "UNKNOWN"
    details = error.details() if hasattr(error, "details") else str(error)
    return f"{name}: {details}"
