"""Answer a request that is not valid protobuf with INVALID_ARGUMENT.

grpc.aio parses requests before any servicer code runs; a parse failure becomes UNKNOWN with the
parser's message (our message type names) in the details. `guard` turns each handler registered
on a server into one that parses tolerantly and rejects the malformed request itself, with the
same rich status as every other bad field.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
from google.protobuf.message import DecodeError

from slipstream.core.errors import InvalidArgument
from slipstream.transport.errors import status_for


class _Malformed:
    """Stands in for a request that did not parse."""


MALFORMED = _Malformed()
_REJECTED = InvalidArgument("request", "not a valid protobuf encoding of this method's request message")


def _tolerant(parse: Callable[[bytes], Any] | None) -> Callable[[bytes], Any] | None:
    if parse is None:
        return None

    def tolerant(data: bytes) -> Any:
        try:
            return parse(data)
        except DecodeError:
            return MALFORMED

    return tolerant


async def _reject(context: grpc.aio.ServicerContext) -> None:
    await context.abort_with_status(status_for(_REJECTED))


def _unary_unary(behaviour: Callable[..., Any]) -> Callable[..., Any]:
    async def checked(request: Any, context: grpc.aio.ServicerContext) -> Any:
        if request is MALFORMED:
            await _reject(context)
        return await behaviour(request, context)

    return checked


def _unary_stream(behaviour: Callable[..., Any]) -> Callable[..., AsyncIterator[Any]]:
    async def checked(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        if request is MALFORMED:
            await _reject(context)
        async for response in behaviour(request, context):
            yield response

    return checked


def _stream_in(behaviour: Callable[..., Any]) -> Callable[..., Any]:
    """Client streaming: a malformed message ends the request stream, so the servicer sees only
    parsed requests, and the call fails with INVALID_ARGUMENT once the servicer has answered them."""

    async def parsed(requests: AsyncIterator[Any], bad: list[bool]) -> AsyncIterator[Any]:
        async for request in requests:
            if request is MALFORMED:
                bad.append(True)
                return
            yield request

    async def checked_stream(requests: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        bad: list[bool] = []
        async for response in behaviour(parsed(requests, bad), context):
            yield response
        if bad:
            await _reject(context)

    async def checked_unary(requests: AsyncIterator[Any], context: grpc.aio.ServicerContext) -> Any:
        bad: list[bool] = []
        response = await behaviour(parsed(requests, bad), context)
        if bad:
            await _reject(context)
        return response

    return checked_stream if inspect.isasyncgenfunction(behaviour) else checked_unary


def guard(handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
    """The same handler, parsing tolerantly and rejecting malformed requests with INVALID_ARGUMENT."""
    fields: dict[str, Any] = {"request_deserializer": _tolerant(handler.request_deserializer)}
    if handler.unary_unary is not None:
        fields["unary_unary"] = _unary_unary(handler.unary_unary)
    if handler.unary_stream is not None:
        fields["unary_stream"] = _unary_stream(handler.unary_stream)
    if handler.stream_unary is not None:
        fields["stream_unary"] = _stream_in(handler.stream_unary)
    if handler.stream_stream is not None:
        fields["stream_stream"] = _stream_in(handler.stream_stream)
    return handler._replace(**fields)  # type: ignore[attr-defined, no-any-return]
