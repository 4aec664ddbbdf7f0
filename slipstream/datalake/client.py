"""A synchronous client of the DataLakeService and VolatilityService, for the CLI, loaders and pods."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
from slipstream_api.v1 import datalake_pb2 as pb
from slipstream_api.v1 import datalake_pb2_grpc as pb_grpc
from slipstream_api.v1 import volatility_pb2, volatility_pb2_grpc

from slipstream.datalake import convert, wire
from slipstream.datalake.frames import BarFrame, TradeFrame
from slipstream.transport import auth
from slipstream.transport.server import MAX_BULK_MESSAGE_BYTES, channel_options
from slipstream.transport.tls import ClientTls, open_channel

WRITE_BATCH_ROWS = 250_000


def _set_window(
    request: pb.QueryBarsRequest | pb.QueryTradesRequest, start_ms: int | None, end_ms: int | None, as_of_ns: int | None
) -> None:
    """Fill a query's optional event-time range and knowledge time (unset means unbounded, or now)."""
    if start_ms is not None:
        request.start_time.CopyFrom(convert.ms_to_pb(start_ms))
    if end_ms is not None:
        request.end_time.CopyFrom(convert.ms_to_pb(end_ms))
    if as_of_ns is not None:
        request.as_of_time.CopyFrom(convert.ns_to_pb(as_of_ns))


class LakeClient:
    def __init__(self, address: str, token: str, timeout_s: float = 60.0, tls: ClientTls | None = None) -> None:
        self._channel = open_channel(address, tls, channel_options(MAX_BULK_MESSAGE_BYTES))
        self._lake = pb_grpc.DataLakeServiceStub(self._channel)
        # QueryBars answers are parsed straight into numpy arrays (wire.py), not into messages.
        self._query_bars = self._channel.unary_stream(
            "/slipstream.v1.DataLakeService/QueryBars",
            request_serializer=pb.QueryBarsRequest.SerializeToString,
            response_deserializer=wire.decode_query_bars_response,
        )
        self._volatility = volatility_pb2_grpc.VolatilityServiceStub(self._channel)
        self._metadata = auth.bearer_metadata(token)
        self._timeout_s = timeout_s

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> LakeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_bars(self, symbol: str, timeframe: str, frame: BarFrame) -> pb.WriteBarsResponse:
        """Write one batch (all or nothing)."""
        request = pb.WriteBarsRequest(symbol=symbol, timeframe=timeframe)
        request.bars.MergeFromString(wire.encode_bars(frame))
        return self._lake.WriteBars(request, metadata=self._metadata, timeout=self._timeout_s)

    def write_bars_in_batches(self, symbol: str, timeframe: str, frame: BarFrame) -> int:
        """Write a large frame as consecutive batches; each batch is atomic, the whole is not."""
        written = 0
        for start in range(0, len(frame), WRITE_BATCH_ROWS):
            written += self.write_bars(
                symbol, timeframe, frame.take(slice(start, start + WRITE_BATCH_ROWS))
            ).written_count
        return written

    def write_trades(self, symbol: str, frame: TradeFrame) -> pb.WriteTradesResponse:
        request = pb.WriteTradesRequest(symbol=symbol, trades=convert.trades_to_pb(frame))
        return self._lake.WriteTrades(request, metadata=self._metadata, timeout=self._timeout_s)

    def query_bars(
        self,
        symbol: str,
        timeframe: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
        as_of_ns: int | None = None,
        batch_size: int = 0,
        all_versions: bool = False,
    ) -> BarFrame:
        request = pb.QueryBarsRequest(
            symbol=symbol, timeframe=timeframe, batch_size=batch_size, all_versions=all_versions
        )
        _set_window(request, start_ms, end_ms, as_of_ns)
        stream = self._query_bars(request, metadata=self._metadata, timeout=self._timeout_s)
        return BarFrame.concat(list(stream))

    def query_trades(
        self, symbol: str, start_ms: int | None = None, end_ms: int | None = None, as_of_ns: int | None = None
    ) -> TradeFrame:
        request = pb.QueryTradesRequest(symbol=symbol)
        _set_window(request, start_ms, end_ms, as_of_ns)
        stream = self._lake.QueryTrades(request, metadata=self._metadata, timeout=self._timeout_s)
        return TradeFrame.concat([convert.trades_from_pb(answer.trades) for answer in stream])

    def list_series(self) -> list[pb.SeriesCoverage]:
        return list(
            self._lake.ListSeries(pb.ListSeriesRequest(), metadata=self._metadata, timeout=self._timeout_s).series
        )

    def coverage(self, symbol: str, timeframe: str, as_of_ns: int | None = None) -> pb.GetCoverageResponse:
        request = pb.GetCoverageRequest(symbol=symbol, timeframe=timeframe)
        if as_of_ns is not None:
            request.as_of_time.CopyFrom(convert.ns_to_pb(as_of_ns))
        return self._lake.GetCoverage(request, metadata=self._metadata, timeout=self._timeout_s)

    def last_open_time_ms(self, symbol: str, timeframe: str) -> int | None:
        """The newest bar's open time, or None when the series does not exist yet (for resuming)."""
        try:
            coverage = self.coverage(symbol, timeframe).coverage
        except grpc.RpcError as error:
            if error.code() is grpc.StatusCode.NOT_FOUND:
                return None
            raise
        return coverage.last_event_time.ToMilliseconds() if coverage.HasField("last_event_time") else None

    def last_trade_time_ms(self, symbol: str) -> int | None:
        series = [s for s in self.list_series() if s.symbol == symbol and s.kind == pb.SERIES_KIND_TRADES]
        return series[0].last_event_time.ToMilliseconds() if series else None

    def trade_ids_at(self, symbol: str, time_ms: int) -> set[str]:
        return set(self.query_trades(symbol, time_ms, time_ms + 1).trade_id.tolist())

    def forecasts(self, symbols: list[str], as_of_ns: int | None = None) -> list[volatility_pb2.VolatilityForecast]:
        request = volatility_pb2.GetForecastsRequest(symbols=symbols)
        if as_of_ns is not None:
            request.as_of_time.CopyFrom(convert.ns_to_pb(as_of_ns))
        return list(self._volatility.GetForecasts(request, metadata=self._metadata, timeout=self._timeout_s).forecasts)

    def subscribe_forecasts(
        self, symbols: list[str], send_current: bool = True
    ) -> Iterator[volatility_pb2.VolatilityForecast]:
        request = volatility_pb2.SubscribeForecastsRequest(symbols=symbols, send_current=send_current)
        for answer in self._volatility.SubscribeForecasts(request, metadata=self._metadata):
            yield answer.forecast
