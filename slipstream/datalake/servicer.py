"""DataLakeService over the DataLake core: authorise, translate, delegate, stream in batches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc
from google.protobuf.message import Message
from slipstream_api.v1 import datalake_pb2 as pb
from slipstream_api.v1 import datalake_pb2_grpc as pb_grpc

from slipstream.core.errors import InvalidArgument
from slipstream.datalake import convert, wire
from slipstream.datalake.lake import Coverage, DataLake
from slipstream.transport.errors import rpc_method, rpc_stream

DEFAULT_BATCH = 50_000
MAX_BATCH = 500_000
_KIND = {"bars": pb.SERIES_KIND_BARS, "trades": pb.SERIES_KIND_TRADES}


def _batch_size(value: int) -> int:
    if not 0 <= value <= MAX_BATCH:
        raise InvalidArgument("batch_size", f"must be between 0 and {MAX_BATCH}")
    return value or DEFAULT_BATCH


def coverage_to_pb(coverage: Coverage) -> pb.SeriesCoverage:
    message = pb.SeriesCoverage(
        symbol=coverage.symbol,
        kind=_KIND[coverage.kind],
        timeframe=coverage.timeframe,
        row_count=coverage.row_count,
        version_count=coverage.version_count,
        missing_bar_count=coverage.missing_bar_count,
    )
    if coverage.first_event_ms is not None and coverage.last_event_ms is not None:
        message.first_event_time.CopyFrom(convert.ms_to_pb(coverage.first_event_ms))
        message.last_event_time.CopyFrom(convert.ms_to_pb(coverage.last_event_ms))
    return message


class DataLakeServicer(pb_grpc.DataLakeServiceServicer):
    def __init__(self, lake: DataLake) -> None:
        self._lake = lake

    @rpc_method
    async def WriteBars(self, request: pb.WriteBarsRequest, context: grpc.aio.ServicerContext) -> pb.WriteBarsResponse:
        frame = convert.bars_from_pb(request.bars)
        result = await asyncio.to_thread(self._lake.write_bars, request.symbol, request.timeframe, frame)
        return pb.WriteBarsResponse(
            written_count=result.written_count,
            revised_count=result.revised_count,
            knowledge_time=convert.ns_to_pb(result.knowledge_time_ns),
        )

    @rpc_method
    async def WriteTrades(
        self, request: pb.WriteTradesRequest, context: grpc.aio.ServicerContext
    ) -> pb.WriteTradesResponse:
        frame = convert.trades_from_pb(request.trades)
        result = await asyncio.to_thread(self._lake.write_trades, request.symbol, frame)
        return pb.WriteTradesResponse(
            written_count=result.written_count,
            revised_count=result.revised_count,
            knowledge_time=convert.ns_to_pb(result.knowledge_time_ns),
        )

    @rpc_stream
    async def QueryBars(  # type: ignore[override]  # answers pre-encoded QueryBarsResponse bytes (wire.py)
        self, request: pb.QueryBarsRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[bytes]:
        size = _batch_size(request.batch_size)
        as_of = convert.time_ns(request, "as_of_time") or self._lake.now_ns()
        frame = await asyncio.to_thread(
            self._lake.query_bars,
            request.symbol,
            request.timeframe,
            convert.time_ms(request, "start_time"),
            convert.time_ms(request, "end_time"),
            as_of,
            request.all_versions,
        )
        as_of_wire = convert.ns_to_pb(as_of).SerializeToString()
        for start in range(0, max(len(frame), 1), size):
            yield wire.encode_query_bars_response(frame.take(slice(start, start + size)), as_of_wire)

    @rpc_stream
    async def QueryTrades(
        self, request: pb.QueryTradesRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[pb.QueryTradesResponse]:
        size = _batch_size(request.batch_size)
        as_of = convert.time_ns(request, "as_of_time") or self._lake.now_ns()
        frame = await asyncio.to_thread(
            self._lake.query_trades,
            request.symbol,
            convert.time_ms(request, "start_time"),
            convert.time_ms(request, "end_time"),
            as_of,
        )
        as_of_pb = convert.ns_to_pb(as_of)
        for start in range(0, max(len(frame), 1), size):
            yield pb.QueryTradesResponse(
                trades=convert.trades_to_pb(frame.take(slice(start, start + size))), as_of_time=as_of_pb
            )

    @rpc_method
    async def ListSeries(
        self, request: pb.ListSeriesRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListSeriesResponse:
        series = await asyncio.to_thread(self._lake.list_series)
        return pb.ListSeriesResponse(series=[coverage_to_pb(c) for c in series])

    @rpc_method
    async def GetCoverage(
        self, request: pb.GetCoverageRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetCoverageResponse:
        if request.max_gap_count < 0:
            raise InvalidArgument("max_gap_count", "must be >= 0")
        coverage = await asyncio.to_thread(
            self._lake.coverage,
            request.symbol,
            request.timeframe,
            convert.time_ns(request, "as_of_time"),
            request.max_gap_count or 1000,
        )
        return pb.GetCoverageResponse(
            coverage=coverage_to_pb(coverage),
            gaps=[
                pb.Gap(
                    start_time=convert.ms_to_pb(gap.start_ms),
                    end_time=convert.ms_to_pb(gap.end_ms),
                    missing_bar_count=gap.missing_bar_count,
                )
                for gap in coverage.gaps
            ],
        )


def _serialize(message: Message | bytes) -> bytes:
    return message if isinstance(message, bytes) else message.SerializeToString()


def add_to_server(servicer: DataLakeServicer, server: grpc.aio.Server) -> None:
    """Register like the generated function, but let QueryBars answer with pre-encoded bytes."""
    service = pb.DESCRIPTOR.services_by_name["DataLakeService"]
    handlers = {}
    for method in service.methods:
        request_type = getattr(pb, method.input_type.name)
        factory = (
            grpc.unary_stream_rpc_method_handler if method.server_streaming else grpc.unary_unary_rpc_method_handler
        )
        handlers[method.name] = factory(
            getattr(servicer, method.name), request_deserializer=request_type.FromString, response_serializer=_serialize
        )
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service.full_name, handlers),))
