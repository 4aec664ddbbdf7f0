"""Columnar protobuf <-> numpy frames for the lake and the volatility forecasts."""

from __future__ import annotations

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import datalake_pb2 as pb

from slipstream.core.errors import InvalidArgument
from slipstream.datalake import wire
from slipstream.datalake.frames import MS, BarFrame, TradeFrame

_NS_PER_S = 1_000_000_000
_MAX_SIDE = max(pb.TradeSide.values())


def bars_from_pb(columns: pb.BarColumns) -> BarFrame:
    return wire.decode_bars(columns.SerializeToString())


def bars_to_pb(frame: BarFrame) -> pb.BarColumns:
    return pb.BarColumns.FromString(wire.encode_bars(frame))


def trades_from_pb(columns: pb.TradeColumns) -> TradeFrame:
    # Sides are stored as int8: refuse unknown ones before the cast, which would overflow.
    bad = next((row for row, side in enumerate(columns.sides) if not 0 <= side <= _MAX_SIDE), None)
    if bad is not None:
        raise InvalidArgument(f"trades[{bad}].side", f"must be a known TRADE_SIDE, got {columns.sides[bad]}")
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
