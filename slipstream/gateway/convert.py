"""Gateway messages <-> domain objects."""

from __future__ import annotations

from decimal import Decimal

from slipstream_api.v1 import gateway_pb2 as pb

from slipstream.core.decimals import format_decimal, parse_decimal, parse_optional_decimal
from slipstream.core.errors import InvalidArgument
from slipstream.gateway.model import (
    Fill,
    Liquidity,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    RejectReason,
    TimeInForce,
)
from slipstream.transport import convert

_TYPE = {OrderType.MARKET: pb.ORDER_TYPE_MARKET, OrderType.LIMIT: pb.ORDER_TYPE_LIMIT}
_TIF = {
    TimeInForce.GTC: pb.TIME_IN_FORCE_GTC,
    TimeInForce.IOC: pb.TIME_IN_FORCE_IOC,
    TimeInForce.FOK: pb.TIME_IN_FORCE_FOK,
}
_STATUS = {status: getattr(pb, f"ORDER_STATUS_{status.name}") for status in OrderStatus}
_REASON = {reason: getattr(pb, f"REJECT_REASON_{reason.name}") for reason in RejectReason}
_LIQUIDITY = {Liquidity.MAKER: pb.LIQUIDITY_MAKER, Liquidity.TAKER: pb.LIQUIDITY_TAKER}


def _inverse(table: dict) -> dict:  # type: ignore[type-arg]
    return {wire: domain for domain, wire in table.items()}


_STATUS_BACK = _inverse(_STATUS)
_REASON_BACK = _inverse(_REASON)
_LIQUIDITY_BACK = _inverse(_LIQUIDITY)
_TYPE_BACK = _inverse(_TYPE)
_TIF_BACK = _inverse(_TIF)


def request_from_pb(message: pb.SubmitOrderRequest) -> OrderRequest:
    """Parse a submission; every problem is INVALID_ARGUMENT naming the field."""
    if message.type not in _TYPE_BACK:
        raise InvalidArgument("type", "must be ORDER_TYPE_MARKET or ORDER_TYPE_LIMIT")
    order_type = _TYPE_BACK[message.type]
    if message.time_in_force == pb.TIME_IN_FORCE_UNSPECIFIED:
        tif = TimeInForce.GTC if order_type is OrderType.LIMIT else TimeInForce.IOC
    elif message.time_in_force in _TIF_BACK:
        tif = _TIF_BACK[message.time_in_force]
    else:
        raise InvalidArgument("time_in_force", f"unknown TIME_IN_FORCE value {message.time_in_force}")
    if not message.HasField("decision_time"):
        raise InvalidArgument("decision_time", "is required (when the signal fired)")
    return OrderRequest(
        client_order_id=message.client_order_id,
        symbol=message.symbol,
        side=convert.side_from_pb(message.side, "side"),
        type=order_type,
        quantity=parse_decimal(message.quantity, "quantity"),
        limit_price=parse_optional_decimal(message.limit_price, "limit_price"),
        time_in_force=tif,
        post_only=message.post_only,
        reduce_only=message.reduce_only,
        decision_price=parse_decimal(message.decision_price, "decision_price"),
        decision_time=convert.timestamp_field(message.decision_time, "decision_time"),
    )


def request_to_pb(request: OrderRequest) -> pb.SubmitOrderRequest:
    return pb.SubmitOrderRequest(
        client_order_id=request.client_order_id,
        symbol=request.symbol,
        side=convert.side_to_pb(request.side),
        type=_TYPE[request.type],
        quantity=format_decimal(request.quantity),
        limit_price=format_decimal(request.limit_price),
        time_in_force=_TIF[request.time_in_force],
        post_only=request.post_only,
        reduce_only=request.reduce_only,
        decision_price=format_decimal(request.decision_price),
        decision_time=convert.timestamp_to_pb(request.decision_time),
    )


def order_to_pb(order: Order) -> pb.Order:
    request = order.request
    message = pb.Order(
        pod_id=order.pod_id,
        client_order_id=request.client_order_id,
        order_id=order.order_id,
        exchange_order_id=order.exchange_order_id,
        account=order.account,
        symbol=request.symbol,
        side=convert.side_to_pb(request.side),
        type=_TYPE[request.type],
        time_in_force=_TIF[request.time_in_force],
        quantity=format_decimal(request.quantity),
        limit_price=format_decimal(request.limit_price),
        post_only=request.post_only,
        reduce_only=request.reduce_only,
        decision_price=format_decimal(request.decision_price),
        status=_STATUS[order.status],
        filled_quantity=format_decimal(order.filled_quantity),
        average_fill_price=format_decimal(order.average_fill_price),
        fees_usd=format_decimal(order.fees_usd),
        reject_reason=_REASON[order.reject_reason] if order.reject_reason else pb.REJECT_REASON_UNSPECIFIED,
        reject_message=order.reject_message,
        reference_price=format_decimal(order.reference_price),
    )
    convert.set_timestamp(message.decision_time, request.decision_time)
    convert.set_timestamp(message.create_time, order.create_time)
    convert.set_timestamp(message.update_time, order.update_time)
    return message


def order_state_to_pb(earlier: pb.Order, order: Order) -> pb.Order:
    """Encode `order` from the encoding of an earlier state of the same order: only the fields
    that change over an order's life are rendered again (about a fifth of the cost)."""
    message = pb.Order()
    message.CopyFrom(earlier)
    message.exchange_order_id = order.exchange_order_id
    message.status = _STATUS[order.status]
    message.filled_quantity = format_decimal(order.filled_quantity)
    message.average_fill_price = format_decimal(order.average_fill_price)
    message.fees_usd = format_decimal(order.fees_usd)
    message.reject_reason = _REASON[order.reject_reason] if order.reject_reason else pb.REJECT_REASON_UNSPECIFIED
    message.reject_message = order.reject_message
    convert.set_timestamp(message.update_time, order.update_time)
    return message


def order_from_record(record: bytes) -> Order:
    """An order from its stored encoding (the gateway keeps each order's latest state encoded)."""
    return order_from_pb(pb.Order.FromString(record))


def order_from_pb(message: pb.Order) -> Order:
    request = OrderRequest(
        client_order_id=message.client_order_id,
        symbol=message.symbol,
        side=convert.side_from_pb(message.side, "side"),
        type=_TYPE_BACK[message.type],
        quantity=Decimal(message.quantity),
        limit_price=Decimal(message.limit_price) if message.limit_price else None,
        time_in_force=_TIF_BACK[message.time_in_force],
        post_only=message.post_only,
        reduce_only=message.reduce_only,
        decision_price=Decimal(message.decision_price),
        decision_time=convert.timestamp_from_pb(message.decision_time),
    )
    return Order(
        pod_id=message.pod_id,
        order_id=message.order_id,
        account=message.account,
        request=request,
        status=_STATUS_BACK[message.status],
        exchange_order_id=message.exchange_order_id,
        filled_quantity=Decimal(message.filled_quantity or "0"),
        average_fill_price=Decimal(message.average_fill_price) if message.average_fill_price else None,
        fees_usd=Decimal(message.fees_usd or "0"),
        reject_reason=_REASON_BACK.get(message.reject_reason),
        reject_message=message.reject_message,
        reference_price=Decimal(message.reference_price) if message.reference_price else None,
        create_time=convert.timestamp_from_pb(message.create_time),
        update_time=convert.timestamp_from_pb(message.update_time),
    )


def fill_to_pb(fill: Fill) -> pb.Fill:
    message = pb.Fill(
        pod_id=fill.pod_id,
        fill_id=fill.fill_id,
        order_id=fill.order_id,
        client_order_id=fill.client_order_id,
        exchange_trade_id=fill.exchange_trade_id,
        symbol=fill.symbol,
        side=convert.side_to_pb(fill.side),
        quantity=format_decimal(fill.quantity),
        price=format_decimal(fill.price),
        fee_usd=format_decimal(fill.fee_usd),
        liquidity=_LIQUIDITY[fill.liquidity],
    )
    convert.set_timestamp(message.fill_time, fill.fill_time)
    return message


def fill_from_pb(message: pb.Fill) -> Fill:
    return Fill(
        pod_id=message.pod_id,
        fill_id=message.fill_id,
        order_id=message.order_id,
        client_order_id=message.client_order_id,
        exchange_trade_id=message.exchange_trade_id,
        symbol=message.symbol,
        side=convert.side_from_pb(message.side, "side"),
        quantity=Decimal(message.quantity),
        price=Decimal(message.price),
        fee_usd=Decimal(message.fee_usd),
        liquidity=_LIQUIDITY_BACK[message.liquidity],
        fill_time=convert.timestamp_from_pb(message.fill_time),
    )
