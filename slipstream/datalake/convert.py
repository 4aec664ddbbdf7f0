"""Columnar protobuf <-> numpy frames for the lake and the volatility forecasts."""

from __future__ import annotations

import numpy as np
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import datalake_pb2 as pb

from slipstream.core.errors import InvalidArgument
from slipstream.datalake.frames import MS, BarFrame, TradeFrame

_NS_PER_S = 1_000_000_000


def bars_from_pb(columns: pb.BarColumns) -> BarFrame:
    return BarFrame.build(
        np.fromiter(columns.open_times_unix_ms, dtype=np.int64, count=len(columns.open_times_unix_ms)),
        np.fromiter(columns.opens, dtype=np.float64, count=len(columns.opens)),
        np.fromiter(columns.highs, dtype=np.float64, count=len(columns.highs)),
        np.fromiter(columns.lows, dtype=np.float64, count=len(columns.lows)),
        np.fromiter(columns.closes, dtype=np.float64, count=len(columns.closes)),
        np.fromiter(columns.volumes, dtype=np.float64, count=len(columns.volumes)),
        np.fromiter(columns.knowledge_times_unix_ns, dtype=np.int64, count=len(columns.knowledge_times_unix_ns)),
    )


def bars_to_pb(frame: BarFrame) -> pb.BarColumns:
    return pb.BarColumns(
        open_times_unix_ms=frame.open_time_ms.tolist(),
        opens=frame.open.tolist(),
        highs=frame.high.tolist(),
        lows=frame.low.tolist(),
        closes=frame.close.tolist(),
        volumes=frame.volume.tolist(),
        knowledge_times_unix_ns=frame.knowledge_time_ns.tolist(),
    )


def trades_from_pb(columns: pb.TradeColumns) -> TradeFrame:
    return TradeFrame.build(
        list(columns.trade_times_unix_ms),
        list(columns.trade_ids),
        list(columns.prices),
        list(columns.quantities),
        list(columns.sides),
        list(columns.knowledge_times_unix_ns),
    )


def trades_to_pb(frame: TradeFrame) -> pb.TradeColumns:
    return pb.TradeColumns(
        trade_times_unix_ms=frame.trade_time_ms.tolist(),
        trade_ids=frame.trade_id.tolist(),
        prices=frame.price.tolist(),
        quantities=frame.quantity.tolist(),
        sides=frame.side.tolist(),
        knowledge_times_unix_ns=frame.knowledge_time_ns.tolist(),
    )


def time_ns(message: Message, field: str) -> int | None:
    """An optional Timestamp field as epoch nanoseconds, None when unset."""
    if not message.HasField(field):
        return None
    stamp = getattr(message, field)
    if stamp.seconds < 0:
        raise InvalidArgument(field, "must not be before 1970")
    return int(stamp.seconds * _NS_PER_S + stamp.nanos)


def time_ms(message: Message, field: str) -> int | None:
    """An optional Timestamp field as epoch milliseconds, None when unset."""
    value = time_ns(message, field)
    return None if value is None else value // MS


def ms_to_pb(value_ms: int) -> Timestamp:
    stamp = Timestamp()
    stamp.FromMilliseconds(value_ms)
    return stamp


def ns_to_pb(value_ns: int) -> Timestamp:
    stamp = Timestamp()
    stamp.FromNanoseconds(value_ns)
    return stamp
