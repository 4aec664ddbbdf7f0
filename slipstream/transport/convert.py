"""Translate between slipstream_api.v1 messages and slipstream.core domain objects.

Incoming messages are validated here: an unspecified enum or a malformed decimal raises
InvalidArgument with the field's path in the request, before any domain code runs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp
from slipstream_api.v1 import common_pb2 as pb

from slipstream.core import model
from slipstream.core.decimals import format_decimal, parse_decimal, parse_optional_decimal
from slipstream.core.errors import InvalidArgument

_TRADING_STATE: dict[model.TradingState, pb.TradingState.ValueType] = {
    model.TradingState.ACTIVE: pb.TRADING_STATE_ACTIVE,
    model.TradingState.REDUCE_ONLY: pb.TRADING_STATE_REDUCE_ONLY,
    model.TradingState.HALTED: pb.TRADING_STATE_HALTED,
}
_HEALTH: dict[model.Health, pb.Health.ValueType] = {
    model.Health.HEALTHY: pb.HEALTH_HEALTHY,
    model.Health.DEGRADED: pb.HEALTH_DEGRADED,
    model.Health.UNHEALTHY: pb.HEALTH_UNHEALTHY,
    model.Health.UNKNOWN: pb.HEALTH_UNKNOWN,
}
_INTENT: dict[model.ExecutionIntent, pb.ExecutionIntent.ValueType] = {
    model.ExecutionIntent.MAKER: pb.EXECUTION_INTENT_MAKER,
    model.ExecutionIntent.TAKER: pb.EXECUTION_INTENT_TAKER,
    model.ExecutionIntent.MIXED: pb.EXECUTION_INTENT_MIXED,
}
_HALT_REASON: dict[model.HaltReason, pb.HaltReason.ValueType] = {
    model.HaltReason.MANUAL: pb.HALT_REASON_MANUAL,
    model.HaltReason.RISK_VIOLATION: pb.HALT_REASON_RISK_VIOLATION,
    model.HaltReason.PERFORMANCE_FAILURE: pb.HALT_REASON_PERFORMANCE_FAILURE,
    model.HaltReason.MAINTENANCE: pb.HALT_REASON_MAINTENANCE,
}
_SIDE: dict[model.OrderSide, pb.OrderSide.ValueType] = {
    model.OrderSide.BUY: pb.ORDER_SIDE_BUY,
    model.OrderSide.SELL: pb.ORDER_SIDE_SELL,
}

Domain = TypeVar("Domain", bound=enum.Enum)


def _decode(table: Mapping[Domain, int], value: int, field: str, enum_name: str) -> Domain:
    for domain, wire in table.items():
        if wire == value:
            return domain
    if value == 0:
        raise InvalidArgument(field, f"must be set ({enum_name}_UNSPECIFIED is not allowed)")
    raise InvalidArgument(field, f"unknown {enum_name} value {value}")


def trading_state_to_pb(state: model.TradingState) -> pb.TradingState.ValueType:
    return _TRADING_STATE[state]


def trading_state_from_pb(value: int, field: str) -> model.TradingState:
    return _decode(_TRADING_STATE, value, field, "TRADING_STATE")


def health_to_pb(health: model.Health) -> pb.Health.ValueType:
    return _HEALTH[health]


def health_from_pb(value: int, field: str) -> model.Health:
    return _decode(_HEALTH, value, field, "HEALTH")


def intent_to_pb(intent: model.ExecutionIntent) -> pb.ExecutionIntent.ValueType:
    return _INTENT[intent]


def intent_from_pb(value: int, field: str) -> model.ExecutionIntent:
    return _decode(_INTENT, value, field, "EXECUTION_INTENT")


def halt_reason_to_pb(reason: model.HaltReason) -> pb.HaltReason.ValueType:
    return _HALT_REASON[reason]


def halt_reason_from_pb(value: int, field: str) -> model.HaltReason:
    return _decode(_HALT_REASON, value, field, "HALT_REASON")


def side_to_pb(side: model.OrderSide) -> pb.OrderSide.ValueType:
    return _SIDE[side]


def side_from_pb(value: int, field: str) -> model.OrderSide:
    return _decode(_SIDE, value, field, "ORDER_SIDE")


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def timestamp_to_pb(moment: datetime) -> Timestamp:
    """Exact to the microsecond; timezone-aware datetimes only (naive ones are refused)."""
    stamp = Timestamp()
    set_timestamp(stamp, moment)
    return stamp


def set_timestamp(stamp: Timestamp, moment: datetime) -> None:
    """`timestamp_to_pb` written into a message's field in place (cheaper than building one to copy in)."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    delta = moment - _EPOCH
    stamp.seconds = delta.days * 86_400 + delta.seconds
    stamp.nanos = delta.microseconds * 1000


def timestamp_from_pb(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=timezone.utc)


def timestamp_field(stamp: Timestamp, field: str) -> datetime:
    """A Timestamp from a request; one a datetime cannot hold (before year 1, after 9999, nanos
    outside 0..999,999,999) is refused naming `field`."""
    try:
        return timestamp_from_pb(stamp)
    except ValueError:
        raise InvalidArgument(field, "must be a valid Timestamp between years 1 and 9999") from None


def duration_to_pb(delta: timedelta) -> Duration:
    duration = Duration()
    duration.FromTimedelta(delta)
    return duration


def duration_from_pb(duration: Duration, field: str, *, default: timedelta, maximum: timedelta) -> timedelta:
    """Read an optional duration: unset means `default`; negative or above `maximum` is refused."""
    if duration.seconds == 0 and duration.nanos == 0:
        return default
    if duration.seconds < 0 or duration.nanos < 0:
        raise InvalidArgument(field, "must be positive")
    if duration.seconds > maximum.total_seconds():  # before ToTimedelta, which overflows on huge seconds
        raise InvalidArgument(field, f"must be at most {maximum.total_seconds():g} seconds")
    delta = duration.ToTimedelta()
    if delta <= timedelta(0):
        raise InvalidArgument(field, "must be positive")
    if delta > maximum:
        raise InvalidArgument(field, f"must be at most {maximum.total_seconds():g} seconds")
    return delta


def limits_to_pb(limits: model.PodLimits) -> pb.PodLimits:
    return pb.PodLimits(
        symbol_limits=[
            pb.SymbolLimit(
                symbol=limit.symbol,
                max_position_quantity=format_decimal(limit.max_position_quantity),
                max_position_notional_usd=format_decimal(limit.max_position_notional_usd),
            )
            for limit in limits.symbol_limits
        ],
        max_gross_notional_usd=format_decimal(limits.max_gross_notional_usd),
        capital_allocation_usd=format_decimal(limits.capital_allocation_usd),
        volatility_target_annualized=limits.volatility_target_annualized,
    )


def limits_from_pb(message: pb.PodLimits, path: str) -> model.PodLimits:
    """Parse and validate limits; errors name the field below `path`."""
    symbol_limits = tuple(
        model.SymbolLimit(
            symbol=item.symbol,
            max_position_quantity=parse_optional_decimal(
                item.max_position_quantity,
                f"{path}.symbol_limits[{index}].max_position_quantity",
                non_negative=True,
            ),
            max_position_notional_usd=parse_optional_decimal(
                item.max_position_notional_usd,
                f"{path}.symbol_limits[{index}].max_position_notional_usd",
                non_negative=True,
            ),
        )
        for index, item in enumerate(message.symbol_limits)
    )
    capital = parse_optional_decimal(
        message.capital_allocation_usd, f"{path}.capital_allocation_usd", non_negative=True
    )
    limits = model.PodLimits(
        symbol_limits=symbol_limits,
        max_gross_notional_usd=parse_optional_decimal(
            message.max_gross_notional_usd, f"{path}.max_gross_notional_usd", non_negative=True
        ),
        capital_allocation_usd=capital if capital is not None else model.PodLimits().capital_allocation_usd,
        volatility_target_annualized=message.volatility_target_annualized,
    )
    limits.validate(path)
    return limits


def parameters_from_pb(parameters: dict[str, str], path: str) -> tuple[tuple[str, str], ...]:
    if len(parameters) > 256:
        raise InvalidArgument(path, "at most 256 parameters")
    for key, value in parameters.items():
        if not key or len(key) > 128:
            raise InvalidArgument(f"{path}[{key[:40]!r}]", "key must be 1-128 characters")
        if len(value) > 4096:
            raise InvalidArgument(f"{path}[{key!r}]", "value must be at most 4096 characters")
    return tuple(sorted(parameters.items()))


def config_to_pb(config: model.PodConfig) -> pb.PodConfig:
    return pb.PodConfig(
        config_version=config.config_version,
        trading_state=trading_state_to_pb(config.trading_state),
        limits=limits_to_pb(config.limits),
        parameters=dict(config.parameters),
    )


def config_from_pb(message: pb.PodConfig, path: str = "config") -> model.PodConfig:
    """Parse and validate a complete configuration; errors name the field below `path`."""
    config = model.PodConfig(
        config_version=message.config_version,
        trading_state=trading_state_from_pb(message.trading_state, f"{path}.trading_state"),
        limits=limits_from_pb(message.limits, f"{path}.limits"),
        parameters=parameters_from_pb(dict(message.parameters), f"{path}.parameters"),
    )
    config.validate(path)
    return config


def stored_config_from_pb(message: pb.PodConfig) -> model.PodConfig:
    """Read a configuration reported by a pod or stored by us, where version 0 means none yet."""
    if message.config_version == 0:
        return model.PodConfig()
    return config_from_pb(message)


def position_to_pb(position: model.Position) -> pb.Position:
    return pb.Position(
        symbol=position.symbol,
        quantity=format_decimal(position.quantity),
        notional_usd=format_decimal(position.notional_usd),
        mark_price=format_decimal(position.mark_price),
        average_entry_price=format_decimal(position.average_entry_price),
        unrealized_pnl_usd=format_decimal(position.unrealized_pnl_usd),
    )


def position_from_pb(message: pb.Position, path: str) -> model.Position:
    return model.Position(
        symbol=message.symbol,
        quantity=parse_decimal(message.quantity, f"{path}.quantity"),
        mark_price=parse_decimal(message.mark_price, f"{path}.mark_price", non_negative=True),
        average_entry_price=parse_decimal(
            message.average_entry_price or message.mark_price, f"{path}.average_entry_price", non_negative=True
        ),
        notional_usd=parse_decimal(message.notional_usd, f"{path}.notional_usd"),
        unrealized_pnl_usd=parse_decimal(message.unrealized_pnl_usd or "0", f"{path}.unrealized_pnl_usd"),
    )


def open_order_to_pb(order: model.OpenOrder) -> pb.OpenOrder:
    return pb.OpenOrder(
        client_order_id=order.client_order_id,
        symbol=order.symbol,
        side=side_to_pb(order.side),
        quantity=format_decimal(order.quantity),
        remaining_quantity=format_decimal(order.remaining_quantity),
        limit_price=format_decimal(order.limit_price),
        create_time=timestamp_to_pb(order.create_time),
    )


def open_order_from_pb(message: pb.OpenOrder, path: str) -> model.OpenOrder:
    return model.OpenOrder(
        client_order_id=message.client_order_id,
        symbol=message.symbol,
        side=side_from_pb(message.side, f"{path}.side"),
        quantity=parse_decimal(message.quantity, f"{path}.quantity", non_negative=True),
        remaining_quantity=parse_decimal(message.remaining_quantity, f"{path}.remaining_quantity", non_negative=True),
        limit_price=parse_optional_decimal(message.limit_price, f"{path}.limit_price", non_negative=True),
        create_time=timestamp_from_pb(message.create_time),
    )


def halt_state_to_pb(halt: model.HaltState) -> pb.HaltState:
    return pb.HaltState(
        reason=halt_reason_to_pb(halt.reason),
        requested_by=halt.requested_by,
        note=halt.note,
        halt_time=timestamp_to_pb(halt.halt_time),
    )


def status_to_pb(status: model.PodStatus) -> pb.PodStatus:
    message = pb.PodStatus(
        pod_id=status.pod_id,
        trading_state=trading_state_to_pb(status.trading_state),
        health=health_to_pb(status.health),
        net_exposure_usd=format_decimal(status.net_exposure_usd),
        gross_exposure_usd=format_decimal(status.gross_exposure_usd),
        positions=[position_to_pb(p) for p in status.positions],
        open_orders=[open_order_to_pb(o) for o in status.open_orders],
        realized_pnl_usd=format_decimal(status.realized_pnl_usd),
        unrealized_pnl_usd=format_decimal(status.unrealized_pnl_usd),
        nav_usd=format_decimal(status.nav_usd),
        config=config_to_pb(status.config),
        execution_intent=intent_to_pb(status.execution_intent),
        uptime=duration_to_pb(status.uptime),
        report_time=timestamp_to_pb(status.report_time),
        language=status.language,
    )
    if status.halt is not None:
        message.halt.CopyFrom(halt_state_to_pb(status.halt))
    return message


def status_from_pb(message: pb.PodStatus) -> model.PodStatus:
    """Parse a pod's report; a pod in another language may send anything, so validate it all."""
    halt = None
    if message.HasField("halt"):
        halt = model.HaltState(
            reason=halt_reason_from_pb(message.halt.reason, "status.halt.reason"),
            requested_by=message.halt.requested_by,
            note=message.halt.note,
            halt_time=timestamp_from_pb(message.halt.halt_time),
        )
    return model.PodStatus(
        pod_id=message.pod_id,
        trading_state=trading_state_from_pb(message.trading_state, "status.trading_state"),
        health=health_from_pb(message.health, "status.health"),
        positions=tuple(position_from_pb(p, f"status.positions[{i}]") for i, p in enumerate(message.positions)),
        open_orders=tuple(open_order_from_pb(o, f"status.open_orders[{i}]") for i, o in enumerate(message.open_orders)),
        realized_pnl_usd=parse_decimal(message.realized_pnl_usd or "0", "status.realized_pnl_usd"),
        unrealized_pnl_usd=parse_decimal(message.unrealized_pnl_usd or "0", "status.unrealized_pnl_usd"),
        net_exposure_usd=parse_decimal(message.net_exposure_usd or "0", "status.net_exposure_usd"),
        gross_exposure_usd=parse_decimal(message.gross_exposure_usd or "0", "status.gross_exposure_usd"),
        nav_usd=parse_decimal(message.nav_usd or "0", "status.nav_usd"),
        config=stored_config_from_pb(message.config),
        execution_intent=intent_from_pb(message.execution_intent, "status.execution_intent"),
        uptime=message.uptime.ToTimedelta(),
        report_time=timestamp_from_pb(message.report_time),
        language=message.language,
        halt=halt,
    )
